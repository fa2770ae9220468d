/**
 * The one place Terraform module text is made. In a Terraform JSON module every string is a template: `${…}`
 * and `%{…}` are evaluated. So a module holds no bare strings, only `ModuleText`, made in one of two ways:
 * - `literal(text)`: text from a user, written so Terraform reads it back exactly (`${` → `$${`, `%{` → `%%{`);
 * - `expression(reference)`: one of the function's own references (`var.x`, `resource.name.attr`, `try(…, null)`),
 *   built only from identifiers and indices.
 * `moduleJson` refuses anything else, so a field added later cannot reach the module unescaped.
 */

import { jsonString } from '../json-text.js';

/** A string of a Terraform JSON module, as Terraform will read it. Made only by `literal` and `expression`. */
class ModuleText {
  constructor(
    readonly template: string,
    /** Whether the text may hold a character Terraform's JSON reader needs escaped (see PREPEND). */
    readonly mayNeedEscapes = false,
  ) {}
}
export type { ModuleText };

export type ModuleValue = ModuleText | number | boolean | null | readonly ModuleValue[] | ModuleObject;
export interface ModuleObject {
  readonly [key: string]: ModuleValue;
}

/** Text Terraform would not read back as written: ill-formed UTF-16, or not in Unicode NFC (HCL normalizes). */
export function changedByTerraform(text: string): boolean {
  return !belowCombiningMarks(text) && (hasLoneSurrogate(text) || text.normalize('NFC') !== text);
}

/**
 * Whether every code unit is below U+0300, where the combining marks begin: such text is no surrogate and is
 * already NFC (nothing there decomposes or composes), and it holds no Prepend character. Most text is.
 */
function belowCombiningMarks(text: string): boolean {
  return !FROM_COMBINING_MARKS.test(text);
}

const FROM_COMBINING_MARKS = /[\u0300-\uffff]/;

/** User text, written literally: Terraform evaluates none of it and reads it back byte for byte. */
export function literal(text: string): ModuleText {
  const low = belowCombiningMarks(text);
  if (!low && changedByTerraform(text)) throw new Error('text that Terraform would change reached the module builder; validation must refuse it first');
  // split/join, not replaceAll: in a replacement string `$$` means one `$`.
  const template = text.includes('{') ? text.split('${').join('$${').split('%{').join('%%{') : text;
  return new ModuleText(template, !low && mayHavePrepend(text));
}

/** What `literal` wrote, as the user wrote it (for reading a module generated earlier). */
export function fromLiteral(template: string): string {
  return template.split('$${').join('${').split('%%{').join('%{');
}

