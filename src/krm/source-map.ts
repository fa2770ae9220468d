/**
 * What the one parse of the input learns about the text, through js-yaml's node listener: where each
 * document, list item and field mapping is written (so that items can be copied back as their own text),
 * and — rarely needed, so recorded only where they occur — the few things a value alone cannot say about how
 * it was written: numbers spelled in a way serialization would change (`0o17`, `1.10`, `12345678901234567890`),
 * tags other than the core schema's, keys that are not strings, aliases and merge keys.
 */
import { canonicalNumber } from './emit.js';
import { CORE_TAGS, SourceScalar, TaggedValue } from './yaml.js';
import type { Listener } from './yaml.js';

export interface Span {
  /** Where js-yaml opened the node: at its first character, or for a mapping value just after the `:`. */
  readonly start: number;
  /** Where js-yaml closed it; a block collection closes past the blank lines and comments that follow it. */
  readonly end: number;
  /** Just past its last character of content (a scalar, an alias, a closing bracket). */
  readonly contentEnd: number;
}

/** How a value must be written for its text to keep its meaning, and the value it stands for. */
export interface Spelling {
  readonly value: unknown;
  readonly written: SourceScalar | TaggedValue;
}

export interface SourceMap {
  readonly text: string;
  /**
   * Mappings and lists near the top of each document (documents, list items, their fields) and the `metadata`
   * and `annotations` mappings of list items, by object.
   */
  readonly spans: ReadonlyMap<object, Span>;
  /** One per document, empty ones included, in order. */
  readonly documents: readonly Span[];
  /** Every alias (`*name`): where it is written and where the node its anchor names starts; by `at`. */
  readonly aliases: readonly { readonly at: number; readonly anchor: number }[];
  /** Where something below starts; empty for ordinary input, so that nothing else need be looked at. */
  readonly notable: readonly number[];
  /** Spellings serialization would lose, by the mapping or list holding them and key (index for lists). */
  readonly spellings: WeakMap<object, ReadonlyMap<string, Spelling>>;
  /** Tags of tagged mappings and lists. */
  readonly tags: WeakMap<object, string>;
  /** Keys (`*` for any key) whose value cannot be written again as it was read, and why. */
  readonly unkeepable: WeakMap<object, ReadonlyMap<string, UnkeepableReason>>;
  /** Spellings that could not be tied to a key: serializing what holds them would lose them. */
  readonly unplaced: readonly number[];
}

/** Why something cannot be written again by serialization. */
export type UnkeepableReason = 'non-string-key' | 'tagged-key' | 'collection-key' | 'merged-spelling';

/**
 * Depth (js-yaml's count, the document at 1) down to which mappings and lists get a span: list items and the
 * functionConfig of a block document. js-yaml reads a flow document (JSON) one level deeper: it first tries
 * its root as the key of a block mapping, which opens a second node where the root opened.
 */
const SPAN_DEPTH = 3;
const MERGE_TAG = 'tag:yaml.org,2002:merge';

interface Pending {
  readonly kind: 'spelling' | 'key' | 'merge';
  readonly start: number;
  readonly value: unknown;
  /** The string closed just before at the same depth: the key, when the parent is a mapping. */
  readonly key: unknown;
  readonly written?: SourceScalar | TaggedValue;
  readonly reason?: UnkeepableReason;
}

/**
 * Parses `text` with `parse` and records its source map. `parse` asks for a listener once per attempt (a reader
 * that gives up half-way leaves a record nobody may use), and the map is the last attempt's.
 */
export function parseWithSourceMap<T>(text: string, parse: (text: string, listen: () => Listener) => T): { readonly value: T; readonly source: SourceMap } {
  let recorder: ReturnType<typeof recordSource> | undefined;
  const value = parse(text, () => (recorder = recordSource(text)).listener);
  return { value, source: (recorder ?? recordSource(text)).finish() };
}

