/**
 * The source text of items, cut from the input at the positions the parse recorded (source-map.ts), and
 * placed again as a list entry, a document or a mapping value. Text is only ever moved right as a whole
 * (every line by the same number of spaces): that keeps the meaning of any YAML, block scalars included,
 * while moving it left does not. An item whose text cannot be cut cleanly gets none, and is serialized.
 */
import { skipSeparation } from './source-map.js';
import type { SourceMap, Span } from './source-map.js';

/** An item's own text. */
export interface Piece {
  /**
   * `entry`: a block list entry, from the comments that lead it through the `-` to the end of its content
   * and trailing comments; `node`: a node from its first character (flow style, a document's root).
   */
  readonly form: 'entry' | 'node';
  readonly text: string;
  /** Column of the `-` (entry) or of the first character (node). */
  readonly column: number;
  /** Offset of the `-` in `text` (entry form). */
  readonly dash: number;
  /** The `%` directive lines of the document it comes from (each ending with a line break), or ''. */
  readonly directives: string;
  /** Where `text` was cut from the input. */
  readonly from: number;
  readonly to: number;
}

/**
 * The text of each element of `list` (a list the parse gave a span), or undefined when the list is not
 * laid out as one item per entry (an empty entry, a scalar item, an alias standing for an item).
 */
export function listPieces(source: SourceMap, list: readonly unknown[], directives: string): Piece[] | undefined {
  const span = source.spans.get(list);
  if (span === undefined || list.length === 0) return undefined;
  const { text } = source;
  const first = skipSeparation(text, span.start, span.end);
  const opener = text.charCodeAt(first);
  if (opener === 0x5b /* [ */) return flowPieces(source, list, span, directives);
  if (opener !== 0x2d /* - */) return undefined;

  const column = first - lineStart(text, first);
  const dashes: number[] = [];
  const starts: number[] = [];
  let dash = first;
  let floor = lineAfter(text, span.start);
  for (const element of list) {
    const node = element !== null && typeof element === 'object' ? source.spans.get(element) : undefined;
    if (node === undefined || dash >= span.end || text.charCodeAt(dash) !== 0x2d || dash - lineStart(text, dash) !== column) return undefined;
    if (skipSeparation(text, dash + 1, node.end) !== node.start || node.start <= dash) return undefined;
    dashes.push(dash);
    starts.push(leadingComments(text, lineStart(text, dash), floor, column));
    floor = lineAfter(text, node.contentEnd);
    dash = skipSeparation(text, node.end);
  }
  if (dash !== skipSeparation(text, span.end)) return undefined;
  const end = trailingStart(text, blankLineStart(text, span.end), floor, column);
  return dashes.map((at, index) => {
    const from = starts[index]!;
    const to = index + 1 < starts.length ? starts[index + 1]! : end;
    return { form: 'entry', text: withLineBreak(text.slice(from, to)), column, dash: at - from, directives, from, to };
  });
}

/** The text of a document's root node (documents as the parse numbered them, empty ones included). */
export function documentPiece(source: SourceMap, index: number): Piece | undefined {
  const root = source.documents[index];
  if (root === undefined) return undefined;
  return nodePiece(source.text, root, directivesBefore(source, index));
}

/** The text of a mapping or list that is the value of a key (the functionConfig). */
export function valuePiece(source: SourceMap, value: unknown): Piece | undefined {
  const span = value !== null && typeof value === 'object' ? source.spans.get(value) : undefined;
  return span === undefined ? undefined : nodePiece(source.text, span, '');
}

/** The `%` directive lines that precede document `index`. */
export function directivesBefore(source: SourceMap, index: number): string {
  const root = source.documents[index];
  if (root === undefined) return '';
  const from = index === 0 ? 0 : source.documents[index - 1]!.end;
  const lines = source.text
    .slice(from, root.start)
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('%'));
  return lines.map((line) => `${line}\n`).join('');
}

/** `piece` as an entry of a block list whose `-` is at column `indent`. */
export function asEntry(piece: Piece, indent: number): string {
  const { text, column } = piece;
  if (piece.form === 'entry') {
    if (column === indent) return text;
    return column < indent ? indentLines(text, indent - column, true) : dedentLines(text, column - indent);
  }
  const firstBreak = lineBreakAt(text);
  const rest = text.slice(firstBreak);
  // A block mapping or list that starts on the first line needs it at the column its other lines agree with.
  const at = keepsColumn(text, firstBreak) ? column : indent + 2;
  const shift = Math.max(0, indent + 2 - at, indent + 1 - minimumIndent(rest));
  return `${' '.repeat(indent)}-${' '.repeat(at + shift - indent - 1)}${text.slice(0, firstBreak)}${indentLines(rest, shift, false)}`;
}

