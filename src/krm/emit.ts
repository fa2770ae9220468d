/**
 * A YAML writer for plain data (objects, arrays, strings, numbers, booleans, null) that gives exactly what
 * js-yaml's `dump` gives with the options of yaml.ts — the same scalar styles, quoting, escapes and layout —
 * in a fraction of the time: generated resources are most of the output. It answers `undefined` for
 * anything else (class instances, tags, keys too long for an implicit key), and the caller lets js-yaml
 * write it. test/krm/emit.test.ts holds the two to the same output.
 */

/** Tells whether a plain scalar would be read back as something other than a string (the dump schema's implicit types). */
export type ReadsAsOtherType = (text: string) => boolean;

const UNSUPPORTED = Symbol('unsupported');

const DEPRECATED_BOOLEANS: ReadonlySet<string> = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const DEPRECATED_BASE60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
/** Only a plain scalar starting with one of these can read as null, a boolean, a number, a date or a merge key. */
const MAY_READ_AS_OTHER_TYPE = new Set('~nNtTfFyYoOeE+-.<=_0123456789'.split('').map((c) => c.charCodeAt(0)));
const ESCAPES: Readonly<Record<number, string>> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0xa0: '\\_',
  0x2028: '\\L',
  0x2029: '\\P',
};
const INDENTS: string[] = [];
const LINE_BREAKS: string[] = [];

/** `value` as js-yaml's `dump` writes it, or undefined when it holds something this writer leaves to js-yaml. */
export function emitYaml(value: unknown, readsAsOtherType: ReadsAsOtherType): string | undefined {
  if (value === undefined) return '';
  // Written as pieces joined once: built with += the text would be a tree of pieces, as large again.
  const parts: string[] = [];
  if (node(value, 0, true, readsAsOtherType, parts) === UNSUPPORTED) return undefined;
  parts.push('\n');
  return parts.join('');
}

/** What js-yaml writes for a number (int or float type, lowercase style). */
export function canonicalNumber(value: number): string {
  if (value % 1 === 0 && !Object.is(value, -0)) return value.toString(10);
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Object.is(value, -0)) return '-0.0';
  const text = value.toString(10);
  return /^[-+]?[0-9]+e/.test(text) ? text.replace('e', '.e') : text;
}

