/**
 * What of a user's value may be shown in a finding. A URL's userinfo, query and fragment are hidden wherever
 * the URL appears (an endpoint pasted into any field is still an endpoint). By field, as the schemas mark them:
 * a secret field's value (`writeOnly`: token, password, header_value) is hidden whole, and so is anything
 * written where a reference to a Secret belongs (`x-redact: reference`: a `*_secret_ref`, the names of pipeline
 * credentials; a token pasted there instead of a reference is still a token); a user name is shown only up to
 * its first `:` (`x-redact: userinfo`: what follows `user:` there is a password). Values are also cut to a
 * bounded size, so one huge input cannot make a huge result.
 */
import { camelToSnake, snakeToCamel } from './paths.js';
import { configSchema, resolve, streamSchema, type SchemaNode } from './schema/index.js';

export const HIDDEN = '***';

/** Longest string kept in a currentValue or proposedValue; longer ones are cut. */
const MAX_VALUE_LENGTH = 1024;
/** A list or object larger than this (as JSON) is left out of a finding rather than shown. */
const MAX_COMPOSITE_LENGTH = 1024;

/** How the value of a field is shown: not at all, or up to the first `:`. */
type FieldRedaction = 'hidden' | 'userinfo';

let redactedFields: ReadonlyMap<string, FieldRedaction> | undefined;

/**
 * How a field's value is shown, by its name in any spelling, from both schemas. The schemas are walked on the
 * first question, not at start-up: most runs have nothing to show.
 */
function redactionOfField(name: string): FieldRedaction | undefined {
  redactedFields ??= classifiedFields([streamSchema, configSchema], redactionOf);
  return redactedFields.get(name);
}

/** Names of the secret fields, in both spellings: every property the schema marks writeOnly. */
export function secretFieldNames(): ReadonlySet<string> {
  return new Set(classifiedFields([streamSchema], (node) => (node.writeOnly === true ? true : undefined)).keys());
}

/**
 * One user value, with anything that may be a credential hidden: the userinfo (up to the last `@` after the
 * scheme's `//`), and the whole query and fragment. When an `@` comes after the first `?` or `#`, where the
 * userinfo ends is ambiguous, and everything after the scheme is hidden.
 */
export function redactText(text: string): string {
  const queryAt = firstIndexOf(text, '?', '#');
  const lastAt = text.lastIndexOf('@');
  const slashes = text.indexOf('//');
  const from = slashes >= 0 && slashes < lastAt ? slashes + 2 : 0;
  if (lastAt > queryAt) return `${text.slice(0, from)}${HIDDEN}`;
  const head = lastAt > from ? `${text.slice(0, from)}${HIDDEN}${text.slice(lastAt, queryAt)}` : text.slice(0, queryAt);
  return queryAt < text.length - 1 ? `${head}${text[queryAt]}${HIDDEN}` : `${head}${text.slice(queryAt)}`;
}

/**
 * A message: every URL in it as `redactText` leaves it. A URL runs from its scheme to white space, a quote or
 * a closing bracket; but its userinfo may hold white space (`https://user:pass word@host`), so where an `@`
 * follows before the authority ends (at `/`, `?`, `#`, a quote, a bracket or a line break), the URL runs on
 * past it.
 */
export function redactUrlsIn(message: string): string {
  if (!message.includes('://')) return message;
  let out = '';
  let from = 0;
  for (let at = message.indexOf('://'); at >= 0; at = message.indexOf('://', at + 3)) {
    if (at < from) continue;
    let start = at;
    while (start > from && isSchemeChar(message.charCodeAt(start - 1))) start--;
    let authorityEnd = at + 3;
    while (authorityEnd < message.length && !isAuthorityEnd(message.charCodeAt(authorityEnd))) authorityEnd++;
    const lastAt = message.lastIndexOf('@', authorityEnd - 1);
    let end = lastAt > at + 3 ? lastAt : at + 3;
    while (end < message.length && !isUrlEnd(message.charCodeAt(end))) end++;
    out += message.slice(from, start) + redactText(message.slice(start, end));
    from = end;
  }
  return out + message.slice(from);
}

