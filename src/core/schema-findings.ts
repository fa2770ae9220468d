/** Turns ajv's errors into findings that name the user's field, say what is expected and how to fix it. */
import { quote, report } from './findings.js';
import { isHiddenAt } from './redaction.js';
import { closest, suggestionBudget, type SuggestionBudget } from './suggest.js';
import { RULES } from './rules.js';
import { userPath, type Normalized } from './normalize.js';
import { pointerToPath, snakeToCamel, type PathSegment } from './paths.js';
import { schemaAt, type SchemaError, type SchemaNode } from './schema/index.js';
import type { Finding } from './types.js';
import { valueAt } from './records.js';

/**
 * @param errors ajv errors for `normalized.value` validated against `root`
 * @param prefix the user path the validated value sits at (e.g. `spec` for the config's spec)
 */
export function schemaFindings(errors: readonly SchemaError[], normalized: Normalized, root: SchemaNode, prefix: readonly PathSegment[] = []): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  // A value of the wrong type fails its enum or pattern too; the type is the one thing to say about it.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  // A list with too many items gets that one error, not one more per item: the input may hold millions.
  const tooLong = errors.filter((e) => e.keyword === 'maxItems').map((e) => `${e.instancePath}/`);
  const budget = suggestionBudget();
  for (const schemaError of errors) {
    if (schemaError.keyword !== 'type' && wrongType.has(schemaError.instancePath)) continue;
    if (tooLong.some((list) => schemaError.instancePath.startsWith(list))) continue;
    const path = pointerToPath(schemaError.instancePath);
    const finding = describe(schemaError, path, normalized, root, prefix, budget);
    if (finding === undefined) continue;
    const key = `${finding.path}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

function describe(
  schemaError: SchemaError,
  path: PathSegment[],
  normalized: Normalized,
  root: SchemaNode,
  prefix: readonly PathSegment[],
  budget: SuggestionBudget,
): Finding | undefined {
  const node = schemaAt(root, path);
  const at = (segments: PathSegment[]): string => {
    const own = userPath(normalized, segments);
    return [...prefix.map(String), ...(own === '' ? [] : [own])].join('.');
  };
  const where = at(path);
  const label = where === '' ? 'the object' : where;
  const hint = node?.['x-hint'] ? ` ${node['x-hint']}` : '';
  // A secret, or what stands where a reference to a Secret belongs, is described without its value.
  const secret = isHiddenAt(where);
  const value = secret ? undefined : valueAt(normalized.value, path);
  const current = value === undefined ? {} : { currentValue: value };
  const params = schemaError.params;

  switch (schemaError.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const field = at([...path, missing]);
      const description = schemaAt(root, [...path, missing])?.description;
      return report(RULES['missing-field'], `${field} is required.${description ? ` ${description}` : ''}`, { path: field });
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = Object.keys(node?.properties ?? {});
      const style = normalized.spelling === 'camel' ? known.map(snakeToCamel) : known;
      const suggestion = closest(extra, [...style, ...known], undefined, budget);
      const field = at([...path, extra]);
      const fix = suggestion ? `did you mean ${suggestion}?` : `known fields: ${style.join(', ')}.`;
      return report(RULES['unknown-field'], `${field} is not a known field; ${fix}`, {
        path: field,
        ...(suggestion ? { proposedValue: suggestion } : {}),
      });
    }
    case 'type': {
      const expected = String(params['type']);
      return report(RULES['wrong-type'], `${label} must be ${article(expected)} ${expected}, not ${typeName(value, secret)}.${hint}`, {
        path: where,
        ...current,
      });
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[] | undefined)?.map(String) ?? [];
      const suggestion = typeof value === 'string' ? closest(value, allowed, undefined, budget) : undefined;
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, ... (${allowed.length} in all)` : allowed.join(', ');
      return report(
        RULES['invalid-value'],
        `${label} ${secret ? 'has a value that is not allowed' : `is ${quote(value)}`}; expected one of ${list}.` + `${suggestion ? ` Did you mean ${suggestion}?` : ''}${hint}`,
        { path: where, ...current, ...(suggestion ? { proposedValue: suggestion } : {}) },
      );
    }
    case 'const':
      return report(RULES['invalid-value'], `${label} must be ${quote(params['allowedValue'])}, not ${quote(value)}.`, {
        path: where,
        ...current,
        proposedValue: params['allowedValue'],
      });
    case 'pattern':
      return report(RULES['invalid-format'], `${label} ${secret ? 'has an invalid format' : `is ${quote(value)}, which has the wrong format`}.${hint}`, {
        path: where,
        ...current,
      });
    case 'minItems':
      return report(RULES['too-few-items'], `${label} needs at least ${String(params['limit'])} item(s).${hint}`, { path: where });
    case 'maxItems':
      return report(RULES['too-many-items'], `${label} allows at most ${String(params['limit'])} items.${hint}`, { path: where });
    case 'minLength':
      return report(RULES['too-short'], `${label} must not be empty.${hint}`, { path: where });
    case 'maxLength':
      return report(RULES['too-long'], `${label} is longer than ${String(params['limit'])} characters.${hint}`, { path: where });
    case 'minimum':
    case 'maximum':
      return report(RULES['out-of-range'], `${label} must be ${schemaError.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}, not ${quote(value)}.`, {
        path: where,
        ...current,
      });
    default:
      return report(RULES['invalid-value'], `${label} ${schemaError.message ?? 'is invalid'}.${hint}`, { path: where });
  }
}

function typeName(value: unknown, secret: boolean): string {
  if (secret) return 'another type';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${article(typeof value)} ${typeof value} (${quote(value)})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
