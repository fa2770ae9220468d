/**
 * Which input items can be written back as their own source text, so that an item the function leaves alone
 * keeps its quoting and flow style in the user's files (kpt restores comments and field order, not those).
 */
import { isDeepStrictEqual } from 'node:util';
import { itemTexts } from './item-text.js';
import { parseYaml } from './yaml.js';

/** Source text (a sequence entry at indentation 0) by input item object; empty when the layout is not one we can cut. */
export type VerbatimTexts = ReadonlyMap<unknown, string>;

/** Something that may be an anchor or an alias (or only looks like one, in a comment or a quoted string). */
const anchorOrAlias = /(?:^|[\s[{,:-])[&*][^\s,[\]{}]/;

/**
 * Cuts `source` into one text per item and keeps the cut only if the texts, read back together as one
 * sequence, give exactly the items parsed from the whole list, one for one, and every text that may hold an
 * anchor or alias reads back alone as its item (an alias to another item would break once items move or
 * go). A cut that disagrees anywhere means the layout was misjudged, and then every item is re-serialized.
 */
export function verbatimTexts(source: string, items: readonly unknown[]): VerbatimTexts {
  const texts = itemTexts(source, items.length);
  if (texts === undefined || !readsBackAs(texts.join(''), items)) return new Map();
  const selfContained = texts.every((text, index) => !anchorOrAlias.test(text) || readsBackAs(text, [items[index]]));
  if (!selfContained) return new Map();
  return new Map(items.map((item, index) => [item, texts[index] ?? '']));
}

function readsBackAs(text: string, items: readonly unknown[]): boolean {
  try {
    const parsed = parseYaml(text);
    return Array.isArray(parsed) && parsed.length === items.length && parsed.every((item, index) => isDeepStrictEqual(item, items[index]));
  } catch {
    return false;
  }
}
