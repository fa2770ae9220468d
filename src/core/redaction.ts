/**
 * What of a user's value may be shown in a finding. A URL's userinfo, query and fragment are hidden wherever
 * the URL appears (an endpoint pasted into any field is still an endpoint), and so is every value under a
 * secret field (those the schema marks `writeOnly`: token, password, header_value, in either spelling).
 * Values are also cut to a bounded size, so one huge input cannot make a huge result.
 */
import { snakeToCamel } from './paths.js';
import { streamSchema, type SchemaNode } from './schema/index.js';

export const HIDDEN = '***';

/** Longest string kept in a currentValue or proposedValue; longer ones are cut. */
const MAX_VALUE_LENGTH = 1024;
/** A list or object larger than this (as JSON) is left out of a finding rather than shown. */
const MAX_COMPOSITE_LENGTH = 1024;

/** Names of the secret fields, in both spellings: every property the schema marks writeOnly. */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = writeOnlyNames(streamSchema);

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

/** A message: every URL in it (`scheme://…` up to white space or a quote) as `redactText` leaves it. */
export function redactUrlsIn(message: string): string {
  if (!message.includes('://')) return message;
  let out = '';
  let from = 0;
  for (let at = message.indexOf('://'); at >= 0; at = message.indexOf('://', at + 3)) {
    if (at < from) continue;
    let start = at;
    while (start > from && isSchemeChar(message.charCodeAt(start - 1))) start--;
    let end = at + 3;
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

function redactTree(value: unknown): unknown {
  if (typeof value === 'string') return shorten(redactText(value));
  if (Array.isArray(value)) return value.map(redactTree);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = SECRET_FIELD_NAMES.has(key) ? HIDDEN : redactTree(child);
  return out;
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
  return isSpace(code) || code === 0x22 || code === 0x27 || code === 0x60 || code === 0x29 || code === 0x3e;
}

function writeOnlyNames(root: SchemaNode): Set<string> {
  const names = new Set<string>();
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode | undefined): void => {
    if (node === undefined || seen.has(node)) return;
    seen.add(node);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (child.writeOnly === true) names.add(name).add(snakeToCamel(name));
      visit(child);
    }
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties);
    visit(node.items);
    for (const definition of Object.values(node.$defs ?? {})) visit(definition);
  };
  visit(root);
  return names;
}