/** A reference the function itself writes into a module; never built from user text. */
class Reference {
  constructor(readonly code: string) {}
}
export type { Reference };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a Terraform identifier: ${JSON.stringify(name)}`);
  return name;
}

/** `var.<name>` */
export function variable(name: string): Reference {
  return new Reference(`var.${identifier(name)}`);
}

/** `<type>.<name>.<attribute>…`, where a number is a list index. */
export function resourceAttribute(type: string, name: string, ...path: ReadonlyArray<string | number>): Reference {
  const steps = path.map((step) => (typeof step === 'number' ? `[${Math.trunc(Math.abs(step))}]` : `.${identifier(step)}`));
  return new Reference(`${identifier(type)}.${identifier(name)}${steps.join('')}`);
}

/** `try(<reference>, null)`: null where the reference has no value. */
export function tryOrNull(reference: Reference): Reference {
  return new Reference(`try(${reference.code}, null)`);
}

/**
 * An `import` block: the resource `<type>.<name>` takes over the existing object `id` (Terraform 1.5 and later).
 * `to` is an address, which Terraform reads as an expression, built from identifiers only; `id` is user text.
 */
export function importBlock(type: string, name: string, id: string): ModuleObject {
  return { to: new ModuleText(`${identifier(type)}.${identifier(name)}`), id: literal(id) };
}

/** The value of a reference, as a module string. */
export function expression(reference: Reference): ModuleText {
  return new ModuleText(`\${${reference.code}}`);
}

/**
 * The module as Terraform JSON, as `JSON.stringify(value, null, 2)` writes it. Throws on a bare string or a
 * key that is not an identifier.
 */
export function moduleJson(module: ModuleObject): string {
  const writer: JsonWriter = { parts: [], mayNeedEscapes: false, path: ['$'] };
  writeJson(module, 0, writer);
  // Joined once: a string built by `+=` piece by piece would stay a tree of pieces until first read.
  const json = writer.parts.join('');
  return writer.mayNeedEscapes ? readableByTerraform(json) : json;
}

/** JSON text with every grapheme-cluster Prepend character escaped (`\u0d4e`), as Terraform's JSON reader needs it. */
export function readableByTerraform(json: string): string {
  return json.replace(PREPEND, escapeCodeUnits);
}

/** A quick over-approximation of PREPEND (its code unit ranges), so most modules skip the escaping pass. */
function mayHavePrepend(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit >= 0x0600 && unit <= 0x08e2) || unit === 0x0d4e || (unit >= 0xd804 && unit <= 0xd807)) return true;
  }
  return false;
}

function escapeCodeUnits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Characters of the Unicode grapheme cluster break class Prepend, in any Unicode version from 11 to 17 (the one
 * Terraform's text segmentation library has depends on its release). HCL's JSON scanner reads text by
 * grapheme cluster, so such a character before a closing quote takes the quote into its cluster and the module
 * no longer parses (`"name": "…ൎ"` fails with "Unclosed object"). Written as `\uXXXX` escapes, which Terraform
 * reads back as the same character. The astral ones are written as their two escaped halves.
 */
const PREPEND = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E]|\uD804[\uDCBD\uDCCD\uDDC2\uDDC3\uDFD1]|\uD806[\uDD3F\uDD41\uDE3A\uDE84-\uDE89]|\uD807[\uDD46\uDF02]/g;

interface JsonWriter {
  readonly parts: string[];
  mayNeedEscapes: boolean;
  /** Where the writer is, for the message of a value that is not a module value. */
  readonly path: Array<string | number>;
}

const INDENTS: string[] = [];

function indentOf(level: number): string {
  return (INDENTS[level] ??= `\n${'  '.repeat(level)}`);
}

/**
 * What opens a list or object, separates entries or closes, with its line break and indentation: one piece of
 * text where there would be two. By mark, then level (a table per mark, so that no lookup is by the mark's text).
 */
const OPEN_LIST: string[] = [];
const OPEN_OBJECT: string[] = [];
const NEXT_ENTRY: string[] = [];
const CLOSE_LIST: string[] = [];
const CLOSE_OBJECT: string[] = [];

/** `[`, `{` or `,`, then a new line indented to `level`. */
function opening(mark: '[' | '{' | ',', level: number): string {
  const table = mark === '[' ? OPEN_LIST : mark === '{' ? OPEN_OBJECT : NEXT_ENTRY;
  return (table[level] ??= `${mark}${indentOf(level)}`);
}

/** A new line indented to `level`, then `]` or `}`. */
function closing(mark: ']' | '}', level: number): string {
  return ((mark === ']' ? CLOSE_LIST : CLOSE_OBJECT)[level] ??= `${indentOf(level)}${mark}`);
}

/** `"key": ` of keys already known to be identifiers (the module's own, a few per destination). */
const KEY_TEXTS = new Map<string, string>();

function keyText(key: string): string {
  let text = KEY_TEXTS.get(key);
  if (text === undefined) {
    text = `"${identifier(key)}": `;
    if (KEY_TEXTS.size < 1024) KEY_TEXTS.set(key, text);
  }
  return text;
}

/** The text of frozen parts of modules (the outputs every module has), by indentation level. */
const FROZEN_TEXTS = new WeakMap<object, Map<number, { readonly text: string; readonly mayNeedEscapes: boolean }>>();

function writeJson(value: ModuleValue, level: number, writer: JsonWriter): void {
  if (value === null || typeof value !== 'object' || value instanceof ModuleText || !Object.isFrozen(value)) {
    writeFresh(value, level, writer);
    return;
  }
  let byLevel = FROZEN_TEXTS.get(value);
  let known = byLevel?.get(level);
  if (known === undefined) {
    const own: JsonWriter = { parts: [], mayNeedEscapes: false, path: writer.path };
    writeFresh(value, level, own);
    known = { text: own.parts.join(''), mayNeedEscapes: own.mayNeedEscapes };
    if (byLevel === undefined) FROZEN_TEXTS.set(value, (byLevel = new Map<number, { readonly text: string; readonly mayNeedEscapes: boolean }>()));
    byLevel.set(level, known);
  }
  if (known.mayNeedEscapes) writer.mayNeedEscapes = true;
  writer.parts.push(known.text);
}

function writeFresh(value: ModuleValue, level: number, writer: JsonWriter): void {
  const { parts } = writer;
  if (value instanceof ModuleText) {
    if (value.mayNeedEscapes) writer.mayNeedEscapes = true;
    parts.push(jsonString(value.template));
  } else if (value === null || typeof value === 'boolean') {
    parts.push(String(value));
  } else if (typeof value === 'number') {
    parts.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push('[]');
      return;
    }
    for (let index = 0; index < value.length; index++) {
      parts.push(opening(index === 0 ? '[' : ',', level + 1));
      writer.path.push(index);
      writeJson(value[index] as ModuleValue, level + 1, writer);
      writer.path.pop();
    }
    parts.push(closing(']', level));
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let first = true;
    for (const key of Object.keys(value)) {
      parts.push(opening(first ? '{' : ',', level + 1), keyText(key));
      first = false;
      writer.path.push(key);
      writeJson((value as ModuleObject)[key]!, level + 1, writer);
      writer.path.pop();
    }
    if (first) parts.push('{}');
    else parts.push(closing('}', level));
  } else {
    const at = writer.path.map((step, index) => (index === 0 ? step : typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
    throw new Error(`${at}: a module value must be made by literal() or expression(), not ${typeof value}`);
  }
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}
