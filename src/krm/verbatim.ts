/**
 * How each output item is written. An input item the function leaves alone is written as its own source
 * text (item-text.ts), so it comes back exactly as it was: quoting, comments, block scalars, numbers such as
 * `0o17` or `12345678901234567890`, tags. So does one whose only change is added annotations, with them
 * written into its text (annotated-text.ts). Every other item is serialized; one the function changed (a
 * defaulted stream, or an annotated one whose text cannot take the annotations) keeps, key by key, the spelling and tags of the values it took from its
 * input, and where even that cannot keep a value (a key that is not a string, a merge key bringing such a
 * value), the run is refused with an error naming the item and the field instead of changing it.
 */
import { isRecord } from '../core/index.js';
import { annotationInsertion, inserted } from './annotated-text.js';
import type { Insertion } from './annotated-text.js';
import { asDocument, asEntry, asMappingValue } from './item-text.js';
import type { Piece } from './item-text.js';
import { anyWithin, firstAtOrAfter } from './source-map.js';
import type { SourceMap, UnkeepableReason } from './source-map.js';
import { TaggedValue, stringifyYaml, stringifyYamlWith } from './yaml.js';

/** Something an item to be rewritten holds that rewriting would change. */
export interface Unkeepable {
  /** The input item it is in. */
  readonly item: unknown;
  /** Field path within the item, when known. */
  readonly path: string | undefined;
  readonly message: string;
}

export class ItemWriter {
  /** For serialized items that came from the input: the input mapping or list each of their own stands for. */
  private readonly donors = new Map<object, object>();
  private readonly donorOf = new Map<object, object>();
  /** Items written as their own text. */
  private readonly verbatim = new Set<unknown>();
  /** Items written as the text of the input item they were made from, with the annotations they add. */
  private readonly annotated = new Map<unknown, Insertion>();

  /**
   * `pieces`: the text of input items, where it could be cut (see `itemPieces`); `source`: the parse they
   * come from, when there was one.
   */
  constructor(
    private readonly source: SourceMap | undefined,
    private readonly pieces: ReadonlyMap<unknown, ItemPiece>,
    private readonly configPiece?: { readonly value: unknown; readonly piece: Piece },
  ) {
    // An item that comes out as the very object that went in is written as its old text: a change made to it
    // in place would be lost without a word. Frozen, such a change fails loudly instead. The levels the
    // adapter edits (the item, its metadata, annotations and labels) are frozen; freezing every level costs
    // 2 % of a large run.
    for (const item of pieces.keys()) freezeTop(item);
  }

  /** `%` directives the input's list items are written under. */
  get directives(): string {
    for (const { piece } of this.pieces.values()) return piece.directives;
    return '';
  }