/** A listener for one parse of `text`, and what it learnt once the parse is done. */
export function recordSource(text: string): { readonly listener: Listener; finish(): SourceMap } {
  const withAnchors = text.includes('&');
  const openAt: number[] = [];
  const lastString: unknown[] = [];
  const mergeNext: boolean[] = [];
  const spans = new Map<object, Span>();
  const documents: Span[] = [];
  const aliases: Array<{ at: number; anchor: number }> = [];
  const notable: number[] = [];
  const unplaced: number[] = [];
  const pending: Pending[] = [];
  const spellings = new WeakMap<object, Map<string, Spelling>>();
  const tags = new WeakMap<object, string>();
  const unkeepable = new WeakMap<object, Map<string, UnkeepableReason>>();
  const anchorStarts = new Map<string, number>();
  const anchorSpellings = new Map<string, Spelling>();
  let lastContentEnd = 0;
  let anyMerge = false;

  const push = (entry: Pending): void => {
    // A node js-yaml read twice (a property first tried as a key) leaves an inner twin: keep the outer one.
    if (entry.kind === 'spelling')
      while (pending.length > 0 && pending[pending.length - 1]!.start >= entry.start && pending[pending.length - 1]!.kind === 'spelling') pending.pop();
    pending.push(entry);
    notable.push(entry.start);
  };

  const markUnkeepable = (container: object, key: string, reason: UnkeepableReason): void => {
    let keys = unkeepable.get(container);
    if (keys === undefined) unkeepable.set(container, (keys = new Map<string, UnkeepableReason>()));
    if (!keys.has(key)) keys.set(key, reason);
  };

  /** Ties what is pending inside a mapping or list that just closed to its keys. */
  const settle = (container: object, isList: boolean, start: number): void => {
    let listBound = isList ? (container as unknown[]).length - 1 : 0;
    while (pending.length > 0 && pending[pending.length - 1]!.start >= start) {
      const entry = pending.pop()!;
      if (entry.kind === 'key') {
        markUnkeepable(container, '*', entry.reason!);
      } else if (entry.kind === 'merge') {
        for (const source of Array.isArray(entry.value) ? (entry.value as unknown[]) : [entry.value]) {
          if (source === null || typeof source !== 'object') continue;
          for (const [key, spelling] of spellings.get(source) ?? []) {
            if (Object.is((container as Record<string, unknown>)[key], spelling.value)) {
              markUnkeepable(container, key, 'merged-spelling');
            }
          }
        }
      } else {
        const key = isList ? onlyIndexOf(container as unknown[], entry.value, listBound) : ownKeyHolding(container, entry.key, entry.value);
        if (key === undefined) {
          unplaced.push(entry.start);
          continue;
        }
        if (isList) listBound = Number(key) - 1;
        let keys = spellings.get(container);
        if (keys === undefined) spellings.set(container, (keys = new Map<string, Spelling>()));
        keys.set(key, { value: entry.value, written: entry.written! });
      }
    }
  };

  const listener: Listener = (event, state) => {
    const depth = state.depth;
    const position = state.position;
    if (event === 'open') {
      openAt[depth] = position;
      return;
    }
    const result = state.result;
    const tag = state.tag;
    const start = openAt[depth]!;
    let spelling: Spelling | undefined;
    const mergedIn = anyMerge && mergeNext[depth] === true;
    if (typeof result === 'string') {
      lastContentEnd = position;
      if (tag !== null && tag !== '?' && !CORE_TAGS.has(tag)) {
        spelling = { value: result, written: new TaggedValue(tag, result) };
        if (isKeyAt(text, position)) push({ kind: 'key', start, value: result, key: undefined, reason: 'tagged-key' });
        else push({ kind: 'spelling', start, value: result, key: lastString[depth], written: spelling.written });
      } else if (tag === MERGE_TAG) {
        anyMerge = true;
        mergeNext[depth] = true;
      }
      lastString[depth] = result;
    } else {
      const kind = state.kind;
      if (kind === 'mapping' || kind === 'sequence') {
        const bracket = text.charCodeAt(position - 1);
        if (bracket === 0x5d /* ] */ || bracket === 0x7d /* } */) lastContentEnd = position;
        const node = result as object;
        if (depth <= SPAN_DEPTH || (depth === SPAN_DEPTH + 1 && openAt[2] === openAt[1]) || isAnnotationsHolder(kind, depth, lastString[depth])) {
          spans.set(node, { start, end: position, contentEnd: lastContentEnd });
        }
        if (tag !== null && tag !== '?' && !CORE_TAGS.has(tag)) {
          tags.set(node, tag);
          notable.push(start);
        }
        if (pending.length > 0) settle(node, kind === 'sequence', start);
        if (isKeyAt(text, position)) push({ kind: 'key', start, value: result, key: undefined, reason: 'collection-key' });
      } else if (kind === 'scalar') {
        lastContentEnd = position;
        if (isKeyAt(text, position)) {
          push({ kind: 'key', start, value: result, key: undefined, reason: 'non-string-key' });
        } else if (typeof result === 'number') {
          const written = tokenText(text, start, position);
          if (written !== canonicalNumber(result)) {
            spelling = { value: result, written: new SourceScalar(written) };
            if (written.includes('\n') || written.includes('\r')) unplaced.push(start);
            else push({ kind: 'spelling', start, value: result, key: lastString[depth], written: spelling.written });
          }
        }
      } else if (kind === null && !withAnchors) {
        // An empty value: its key's `:` is the last of its content.
        if (start > lastContentEnd) lastContentEnd = start;
      } else if (kind === null) {
        if (start > lastContentEnd) lastContentEnd = start;
        const at = aliasAt(text, start, position);
        if (at >= 0) {
          lastContentEnd = position;
          const name = aliasName(text, at);
          aliases.push({ at, anchor: anchorStarts.get(name) ?? -1 });
          const aliased = anchorSpellings.get(name);
          if (aliased !== undefined) push({ kind: 'spelling', start: at, value: result, key: lastString[depth], written: aliased.written });
        }
      }
    }
    if (mergedIn) {
      mergeNext[depth] = false;
      push({ kind: 'merge', start, value: result, key: undefined });
    }
    if (withAnchors && state.anchor !== null) {
      anchorStarts.set(state.anchor, start);
      if (spelling === undefined) anchorSpellings.delete(state.anchor);
      else anchorSpellings.set(state.anchor, spelling);
    }
    if (depth === 1) documents.push({ start, end: position, contentEnd: lastContentEnd });
  };

  return {
    listener,
    finish: () => ({
      text,
      spans,
      documents,
      aliases: aliases.sort((a, b) => a.at - b.at),
      notable: notable.sort((a, b) => a - b),
      spellings,
      tags,
      unkeepable,
      unplaced: [...unplaced, ...pending.filter((entry) => entry.kind === 'spelling').map((entry) => entry.start)].sort((a, b) => a - b),
    }),
  };
}