/** `piece` as a document's root node. */
export function asDocument(piece: Piece): string {
  const { text } = piece;
  if (piece.form === 'entry') return dedentLines(`${text.slice(0, piece.dash)} ${text.slice(piece.dash + 1)}`, piece.column + 2);
  return keepsColumn(text, lineBreakAt(text)) ? `${' '.repeat(piece.column)}${text}` : text;
}

/** `piece` as what follows `key:` in a block mapping at column 0. */
export function asMappingValue(piece: Piece): string {
  const { text, column } = piece;
  if (piece.form === 'entry') return `\n${indentLines(text, Math.max(0, 1 - column), true)}`;
  const firstBreak = lineBreakAt(text);
  const rest = text.slice(firstBreak);
  const keep = startsBlock(text, firstBreak);
  const shift = Math.max(0, keep ? 1 - column : 0, 1 - minimumIndent(rest));
  return keep ? `\n${' '.repeat(column + shift)}${text.slice(0, firstBreak)}${indentLines(rest, shift, false)}` : ` ${text.slice(0, firstBreak)}${indentLines(rest, shift, false)}`;
}

/**
 * Whether the first line of a node's text (up to `firstBreak`) begins block content — a key or a `-` — rather
 * than a flow collection, or nothing but properties and a comment.
 */
function startsBlock(text: string, firstBreak: number): boolean {
  let at = 0;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 0x26 /* & */ && c !== 0x21 /* ! */) break;
    while (at < firstBreak && text.charCodeAt(at) !== 0x20 && text.charCodeAt(at) !== 0x09) at += 1;
    while (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) at += 1;
  }
  const c = text.charCodeAt(at);
  return at < firstBreak && c !== 0x23 /* # */ && c !== 0x7b /* { */ && c !== 0x5b; /* [ */
}

/** Whether the lines after the first are measured against the column of the first: block content over several lines. */
function keepsColumn(text: string, firstBreak: number): boolean {
  return startsBlock(text, firstBreak) && firstBreak < text.length - 1;
}

/**
 * Every line moved left by `count` spaces, or by as many as it starts with. Lines with fewer spaces than
 * that are, within one list entry, only comments and continuation lines of flow and quoted scalars, whose
 * leading blanks carry no meaning; all others move by the same amount, which keeps block structure as it was.
 */
export function dedentLines(text: string, count: number): string {
  const parts: string[] = [];
  let lineFrom = 0;
  while (lineFrom < text.length) {
    let skip = 0;
    while (skip < count && text.charCodeAt(lineFrom + skip) === 0x20) skip += 1;
    let end = lineFrom + skip;
    while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end += 1;
    end = text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : Math.min(end + 1, text.length);
    parts.push(text.slice(lineFrom + skip, end));
    lineFrom = end;
  }
  return parts.join('');
}

/** Every line that has any character, the first one too when `first`, moved right by `count` spaces. */
export function indentLines(text: string, count: number, first: boolean): string {
  if (count === 0 || text === '') return text;
  const pad = ' '.repeat(count);
  const parts: string[] = [];
  let lineFrom = 0;
  for (let at = 0; at <= text.length; at++) {
    const c = at < text.length ? text.charCodeAt(at) : -1;
    if (c !== 0x0a && c !== 0x0d && c !== -1) continue;
    const breakEnd = c === -1 ? at : c === 0x0d && text.charCodeAt(at + 1) === 0x0a ? at + 2 : at + 1;
    if (at > lineFrom && (first || lineFrom > 0)) parts.push(pad);
    parts.push(text.slice(lineFrom, breakEnd));
    if (c === -1) break;
    lineFrom = breakEnd;
    at = breakEnd - 1;
  }
  return parts.join('');
}

function flowPieces(source: SourceMap, list: readonly unknown[], span: Span, directives: string): Piece[] | undefined {
  const pieces: Piece[] = [];
  // A flow list is often one long line (compact JSON): its items' line starts are found in one pass over it.
  const lineStartOf = forwardLineStarts(source.text, span.start);
  let previousEnd = span.start;
  for (const element of list) {
    const node = element !== null && typeof element === 'object' ? source.spans.get(element) : undefined;
    if (node === undefined || node.start < previousEnd || node.end > span.end) return undefined;
    pieces.push(nodePiece(source.text, node, directives, lineStartOf));
    previousEnd = node.end;
  }
  return pieces;
}