/** A currentValue or proposedValue as a finding may carry it, or undefined when it is better left out. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return shorten(redactText(value));
  if (value === null || typeof value !== 'object') return value;
  const redacted = redactTree(value);
  const size = JSON.stringify(redacted)?.length ?? 0;
  return size > MAX_COMPOSITE_LENGTH ? undefined : redacted;
}

/**
 * The value of the field at `path` (a user path such as `spec.webhook_configuration.webhook_authorization.token`
 * or `data.webhookCredentials`) as a finding may show it: hidden when any field on the path is hidden, cut at
 * the first `:` when the field is a user name, and otherwise as `redactValue` leaves it.
 */
export function redactAt(path: string | undefined, value: unknown): unknown {
  const fields = fieldsOf(path);
  if (hidesAny(fields)) return HIDDEN;
  if (typeof value === 'string' && redactionOfField(fields.at(-1) ?? '') === 'userinfo') return redactValue(userinfoShown(value));
  return redactValue(value);
}

/** Whether no value at `path` is ever shown: some field on the path is a secret or a reference to a Secret. */
export function isHiddenAt(path: string | undefined): boolean {
  return hidesAny(fieldsOf(path));
}

function hidesAny(fields: readonly string[]): boolean {
  return fields.some((field) => redactionOfField(field) === 'hidden');
}

/** The field names of a user path (`a.b[0].c` → a, b, 0, c); annotation keys with dots fall apart harmlessly. */
function fieldsOf(path: string | undefined): string[] {
  return path === undefined ? [] : path.split(/[.[\]]/);
}

function redactTree(value: unknown): unknown {
  if (typeof value === 'string') return shorten(redactText(value));
  if (Array.isArray(value)) return value.map(redactTree);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const redaction = redactionOfField(key);
    out[key] = redaction === 'hidden' ? HIDDEN : redaction === 'userinfo' && typeof child === 'string' ? redactTree(userinfoShown(child)) : redactTree(child);
  }
  return out;
}

/** `user:password` → `user:***`: a user name holds no `:`, so what follows one is a password. */
function userinfoShown(text: string): string {
  const colon = text.indexOf(':');
  return colon < 0 ? text : `${text.slice(0, colon + 1)}${HIDDEN}`;
}

function shorten(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}

function firstIndexOf(text: string, ...marks: string[]): number {
  let first = text.length;
  for (const mark of marks) {
    const at = text.indexOf(mark);
    if (at >= 0 && at < first) first = at;
  }
  return first;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x2028 || code === 0x2029 || code === 0xfeff;
}

function isSchemeChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

/** Where a URL quoted in a message ends: white space, a quote or a closing bracket. */
function isUrlEnd(code: number): boolean {
  return isSpace(code) || isQuoteOrBracket(code);
}

/** Where the authority of a URL in a message ends at the latest: its path, query or fragment, a quote, a bracket or a line break. */
function isAuthorityEnd(code: number): boolean {
  return code === 0x2f || code === 0x3f || code === 0x23 || code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029 || isQuoteOrBracket(code);
}

function isQuoteOrBracket(code: number): boolean {
  return code === 0x22 || code === 0x27 || code === 0x60 || code === 0x29 || code === 0x3e;
}

/** Every property of the schemas that `classify` gives a value, by name in every spelling. */
function classifiedFields<T>(roots: readonly SchemaNode[], classify: (node: SchemaNode) => T | undefined): Map<string, T> {
  const fields = new Map<string, T>();
  for (const root of roots) {
    const seen = new Set<SchemaNode>();
    const visit = (node: SchemaNode | undefined): void => {
      if (node === undefined || seen.has(node)) return;
      seen.add(node);
      for (const [name, property] of Object.entries(node.properties ?? {})) {
        const value = classify(resolve(property, root));
        if (value !== undefined) for (const spelling of [name, snakeToCamel(name), camelToSnake(name)]) fields.set(spelling, value);
        // A reference is visited where it points, among the $defs.
        if (property.$ref === undefined) visit(property);
      }
      if (typeof node.additionalProperties === 'object') visit(node.additionalProperties);
      visit(node.items);
      for (const definition of Object.values(node.$defs ?? {})) visit(definition);
    };
    visit(root);
  }
  return fields;
}

function redactionOf(node: SchemaNode): FieldRedaction | undefined {
  if (node.writeOnly === true || node['x-redact'] === 'reference') return 'hidden';
  return node['x-redact'] === 'userinfo' ? 'userinfo' : undefined;
}
