/**
 * The text of an input item whose one change is annotations added at the end of its annotations (the
 * sources the function marks `config.kubernetes.io/local-config: "true"`): its own text with the new entries
 * written as lines of its block `annotations:` mapping, or as a new `annotations:` at the end of its block
 * `metadata:`. The item so keeps its comments and spelling, and costs no serialization.
 *
 * The text is made only where its meaning follows from how the one parse read it: the entries go on a line
 * of their own right after the last content of the mapping (past a comment on that line), at the column of
 * its first key, which is a key indented by spaces alone on a line after the parent key. Read back, such a
 * line is one more entry of that mapping, and no other line changes meaning. Anything else — flow style, a
 * tag or an anchor on the mapping, an alias within the item, a value that does not fit on one line, any
 * other change — gets no text, and the item is serialized.
 */
import { isRecord, withFields } from '../core/index.js';
import { blankLineStart, endOfLastLine, lineStart } from './item-text.js';
import type { Piece } from './item-text.js';
import { aliasWithin, skipSeparation } from './source-map.js';
import type { SourceMap, Span } from './source-map.js';
import { stringifyYaml } from './yaml.js';

/** Where the text of the added annotations goes in an input item's text, and that text. */
export interface Insertion {
  /** The input item's own text. */
  readonly piece: Piece;
  /** Offset in `piece.text`. */
  readonly at: number;
  readonly text: string;
}

/** Where and what to insert into `original`'s text (`piece`) for the annotations `changed` adds; undefined when that cannot be done as above. */
export function annotationInsertion(source: SourceMap, piece: Piece, original: unknown, changed: unknown): Insertion | undefined {
  const added = addedAnnotations(original, changed);
  // An alias within the item may name the very mapping written into.
  if (added === undefined || aliasWithin(source, piece.from, piece.to)) return undefined;
  const metadata = (original as { metadata: Record<string, unknown> }).metadata;
  const annotations = metadata['annotations'];
  const holder = annotations === undefined ? metadata : annotations;
  const span = isRecord(holder) ? source.spans.get(holder) : undefined;
  const place = span === undefined ? undefined : endOfBlockMapping(source.text, span, piece);
  if (place === undefined) return undefined;
  const { at, column, lineBreak } = place;
  const entries = entryLines(added, annotations === undefined ? column + 2 : column, lineBreak);
  if (entries === undefined) return undefined;
  return { piece, at: at - piece.from, text: annotations === undefined ? `${' '.repeat(column)}annotations:${lineBreak}${entries}` : entries };
}

/** The item's text with the insertion made. */
export function inserted({ piece, at, text }: Insertion): Piece {
  return withFields(piece, { text: `${piece.text.slice(0, at)}${text}${piece.text.slice(at)}` });
}

/**
 * The entries `changed` adds to `original`'s annotations when that is its only change: every other field the
 * very same value, the annotations' keys those of `original` in the same order with the same values, then
 * new ones with string values (a missing `annotations` added as the last field of `metadata`).
 */
export function addedAnnotations(original: unknown, changed: unknown): Array<[string, string]> | undefined {
  if (!isRecord(original) || !isRecord(changed) || original === changed) return undefined;
  if (!sameExcept(original, changed, 'metadata', false)) return undefined;
  const before = original['metadata'];
  const after = changed['metadata'];
  if (!isRecord(before) || !isRecord(after) || before === after) return undefined;
  const had = Object.hasOwn(before, 'annotations');
  if (!sameExcept(before, after, 'annotations', !had)) return undefined;
  const old = had ? before['annotations'] : {};
  const now = after['annotations'];
  if (!isRecord(old) || !isRecord(now) || old === now) return undefined;
  const oldKeys = Object.keys(old);
  const newKeys = Object.keys(now);
  if (newKeys.length <= oldKeys.length) return undefined;
  const added: Array<[string, string]> = [];
  for (let index = 0; index < newKeys.length; index++) {
    const key = newKeys[index]!;
    const value = now[key];
    if (index < oldKeys.length) {
      if (key !== oldKeys[index] || value !== old[key]) return undefined;
    } else {
      if (typeof value !== 'string' || Object.hasOwn(old, key)) return undefined;
      added.push([key, value]);
    }
  }
  return added;
}

/** `after` holds `before`'s keys in the same order with the same values, except `key`, which is last in `after` when `appended`. */
function sameExcept(before: Record<string, unknown>, after: Record<string, unknown>, key: string, appended: boolean): boolean {
  const beforeKeys = Object.keys(before);
  const afterKeys = Object.keys(after);
  if (afterKeys.length !== beforeKeys.length + (appended ? 1 : 0)) return false;
  if (appended && afterKeys[afterKeys.length - 1] !== key) return false;
  for (let index = 0; index < beforeKeys.length; index++) {
    const name = beforeKeys[index]!;
    if (afterKeys[index] !== name || (name !== key && after[name] !== before[name])) return false;
  }
  return true;
}

/**
 * Where a line added to the block mapping read at `span` goes (the start of the line after its last content),
 * the column of its keys and the line break the text uses there; undefined unless the mapping is written in
 * block style as the module comment says, within `piece`.
 */
function endOfBlockMapping(text: string, span: Span, piece: Piece): { at: number; column: number; lineBreak: string } | undefined {
  const first = skipSeparation(text, span.start, span.end);
  const lineFrom = lineStart(text, first);
  if (lineFrom <= span.start || first >= span.end) return undefined;
  for (let at = lineFrom; at < first; at++) if (text.charCodeAt(at) !== 0x20) return undefined;
  if (NOT_A_PLAIN_KEY_START.has(text.charCodeAt(first))) return undefined;
  // After a block scalar the parse stands in the indentation of the next line: its content ended before that line.
  const at = endOfLastLine(text, blankLineStart(text, span.contentEnd));
  const before = text.charCodeAt(at - 1);
  if (at <= first || at > span.end || at <= piece.from || at > piece.to || (before !== 0x0a && before !== 0x0d)) return undefined;
  const lineBreak = before === 0x0d ? '\r' : text.charCodeAt(at - 2) === 0x0d ? '\r\n' : '\n';
  return { at, column: first - lineFrom, lineBreak };
}

/** Flow collections, properties, explicit keys and aliases: a mapping whose first entry starts so is left alone. */
const NOT_A_PLAIN_KEY_START: ReadonlySet<number> = new Set([...'{[&!?*'].map((c) => c.charCodeAt(0)));

/** One line per entry, at `column`, as the serializer writes key and value; undefined when one takes more than a line. */
function entryLines(entries: ReadonlyArray<[string, string]>, column: number, lineBreak: string): string | undefined {
  const indent = ' '.repeat(column);
  let lines = '';
  for (const [key, value] of entries) {
    const line = entryLine(key, value);
    if (line === undefined) return undefined;
    lines += `${indent}${line}${lineBreak}`;
  }
  return lines;
}

/** The last entry written (every marked item adds the same one). */
let lastEntry: { key: string; value: string; line: string | undefined } | undefined;

function entryLine(key: string, value: string): string | undefined {
  if (lastEntry?.key === key && lastEntry.value === value) return lastEntry.line;
  const written = stringifyYaml(Object.fromEntries([[key, value]]));
  const line = written.indexOf('\n') === written.length - 1 ? written.slice(0, -1) : undefined;
  lastEntry = { key, value, line };
  return line;
}