  /**
   * Decides how the output items are written and finds what rewriting would change. Must be called, with
   * the input items, the output items and the input item each new output item was made from (`origins`),
   * before any `entry` or `document`.
   *
   * An item is written as its own text when it refers to no anchor outside itself, or when everything
   * before it is written as it was in the input (so that its aliases still find their anchors).
   */
  plan(inputItems: readonly unknown[], outputItems: readonly unknown[], origins: ReadonlyMap<unknown, unknown> = new Map()): Unkeepable[] {
    this.verbatim.clear();
    this.annotated.clear();
    let unchangedPrefix = true;
    const source = this.source;
    outputItems.forEach((item, index) => {
      const known = this.pieces.get(item);
      unchangedPrefix &&= known !== undefined && inputItems[index] === item;
      if (known !== undefined && (known.selfContained || unchangedPrefix)) {
        this.verbatim.add(item);
        return;
      }
      const origin = origins.get(item);
      const from = origin === undefined ? undefined : this.pieces.get(origin);
      const insertion = source !== undefined && from?.selfContained === true ? annotationInsertion(source, from.piece, origin, item) : undefined;
      if (insertion !== undefined) this.annotated.set(item, insertion);
    });
    if (source === undefined || (source.notable.length === 0 && source.unplaced.length === 0)) return [];
    const inputs = new Set(inputItems);
    const outputs = new Set(outputItems);
    const replaced = new Map<string, object>();
    for (const item of inputItems) {
      const identity = identityOf(item);
      if (identity !== undefined && !outputs.has(item) && !replaced.has(identity)) replaced.set(identity, item as object);
    }
    const problems: Unkeepable[] = [];
    for (const item of outputItems) {
      if (this.verbatim.has(item) || this.annotated.has(item) || item === null || typeof item !== 'object') continue;
      const donor = inputs.has(item) ? item : replaced.get(identityOf(item) ?? '');
      if (donor === undefined) continue;
      this.donorOf.set(item, donor);
      const why = donor === item ? 'it refers to an anchor defined outside it' : 'the function changes it';
      for (const problem of this.matchDonor(item, donor, donor, '', why)) problems.push(problem);
      const span = source.spans.get(donor);
      if (span !== undefined && anyWithin(source.unplaced, span.start, span.end)) {
        const at = source.unplaced.find((position) => position >= span.start && position < span.end)!;
        problems.push({
          item: donor,
          path: undefined,
          message:
            `this item must be rewritten (${why}), and the value at ${lineAndColumn(source.text, at)} of the input, written in a way ` +
            'only its own text keeps (a number such as 0o17 or 1.10, or a tag), would not survive that; write it in plain form or quote it',
        });
      }
    }
    return problems;
  }

  /** `item` as an entry of the output's `items` list, its `-` at column 0. */
  entry(item: unknown): string {
    const piece = this.textOf(item);
    return piece !== undefined ? asEntry(piece, 0) : this.serialize([item], item);
  }

  /** `item` as one document of a multi-document stream (`---` included). */
  document(item: unknown, first: boolean): string {
    const piece = this.textOf(item);
    if (piece === undefined) return `---\n${this.serialize(item, item)}`;
    return `${piece.directives === '' ? '' : `${first ? '' : '...\n'}${piece.directives}`}---\n${asDocument(piece)}`;
  }

  /** The `functionConfig:` key and its value, as the input wrote it when it can be cut from there. */
  functionConfig(value: unknown): string {
    if (this.configPiece !== undefined && this.configPiece.value === value) return `functionConfig:${asMappingValue(this.configPiece.piece)}`;
    return stringifyYaml({ functionConfig: value });
  }

  private textOf(item: unknown): Piece | undefined {
    if (this.verbatim.has(item)) return this.pieces.get(item)?.piece;
    const insertion = this.annotated.get(item);
    return insertion === undefined ? undefined : inserted(insertion);
  }

  private serialize(value: unknown, item: unknown): string {
    const source = this.source;
    if (source === undefined || !(item !== null && typeof item === 'object' && this.donorOf.has(item))) return stringifyYaml(value);
    const donors = this.donors;
    return stringifyYamlWith(value, function replace(this: unknown, key: string, written: unknown): unknown {
      const holder = this !== null && typeof this === 'object' ? (donors.get(this) ?? this) : this;
      const spelling = holder !== null && typeof holder === 'object' ? source.spellings.get(holder)?.get(key) : undefined;
      if (spelling !== undefined && Object.is(spelling.value, written)) return spelling.written;
      if (written !== null && typeof written === 'object' && !(written instanceof TaggedValue)) {
        const tag = source.tags.get(donors.get(written) ?? written);
        if (tag !== undefined) return new TaggedValue(tag, written);
      }
      return written;
    });
  }