/** From the node's first character to the end of the line its content ends on. */
function nodePiece(text: string, span: Span, directives: string, lineStartOf = (at: number): number => lineStart(text, at)): Piece {
  const from = skipSeparation(text, span.start, span.end);
  const to = endOfLastLine(text, Math.max(span.contentEnd, from));
  return { form: 'node', text: withLineBreak(text.slice(from, to)), column: from - lineStartOf(from), dash: -1, directives, from, to };
}

/** `lineStart` for positions asked in increasing order from `first` on, scanning the text once. */
function forwardLineStarts(text: string, first: number): (at: number) => number {
  let scanned = first;
  let start = lineStart(text, first);
  return (at) => {
    for (; scanned < at; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 0x0a || c === 0x0d) start = scanned + 1;
    }
    return start;
  };
}

/** Past a comment and the line break that end `at`'s line, if nothing else follows `at` on it. */
export function endOfLastLine(text: string, at: number): number {
  if (at === 0 || text.charCodeAt(at - 1) === 0x0a || text.charCodeAt(at - 1) === 0x0d) return at;
  let end = at;
  while (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09) end += 1;
  const blankBefore = text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09;
  if (blankBefore && text.charCodeAt(end) === 0x23 /* # */) {
    while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end += 1;
  }
  const c = text.charCodeAt(end);
  if (c === 0x0d) return text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
  if (c === 0x0a) return end + 1;
  return end >= text.length ? text.length : at;
}

/** Moves `from` (a line start) up over the comment lines at column ≤ `column` right above it, not above `floor`. */
function leadingComments(text: string, from: number, floor: number, column: number): number {
  let at = from;
  while (at > floor) {
    const previous = lineStart(text, at - 1);
    if (previous < floor || !isCommentLine(text, previous, column)) break;
    at = previous;
  }
  return at;
}

/** Moves `from` (a line start) up over blank lines and comments at column ≤ `column`, not above `floor`. */
function trailingStart(text: string, from: number, floor: number, column: number): number {
  let at = from;
  while (at > floor) {
    const previous = lineStart(text, at - 1);
    if (previous < floor || !(isCommentLine(text, previous, column) || isBlankLine(text, previous))) break;
    at = previous;
  }
  return at;
}

function isCommentLine(text: string, from: number, column: number): boolean {
  let at = from;
  while (text.charCodeAt(at) === 0x20) at += 1;
  return text.charCodeAt(at) === 0x23 && at - from <= column;
}

function isBlankLine(text: string, from: number): boolean {
  let at = from;
  while (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) at += 1;
  const c = text.charCodeAt(at);
  return c === 0x0a || c === 0x0d || at >= text.length;
}

export function lineStart(text: string, at: number): number {
  let from = at;
  while (from > 0) {
    const c = text.charCodeAt(from - 1);
    if (c === 0x0a || c === 0x0d) break;
    from -= 1;
  }
  return from;
}

/** `at` if it starts a line, else the start of the next line. */
function lineAfter(text: string, at: number): number {
  if (at === 0 || text.charCodeAt(at - 1) === 0x0a || (text.charCodeAt(at - 1) === 0x0d && text.charCodeAt(at) !== 0x0a)) return at;
  let end = at;
  while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end += 1;
  if (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a) return end + 2;
  return Math.min(end + 1, text.length);
}

/** The start of `at`'s line when only blanks precede `at` on it, else `at`. */
export function blankLineStart(text: string, at: number): number {
  const from = lineStart(text, at);
  for (let i = from; i < at; i++) if (text.charCodeAt(i) !== 0x20 && text.charCodeAt(i) !== 0x09) return at;
  return from;
}

/** Offset of the first line break (the end of the first line), or the length. */
function lineBreakAt(text: string): number {
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x0a || c === 0x0d) return at;
  }
  return text.length;
}

/** The least indentation (spaces) of the lines after the first line break that have any character. */
function minimumIndent(rest: string): number {
  let least = Infinity;
  let at = 0;
  while (at < rest.length) {
    const c = rest.charCodeAt(at);
    if (c === 0x0a || c === 0x0d) {
      at += 1;
      continue;
    }
    let spaces = 0;
    while (rest.charCodeAt(at + spaces) === 0x20) spaces += 1;
    const next = rest.charCodeAt(at + spaces);
    if (next !== 0x0a && next !== 0x0d && at + spaces < rest.length) least = Math.min(least, spaces);
    while (at < rest.length && rest.charCodeAt(at) !== 0x0a && rest.charCodeAt(at) !== 0x0d) at += 1;
  }
  return least === Infinity ? Number.MAX_SAFE_INTEGER : least;
}

function withLineBreak(text: string): string {
  const c = text.charCodeAt(text.length - 1);
  return c === 0x0a || c === 0x0d ? text : `${text}\n`;
}