/** Writes `value` to `parts`; UNSUPPORTED when js-yaml must write it. */
function node(value: unknown, level: number, compact: boolean, other: ReadsAsOtherType, parts: string[]): typeof UNSUPPORTED | undefined {
  switch (typeof value) {
    case 'string':
      parts.push(scalar(value, level, false, other));
      return undefined;
    case 'number':
      parts.push(canonicalNumber(value));
      return undefined;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return undefined;
    case 'undefined':
      parts.push('null');
      return undefined;
    case 'object': {
      if (value === null) {
        parts.push('null');
        return undefined;
      }
      if (Array.isArray(value)) {
        if (value.length > 0) return sequence(value, level, compact, other, parts);
        parts.push('[]');
        return undefined;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return UNSUPPORTED;
      return mapping(value as Record<string, unknown>, level, compact, other, parts);
    }
    default:
      return UNSUPPORTED;
  }
}

/**
 * A value that starts on the next line (a block mapping or list) follows its key's `:` or its `-` directly,
 * anything else after a space: the separator is decided once the value is written.
 */
function separated(indicator: string, value: unknown, level: number, other: ReadsAsOtherType, parts: string[]): typeof UNSUPPORTED | undefined {
  const slot = parts.length;
  parts.push(indicator);
  const start = parts.length;
  if (node(value, level, indicator === '-', other, parts) === UNSUPPORTED) return UNSUPPORTED;
  if (parts[start]!.charCodeAt(0) !== 0x0a) parts[slot] = indicator === ':' ? ': ' : '- ';
  return undefined;
}

function mapping(object: Record<string, unknown>, level: number, compact: boolean, other: ReadsAsOtherType, parts: string[]): typeof UNSUPPORTED | undefined {
  let written = false;
  for (const key of Object.keys(object)) {
    const value = object[key];
    // js-yaml leaves out an entry whose value is undefined.
    if (value === undefined) continue;
    const keyText = scalar(key, level + 1, true, other);
    // js-yaml writes a key this long as an explicit `? key` entry.
    if (keyText.length > 1024) return UNSUPPORTED;
    if (!compact || written) parts.push(nextLine(level));
    parts.push(keyText);
    if (separated(':', value, level + 1, other, parts) === UNSUPPORTED) return UNSUPPORTED;
    written = true;
  }
  if (!written) parts.push('{}');
  return undefined;
}

function sequence(list: readonly unknown[], level: number, compact: boolean, other: ReadsAsOtherType, parts: string[]): typeof UNSUPPORTED | undefined {
  let written = false;
  for (const element of list) {
    if (!compact || written) parts.push(nextLine(level));
    // js-yaml writes null for an undefined element.
    if (separated('-', element, level + 1, other, parts) === UNSUPPORTED) return UNSUPPORTED;
    written = true;
  }
  return undefined;
}

function nextLine(level: number): string {
  return (LINE_BREAKS[level] ??= `\n${indentOf(2 * level)}`);
}

function indentOf(spaces: number): string {
  return (INDENTS[spaces] ??= ' '.repeat(spaces));
}

const PLAIN = 1;
const LITERAL = 3;
const DOUBLE = 5;

/**
 * Written forms of short strings, which generated resources repeat (keys, kinds, labels): a single-line
 * string is written the same at any level, key or value.
 */
const written = new Map<string, string>();
const MEMO_LENGTH = 64;
const MEMO_SIZE = 50_000;

/** Names, paths, URLs without blanks: plain whatever their context, unless they read as another type. */
const SIMPLE_PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@=+,-]*$/;

function scalar(text: string, level: number, isKey: boolean, other: ReadsAsOtherType): string {
  if (!MAY_READ_AS_OTHER_TYPE.has(text.charCodeAt(0)) && text.charCodeAt(text.length - 1) !== 0x3a && SIMPLE_PLAIN.test(text)) return text;
  if (text.length > MEMO_LENGTH) return writeScalar(text, level, isKey, other);
  let result = written.get(text);
  if (result === undefined) {
    result = writeScalar(text, level, isKey, other);
    if (text.includes('\n')) return result;
    if (written.size >= MEMO_SIZE) written.clear();
    written.set(text, result);
  }
  return result;
}

function writeScalar(text: string, level: number, isKey: boolean, other: ReadsAsOtherType): string {
  if (text.length === 0) return '""';
  const first = text.charCodeAt(0);
  const mayBeOther = MAY_READ_AS_OTHER_TYPE.has(first);
  if (mayBeOther && (DEPRECATED_BOOLEANS.has(text) || DEPRECATED_BASE60.test(text))) return `"${text}"`;
  switch (chooseStyle(text, isKey, mayBeOther, other)) {
    case PLAIN:
      return text;
    case LITERAL:
      return `|${blockHeader(text)}${blockBody(text, 2 * Math.max(1, level))}`;
    default:
      return `"${escape(text)}"`;
  }
}

/** Printable ASCII and line feeds only: over several lines, such a value is always a literal block. */
const PRINTABLE_ASCII_LINES = /^[\n\x20-\x7e]*$/;