  /** Pairs what `value` holds with what `donor` held at the same place, and collects what cannot be kept. */
  private matchDonor(value: unknown, donor: unknown, item: unknown, path: string, why: string): Unkeepable[] {
    if (value === null || typeof value !== 'object' || donor === null || typeof donor !== 'object') return [];
    if (this.donors.has(value)) return [];
    if (value !== donor) this.donors.set(value, donor);
    const problems: Unkeepable[] = [];
    for (const [key, reason] of this.source!.unkeepable.get(donor) ?? []) {
      const kept = key === '*' || (Object.prototype.hasOwnProperty.call(value, key) && Object.is((value as Record<string, unknown>)[key], (donor as Record<string, unknown>)[key]));
      if (kept) problems.push({ item, path: key === '*' ? path || undefined : joinPath(path, key, Array.isArray(donor)), message: unkeepableMessage(reason, why) });
    }
    if (Array.isArray(value) && Array.isArray(donor)) {
      for (let index = 0; index < Math.min(value.length, donor.length); index++) {
        for (const problem of this.matchDonor(value[index], donor[index], item, joinPath(path, String(index), true), why)) problems.push(problem);
      }
    } else if (!Array.isArray(value) && !Array.isArray(donor)) {
      for (const key of Object.keys(value)) {
        if (Object.prototype.hasOwnProperty.call(donor, key)) {
          for (const problem of this.matchDonor((value as Record<string, unknown>)[key], (donor as Record<string, unknown>)[key], item, joinPath(path, key, false), why)) {
            problems.push(problem);
          }
        }
      }
    }
    return problems;
  }
}

/** An input item's text, and whether it may be written without the items before it. */
export interface ItemPiece {
  readonly piece: Piece;
  /** No alias in it names an anchor outside it (which would dangle once the item is written on its own). */
  readonly selfContained: boolean;
}

/** The pieces of `items` that could be cut, by item. */
export function itemPieces(source: SourceMap, items: readonly unknown[], pieces: ReadonlyArray<Piece | undefined>): Map<unknown, ItemPiece> {
  const map = new Map<unknown, ItemPiece>();
  items.forEach((item, index) => {
    const piece = pieces[index];
    if (piece !== undefined && !map.has(item)) map.set(item, { piece, selfContained: selfContained(source, piece.from, piece.to) });
  });
  return map;
}

export function selfContained(source: SourceMap, from: number, to: number): boolean {
  const { aliases } = source;
  if (aliases.length === 0) return true;
  for (let index = firstAtOrAfter(aliases, from, (alias) => alias.at); index < aliases.length && aliases[index]!.at < to; index++) {
    const { anchor } = aliases[index]!;
    if (anchor < from || anchor >= to) return false;
  }
  return true;
}

const UNKEEPABLE: Readonly<Record<UnkeepableReason, { readonly what: string; readonly fix: string }>> = {
  'non-string-key': { what: 'key that is not a string (a number, true, null)', fix: 'quote the key' },
  'tagged-key': { what: 'tagged key', fix: 'remove the tag from the key' },
  'collection-key': { what: 'key that is a mapping or a list', fix: 'use a string key' },
  'merged-spelling': {
    what: 'value merged in with << and written in a way only its own text keeps (such as 0o17 or 1.10)',
    fix: 'write the value out in this mapping, or quote it where the anchor defines it',
  },
};

function unkeepableMessage(reason: UnkeepableReason, why: string): string {
  const { what, fix } = UNKEEPABLE[reason];
  return `this item must be rewritten (${why}), and its ${what} would not survive that; ${fix}`;
}

function joinPath(path: string, key: string, index: boolean): string {
  if (index) return `${path}[${key}]`;
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? segment : `${path}.${segment}`;
}

function freezeTop(item: unknown): void {
  if (!isRecord(item)) return;
  Object.freeze(item);
  const metadata = item['metadata'];
  if (!isRecord(metadata)) return;
  Object.freeze(metadata);
  for (const key of ['annotations', 'labels']) {
    const map = metadata[key];
    if (map !== null && typeof map === 'object') Object.freeze(map);
  }
}

/** apiVersion, kind, namespace and name, for objects that have them. */
function identityOf(item: unknown): string | undefined {
  if (!isRecord(item) || !isRecord(item['metadata'])) return undefined;
  const { namespace, name } = item['metadata'];
  return JSON.stringify([item['apiVersion'], item['kind'], typeof namespace === 'string' ? namespace : '', name]);
}

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineFrom = 0;
  for (let at = 0; at < position; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) {
      line += 1;
      lineFrom = at + 1;
    }
  }
  return `line ${line}, column ${position - lineFrom + 1}`;
}