/**
 * A list item's `metadata` mapping and its `annotations` (deeper than SPAN_DEPTH in a ResourceList), where
 * annotations the function adds to an item are written into its text. Keyed by the string closed just
 * before, which for a mapping value is its key; a stale one only records a span nobody asks for.
 */
function isAnnotationsHolder(kind: string, depth: number, key: unknown): boolean {
  return kind === 'mapping' && ((depth === SPAN_DEPTH + 1 && key === 'metadata') || (depth === SPAN_DEPTH + 2 && key === 'annotations'));
}

/** Whether any position of `sorted` lies in [from, to). */
export function anyWithin(sorted: readonly number[], from: number, to: number): boolean {
  const first = firstAtOrAfter(sorted, from, (position) => position);
  return first < sorted.length && sorted[first]! < to;
}

/** Whether an alias is written within [from, to). */
export function aliasWithin(source: SourceMap, from: number, to: number): boolean {
  const { aliases } = source;
  const first = firstAtOrAfter(aliases, from, (alias) => alias.at);
  return first < aliases.length && aliases[first]!.at < to;
}

/** The index of the first entry of `sorted` (ordered by `position`) at or after `from`: a binary search. */
export function firstAtOrAfter<T>(sorted: readonly T[], from: number, position: (entry: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (position(sorted[middle]!) < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The scalar's own text: from its first character (after separation and any anchor) to its end. */
function tokenText(text: string, start: number, end: number): string {
  let from = skipSeparation(text, start, end);
  if (text.charCodeAt(from) === 0x26 /* & */) {
    while (from < end && !isSpace(text.charCodeAt(from))) from += 1;
    from = skipSeparation(text, from, end);
  }
  let to = end;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to -= 1;
  return text.slice(from, to);
}

/** The position of the `*` if the node that closed at `end` is an alias, else -1. */
function aliasAt(text: string, start: number, end: number): number {
  const at = skipSeparation(text, start, end);
  return at < end && text.charCodeAt(at) === 0x2a /* * */ ? at : -1;
}

function aliasName(text: string, at: number): string {
  let end = at + 1;
  for (let c = text.charCodeAt(end); end < text.length && !isSpace(c) && !isFlowIndicator(c); c = text.charCodeAt(++end));
  return text.slice(at + 1, end);
}

/** Whether a `:` that makes what precedes it a mapping key follows `position` (after blanks on the line). */
function isKeyAt(text: string, position: number): boolean {
  let at = position;
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x09) c = text.charCodeAt(++at);
  if (c !== 0x3a /* : */) return false;
  const next = text.charCodeAt(at + 1);
  return Number.isNaN(next) || isSpace(next) || isFlowIndicator(next);
}

/** Past blanks, line breaks and comments, from `from` (never past `limit`). */
export function skipSeparation(text: string, from: number, limit = text.length): number {
  let at = from;
  while (at < limit) {
    const c = text.charCodeAt(at);
    if (isSpace(c)) at += 1;
    else if (c === 0x23 /* # */) {
      while (at < limit && text.charCodeAt(at) !== 0x0a && text.charCodeAt(at) !== 0x0d) at += 1;
    } else break;
  }
  return at;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

function ownKeyHolding(container: object, key: unknown, value: unknown): string | undefined {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(container, key) && Object.is((container as Record<string, unknown>)[key], value) ? key : undefined;
}

/** The index of the one element of `list` (up to `bound`) that is `value`; undefined when none or several. */
function onlyIndexOf(list: readonly unknown[], value: unknown, bound: number): string | undefined {
  let found = -1;
  for (let index = bound; index >= 0; index--) {
    if (!Object.is(list[index], value)) continue;
    if (found >= 0) return undefined;
    found = index;
  }
  return found >= 0 ? String(found) : undefined;
}