/** js-yaml's chooseScalarStyle for lineWidth -1, double quotes, block context. */
function chooseStyle(text: string, singleLineOnly: boolean, mayBeOther: boolean, other: ReadsAsOtherType): number {
  if (!singleLineOnly && text.length > MEMO_LENGTH && text.includes('\n') && PRINTABLE_ASCII_LINES.test(text)) return LITERAL;
  let plain = isPlainSafeFirst(codePointAt(text, 0)) && isPlainSafeLast(codePointAt(text, text.length - 1));
  let hasLineBreak = false;
  let previous = -1;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    // Printable ASCII other than the few characters that matter to plain style: the common case.
    if (c > 0x23 && c < 0x7f && c !== 0x3a) {
      previous = c;
      i += 1;
      continue;
    }
    const point = c >= 0xd800 && c <= 0xdbff ? codePointAt(text, i) : c;
    if (point === 0x0a && !singleLineOnly) hasLineBreak = true;
    else if (!isPrintable(point)) return DOUBLE;
    plain = plain && isPlainSafe(point, previous);
    previous = point;
    i += point >= 0x10000 ? 2 : 1;
  }
  if (!hasLineBreak) return plain && !(mayBeOther && other(text)) ? PLAIN : DOUBLE;
  return LITERAL;
}

function codePointAt(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first >= 0xd800 && first <= 0xdbff && at + 1 < text.length) {
    const second = text.charCodeAt(at + 1);
    if (second >= 0xdc00 && second <= 0xdfff) return (first - 0xd800) * 0x400 + second - 0xdc00 + 0x10000;
  }
  return first;
}

function isPrintable(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xd7ff && c !== 0x2028 && c !== 0x2029) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function isNsCharOrWhitespace(c: number): boolean {
  return isPrintable(c) && c !== 0xfeff && c !== 0x0d && c !== 0x0a;
}

/** ns-plain-safe in block context (flow indicators allowed), as js-yaml tests it. */
function isPlainSafe(c: number, previous: number): boolean {
  const nsOrWhite = isNsCharOrWhitespace(c);
  const ns = nsOrWhite && !isWhitespace(c);
  return (
    (nsOrWhite && c !== 0x23 && !(previous === 0x3a && !ns)) ||
    (previous >= 0 && isNsCharOrWhitespace(previous) && !isWhitespace(previous) && c === 0x23) ||
    (previous === 0x3a && ns)
  );
}

const NOT_PLAIN_FIRST = new Set('-?:,[]{}#&*!|=>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

function isPlainSafeFirst(c: number): boolean {
  return isPrintable(c) && c !== 0xfeff && !isWhitespace(c) && !NOT_PLAIN_FIRST.has(c);
}

function isPlainSafeLast(c: number): boolean {
  return !isWhitespace(c) && c !== 0x3a;
}

function blockHeader(text: string): string {
  const indicator = /^\n* /.test(text) ? '2' : '';
  const clip = text.charCodeAt(text.length - 1) === 0x0a;
  const keep = clip && (text.charCodeAt(text.length - 2) === 0x0a || text === '\n');
  return `${indicator}${keep ? '+' : clip ? '' : '-'}\n`;
}

/**
 * The lines of a literal block: every line but empty ones indented (js-yaml's indentString), without the
 * text's last line break, which the block header stands for. Split and joined rather than by a regular
 * expression over the whole text: the module of a Workspace is most of the output.
 */
function blockBody(text: string, spaces: number): string {
  const body = text.charCodeAt(text.length - 1) === 0x0a ? text.slice(0, -1) : text;
  if (body.length === 0) return '';
  const pad = indentOf(spaces);
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i] !== '') lines[i] = pad + lines[i];
  return lines.join('\n');
}

function escape(text: string): string {
  let result = '';
  let from = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      i += 1;
      continue;
    }
    const point = codePointAt(text, i);
    const width = point >= 0x10000 ? 2 : 1;
    const sequence = ESCAPES[point];
    if (sequence !== undefined || !isPrintable(point)) {
      result += text.slice(from, i) + (sequence ?? hex(point));
      from = i + width;
    }
    i += width;
  }
  return result + text.slice(from);
}

function hex(point: number): string {
  const digits = point.toString(16).toUpperCase();
  if (point <= 0xff) return `\\x${digits.padStart(2, '0')}`;
  if (point <= 0xffff) return `\\u${digits.padStart(4, '0')}`;
  return `\\U${digits.padStart(8, '0')}`;
}
