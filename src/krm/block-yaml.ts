/**
 * A fast reader for the YAML that kpt and kustomize write (kyaml's encoder): a document, or a stream of them
 * with bare `---` lines between, of block mappings and block sequences, single-line plain and quoted scalars,
 * literal block scalars, `{}` and `[]`, comments and blank lines. For such text it gives what js-yaml gives —
 * the same values, and the same events at the same positions for a listener (source-map.ts learns everything
 * it knows from them) — in about half the time, because it reads line by line instead of trying every kind of
 * node at every character.
 *
 * Anything outside that subset, and anything js-yaml would refuse, makes it give up (UNSUPPORTED), and the
 * caller parses the text with js-yaml: anchors, aliases, tags, folded block scalars, flow collections with
 * content, plain and quoted scalars over several lines, escaped line breaks, quoted keys, keys that are not
 * strings, merge keys, duplicate keys, tabs, carriage returns, non-printable characters, a leading byte order
 * mark, `---` with anything after it, `...` and directives. test/krm/block-yaml.test.ts holds it to js-yaml
 * on generated text.
 */
import type { Listener, ParserState } from './yaml.js';

/** What `readBlockYaml` gives for text it does not read itself. */
export const UNSUPPORTED: unique symbol = Symbol('unsupported by the block YAML reader');

/** A js-yaml implicit type, as the load schema compiles them: what a plain scalar may resolve to. */
export interface ImplicitType {
  readonly tag: string;
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

/** What a plain scalar may resolve to, and a quick test that rules most scalars out before the types are tried. */
export interface PlainScalarTypes {
  /** The schema's implicit types, in the order js-yaml tries them. */
  readonly implicit: readonly ImplicitType[];
  /** False only for text that none of them resolves. */
  readonly mayResolve: (text: string) => boolean;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';
const NO_TYPES: readonly ImplicitType[] = [];
/** js-yaml refuses to nest deeper than 100; well before that, the text is left to it. */
const MAX_DEPTH = 90;

/**
 * Characters this reader does not take anywhere: js-yaml's non-printable characters (which it refuses in
 * scalars), and also tabs and carriage returns, whose rules (indentation, line breaks) it leaves to js-yaml.
 */
const OUTSIDE_SUBSET = /[\x00-\x09\x0B-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

const LF = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** js-yaml's one-character escapes in double-quoted scalars (an escaped line break continues the scalar: not read here). */
const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map(
  (
    [
      ['0', '\x00'],
      ['a', '\x07'],
      ['b', '\x08'],
      ['t', '\x09'],
      ['n', '\x0A'],
      ['v', '\x0B'],
      ['f', '\x0C'],
      ['r', '\x0D'],
      ['e', '\x1B'],
      [' ', ' '],
      ['"', '"'],
      ['/', '/'],
      ['\\', '\\'],
      ['N', '\x85'],
      ['_', '\xA0'],
      ['L', '\u2028'],
      ['P', '\u2029'],
    ] as const
  ).map(([escape, meaning]) => [escape.charCodeAt(0), meaning]),
);
/** Its hexadecimal escapes, by letter: how many digits follow. */
const HEX_ESCAPE_LENGTHS: ReadonlyMap<number, number> = new Map([
  [0x78 /* x */, 2],
  [0x75 /* u */, 4],
  [0x55 /* U */, 8],
]);

/** Thrown inside the reader when the text leaves the subset, and caught at its entry: made once, never shown. */
class OutsideSubset extends Error {
  override readonly name = 'OutsideSubset';
}
const OUTSIDE = new OutsideSubset('the text is not of the block subset');

/**
 * Reads `text` (which must end with a line break) as js-yaml's `load` would with `types.implicit` as the
 * schema's implicit types, showing the listener `listen` gives the events js-yaml's loader would show it; or
 * UNSUPPORTED when the text is not of the subset described above. The reader may give up after showing some
 * events: `listen` is called once per read, so that whoever parses the text next starts from a fresh listener.
 */
export function readBlockYaml(text: string, types: PlainScalarTypes, listen?: () => Listener): unknown {
  return read(text, (listener) => new BlockReader(text, types, listener).document(), listen);
}

/**
 * Reads `text` as js-yaml's `loadAll` would: a stream of documents, `---` lines between them, each of the
 * subset above; empty documents as null. UNSUPPORTED as for readBlockYaml.
 */
export function readBlockYamlDocuments(text: string, types: PlainScalarTypes, listen?: () => Listener): unknown[] | typeof UNSUPPORTED {
  return read(text, (listener) => new BlockReader(text, types, listener, true).documents(), listen);
}

/** What `reading` gives, or UNSUPPORTED when the text is outside the subset at a glance or half-way through. */
function read<T>(text: string, reading: (listener: Listener | undefined) => T, listen: (() => Listener) | undefined): T | typeof UNSUPPORTED {
  // js-yaml drops a leading byte order mark, and counts positions in what remains.
  if (text.charCodeAt(text.length - 1) !== LF || text.charCodeAt(0) === 0xfeff || OUTSIDE_SUBSET.test(text)) return UNSUPPORTED;
  try {
    return reading(listen?.());
  } catch (error) {
    if (error === OUTSIDE) return UNSUPPORTED;
    throw error;
  }
}

/** js-yaml's node kinds and the tag it gives a plain scalar before resolving it. */
type Kind = ParserState['kind'];
const SCALAR = 'scalar';
const SEQUENCE = 'sequence';
const MAPPING = 'mapping';
const PLAIN_TAG = '?';

class BlockReader {
  /** Where the next content line starts (its first character after the indentation), or the text's length. */
  #next = 0;
  /** The indentation of that line, or -1 at the end of the text. */
  #nextIndent = -1;
  /** Whether that line is a `---` between two documents of a stream (its indentation is 0). */
  #atMarker = false;
  /** What the listener is shown, as js-yaml's loader shows it its state. */
  readonly #state: { -readonly [K in keyof ParserState]: ParserState[K] };

  constructor(
    private readonly text: string,
    private readonly types: PlainScalarTypes,
    private readonly listener: Listener | undefined,
    /** Whether the text is a stream of documents (`---` between them), read as js-yaml's loadAll reads it. */
    private readonly stream = false,
  ) {
    this.#state = { input: text, position: 0, depth: 0, kind: null, result: null, tag: null, anchor: null };
  }

  document(): unknown {
    this.#seek(0);
    if (this.#nextIndent !== 0) throw OUTSIDE;
    const start = this.#next;
    if (this.#startsDocumentMarker(start)) throw OUTSIDE;
    this.#open(1, start);
    const root = this.#mapping(start, 0, 1);
    if (this.#next !== this.text.length) throw OUTSIDE;
    this.#close(1, this.#next, MAPPING, root, null);
    return root;
  }

  /** The documents of a stream, empty ones as null, with the events js-yaml's loadAll shows a listener. */
  documents(): unknown[] {
    const text = this.text;
    const documents: unknown[] = [];
    this.#seek(0);
    if (this.#next === text.length) throw OUTSIDE;
    if (this.#atMarker) this.#seek(this.#next + 4);
    for (;;) {
      const start = this.#next;
      if (start === text.length) {
        // A `---` that ends the text opens one more, empty, document.
        this.#open(1, start);
        this.#close(1, start, null, null, null);
        documents.push(null);
        return documents;
      }
      if (this.#atMarker) {
        // An empty document before the next `---`: js-yaml looks there for a first key, in vain.
        this.#open(1, start);
        this.#open(2, start);
        this.#close(2, start, null, null, null);
        this.#close(1, start, null, null, null);
        documents.push(null);
      } else {
        if (this.#nextIndent !== 0) throw OUTSIDE;
        this.#open(1, start);
        const root = this.#mapping(start, 0, 1);
        this.#close(1, this.#next, MAPPING, root, null);
        documents.push(root);
        if (this.#next === text.length) return documents;
      }
      this.#seek(this.#next + 4);
    }
  }

  #open(depth: number, position: number): void {
    if (depth > MAX_DEPTH) throw OUTSIDE;
    if (this.listener === undefined) return;
    const state = this.#state;
    state.depth = depth;
    state.position = position;
    this.listener('open', state);
    // As in js-yaml, the node's own fields are cleared only after the listener has seen its opening.
    state.kind = null;
    state.result = null;
    state.tag = null;
  }

  #close(depth: number, position: number, kind: Kind, result: unknown, tag: string | null): void {
    if (this.listener === undefined) return;
    const state = this.#state;
    state.depth = depth;
    state.position = position;
    state.kind = kind;
    state.result = result;
    state.tag = tag;
    this.listener('close', state);
  }

  /**
   * The block mapping whose first key starts at `first`, in column `indent`; `depth` is its node's. Its keys
   * and values are nodes one deeper. Leaves #next at the first content line that is not its own.
   */
  #mapping(first: number, indent: number, depth: number): Record<string, unknown> {
    const text = this.text;
    const result: Record<string, unknown> = {};
    let start = first;
    for (;;) {
      const colon = this.#keyEnd(start);
      if (colon < 0) throw OUTSIDE;
      const key = this.#key(start, colon);
      if (Object.prototype.hasOwnProperty.call(result, key)) throw OUTSIDE;
      this.#open(depth + 1, start);
      this.#close(depth + 1, colon, SCALAR, key, PLAIN_TAG);
      this.#open(depth + 1, colon + 1);
      let at = colon + 1;
      while (text.charCodeAt(at) === SPACE) at += 1;
      const c = text.charCodeAt(at);
      if (c === LF || c === HASH) {
        // `#` right after the `:` cannot be: #keyEnd only ends a key at `: ` or `:` and a line break.
        this.#seek(c === LF ? at + 1 : text.indexOf('\n', at) + 1);
        result[key] = this.#blockValue(indent, depth + 1);
      } else {
        result[key] = this.#inlineValue(at, indent, depth + 1, false);
      }
      if (this.#nextIndent < indent) return result;
      if (this.#atMarker) {
        // js-yaml looks for one more key at the `---` that ends the document, and finds an empty node.
        this.#open(depth + 1, this.#next);
        this.#close(depth + 1, this.#next, null, null, null);
        return result;
      }
      if (this.#nextIndent > indent || this.#isEntry(this.#next)) throw OUTSIDE;
      start = this.#next;
    }
  }

  /** The value of a key whose line ends after its `:` (#next is at the next content line). */
  #blockValue(indent: number, depth: number): unknown {
    const next = this.#next;
    const nextIndent = this.#nextIndent;
    let value: unknown;
    let kind: Kind;
    if (nextIndent > indent && !this.#isEntry(next)) {
      value = this.#mapping(next, nextIndent, depth);
      kind = MAPPING;
    } else if (nextIndent >= indent && this.#isEntry(next)) {
      // An entry in the key's own column is kyaml's compact style: the list is still the key's value.
      value = this.#sequence(next, nextIndent, depth);
      kind = SEQUENCE;
    } else {
      this.#close(depth, next, null, null, null);
      return null;
    }
    this.#close(depth, this.#next, kind, value, null);
    return value;
  }

  /** The block sequence whose first entry's `-` is at `first`, in column `indent`; `depth` is its node's. */
  #sequence(first: number, indent: number, depth: number): unknown[] {
    const text = this.text;
    const result: unknown[] = [];
    let dash = first;
    for (;;) {
      let at = dash + 1;
      while (text.charCodeAt(at) === SPACE) at += 1;
      const c = text.charCodeAt(at);
      if (c === LF || c === HASH) {
        // The entry starts on a later line (kpt puts an item's leading comment after its `-`).
        this.#seek(c === LF ? at + 1 : text.indexOf('\n', at) + 1);
        if (this.#nextIndent <= indent) throw OUTSIDE;
        at = this.#next;
      }
      const column = at - text.lastIndexOf('\n', at) - 1;
      if (this.#isEntry(at)) {
        this.#open(depth + 1, at);
        const value = this.#sequence(at, column, depth + 1);
        this.#close(depth + 1, this.#next, SEQUENCE, value, null);
        result.push(value);
      } else if (this.#keyEnd(at) >= 0) {
        // js-yaml reads an entry that starts with a key as one mapping node, its keys a level deeper.
        this.#open(depth + 1, at);
        const value = this.#mapping(at, column, depth + 1);
        this.#close(depth + 1, this.#next, MAPPING, value, null);
        result.push(value);
      } else {
        // js-yaml first reads any other entry as a possible key (a node one deeper), then keeps that node.
        this.#open(depth + 1, at);
        result.push(this.#inlineValue(at, indent, depth + 2, true));
      }
      if (this.#nextIndent < indent || (this.#nextIndent === indent && !this.#isEntry(this.#next))) return result;
      if (this.#nextIndent > indent) throw OUTSIDE;
      dash = this.#next;
    }
  }

  /**
   * A scalar, `{}` or `[]` starting at `at` on its key's or entry's line, closed as a node of `depth`; for an
   * entry (`twin`), also closed as the entry node one level up. Then the rest of the line (blanks, a comment)
   * and #next at the next content line, which must not be deeper than `indent` (it would continue the scalar).
   */
  #inlineValue(at: number, indent: number, depth: number, twin: boolean): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 0x7c /* | */) return this.#literalValue(at, indent, depth, twin);
    let value: unknown;
    let kind: Kind = SCALAR;
    let tag: string | null = null;
    let end: number;
    let closeAt: number;
    if (c === 0x27 /* ' */) {
      end = closeAt = this.#singleQuotedEnd(at);
      value = text.slice(at + 1, end - 1);
      if ((value as string).includes("'")) value = (value as string).split("''").join("'");
    } else if (c === 0x22 /* " */) {
      ({ value, end } = this.#doubleQuoted(at));
      closeAt = end;
    } else if (c === 0x7b /* { */ && text.charCodeAt(at + 1) === 0x7d /* } */) {
      end = closeAt = at + 2;
      value = {};
      kind = MAPPING;
    } else if (c === 0x5b /* [ */ && text.charCodeAt(at + 1) === 0x5d /* ] */) {
      end = closeAt = at + 2;
      value = [];
      kind = SEQUENCE;
    } else {
      if (!startsPlain(c, text.charCodeAt(at + 1))) throw OUTSIDE;
      // js-yaml ends a plain scalar at ` #` (its position then at the `#`) or at the line's end (its
      // position back at the last character of content, unless a deeper comment line follows: looking for
      // more lines of the scalar, it stops at that comment's `#`); `: ` inside would make it a key.
      let contentEnd = at + 1;
      let position = at + 1;
      for (;;) {
        const d = text.charCodeAt(position);
        if (d === LF) {
          closeAt = this.#deeperComment(position + 1, indent) ?? contentEnd;
          break;
        }
        if (d === HASH && text.charCodeAt(position - 1) === SPACE) {
          closeAt = position;
          break;
        }
        if (d === COLON) {
          const following = text.charCodeAt(position + 1);
          if (following === SPACE || following === LF) throw OUTSIDE;
        }
        position += 1;
        if (d !== SPACE) contentEnd = position;
      }
      end = contentEnd;
      const plain = text.slice(at, contentEnd);
      tag = PLAIN_TAG;
      value = plain;
      const implicit = this.types.mayResolve(plain) ? this.types.implicit : NO_TYPES;
      for (let index = 0; index < implicit.length; index++) {
        const type = implicit[index]!;
        if (!type.resolve(plain)) continue;
        if (type.tag === MERGE_TAG) throw OUTSIDE;
        value = type.construct(plain);
        tag = type.tag;
        break;
      }
    }
    // A key's value was opened at its `:`; an entry's content is opened here, as the possible key it is read as first.
    if (twin) this.#open(depth, at);
    this.#close(depth, closeAt, kind, value, tag);
    if (twin) {
      let after = closeAt;
      while (text.charCodeAt(after) === SPACE) after += 1;
      this.#close(depth - 1, after, kind, value, null);
    }
    this.#seek(this.#lineEndAfter(end) + 1);
    if (this.#nextIndent > indent) throw OUTSIDE;
    return value;
  }

  /**
   * A literal block scalar (`|`, with a chomping indicator and an indentation width or not) as #inlineValue
   * reads the other values. The generated resources of a package rendered before hold their Terraform module
   * in one. js-yaml tries an entry's content as a key first, and a block scalar cannot be one: for an entry
   * the inner node closes where it opened, empty.
   */
  #literalValue(at: number, indent: number, depth: number, twin: boolean): string {
    const { value, end, next } = this.#literal(at, indent + 1);
    if (twin) {
      this.#open(depth, at);
      this.#close(depth, at, null, null, null);
      this.#close(depth - 1, end, SCALAR, value, null);
    } else {
      this.#close(depth, end, SCALAR, value, null);
    }
    this.#seek(next);
    if (this.#nextIndent > indent) throw OUTSIDE;
    return value;
  }

  /**
   * The literal block scalar whose `|` is at `at`, its lines at least `nodeIndent` deep, read as js-yaml's
   * readBlockScalar reads it; where it ends (the first character of the first line not deep enough, or the
   * end of the text) and where that line starts. Lines of blanks only, whose depth decides things in ways
   * of their own, are left to js-yaml.
   */
  #literal(at: number, nodeIndent: number): { value: string; end: number; next: number } {
    const text = this.text;
    let chomping = 0; // 1: keep (+), -1: strip (-), 0: clip
    let width = 0;
    let position = at + 1;
    for (; ; position++) {
      const c = text.charCodeAt(position);
      if ((c === 0x2b /* + */ || c === DASH) && chomping === 0) chomping = c === DASH ? -1 : 1;
      else if (c >= 0x31 /* 1 */ && c <= 0x39 /* 9 */ && width === 0) width = c - 0x30;
      else break;
    }
    if (text.charCodeAt(position) !== LF) throw OUTSIDE;
    let textIndent = width > 0 ? nodeIndent + width - 1 : nodeIndent;
    let detected = width > 0;
    let value = '';
    let read = false;
    let emptyLines = 0;
    let lineStart = position + 1;
    let end = text.length;
    while (lineStart < text.length) {
      let content = lineStart;
      while ((!detected || content - lineStart < textIndent) && text.charCodeAt(content) === SPACE) content += 1;
      const lineIndent = content - lineStart;
      if (!detected && lineIndent > textIndent) textIndent = lineIndent;
      if (text.charCodeAt(content) === LF) {
        if (lineIndent > 0) throw OUTSIDE;
        emptyLines += 1;
        lineStart = content + 1;
        continue;
      }
      if (lineIndent < textIndent) {
        end = content;
        break;
      }
      value += '\n'.repeat(read ? 1 + emptyLines : emptyLines);
      read = true;
      detected = true;
      emptyLines = 0;
      const lineEnd = text.indexOf('\n', content);
      value += text.slice(content, lineEnd);
      lineStart = lineEnd + 1;
    }
    if (chomping === 1) value += '\n'.repeat(read ? 1 + emptyLines : emptyLines);
    else if (chomping === 0 && read) value += '\n';
    return { value, end, next: Math.min(lineStart, text.length) };
  }

  /** The `#` of a comment line deeper than `indent` that comes first from `lineStart` on, blank lines aside. */
  #deeperComment(lineStart: number, indent: number): number | undefined {
    const text = this.text;
    let start = lineStart;
    for (;;) {
      let at = start;
      while (text.charCodeAt(at) === SPACE) at += 1;
      const c = text.charCodeAt(at);
      if (c === LF) start = at + 1;
      else return c === HASH && at - start > indent ? at : undefined;
    }
  }

  /** The double-quoted scalar at `at`, on its line, with js-yaml's escapes; and past its closing quote. */
  #doubleQuoted(at: number): { value: string; end: number } {
    const text = this.text;
    let value = '';
    let from = at + 1;
    let position = from;
    for (;;) {
      const c = text.charCodeAt(position);
      if (c === 0x22 /* " */) return { value: value + text.slice(from, position), end: position + 1 };
      if (c === LF) throw OUTSIDE;
      if (c !== 0x5c /* \ */) {
        position += 1;
        continue;
      }
      value += text.slice(from, position);
      const escape = text.charCodeAt(position + 1);
      const simple = SIMPLE_ESCAPES.get(escape);
      if (simple !== undefined) {
        value += simple;
        position += 2;
      } else {
        const digits = HEX_ESCAPE_LENGTHS.get(escape);
        if (digits === undefined) throw OUTSIDE;
        const hex = text.slice(position + 2, position + 2 + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) throw OUTSIDE;
        const point = parseInt(hex, 16);
        if (point > 0x10ffff) throw OUTSIDE;
        value += point <= 0xffff ? String.fromCharCode(point) : String.fromCodePoint(point);
        position += 2 + digits;
      }
      from = position;
    }
  }

  /** Past the closing quote of the single-quoted scalar at `at`, on its line. */
  #singleQuotedEnd(at: number): number {
    const text = this.text;
    let position = at + 1;
    for (;;) {
      const quote = text.indexOf("'", position);
      const lineEnd = text.indexOf('\n', position);
      if (quote < 0 || quote > lineEnd) throw OUTSIDE;
      if (text.charCodeAt(quote + 1) !== 0x27) return quote + 1;
      position = quote + 2;
    }
  }

  /** The line break ending the line whose content ended at `end`: only blanks and a comment may follow. */
  #lineEndAfter(end: number): number {
    const text = this.text;
    let at = end;
    while (text.charCodeAt(at) === SPACE) at += 1;
    const c = text.charCodeAt(at);
    if (c === LF) return at;
    if (c !== HASH || at === end) throw OUTSIDE;
    return text.indexOf('\n', at);
  }

  /**
   * The position of the `:` ending the plain key that starts at `start` (followed by a blank or the line's
   * end), or -1 when the line holds no such key.
   */
  #keyEnd(start: number): number {
    const text = this.text;
    if (!startsPlain(text.charCodeAt(start), text.charCodeAt(start + 1))) return -1;
    for (let at = start + 1; ; at++) {
      const c = text.charCodeAt(at);
      if (c === LF) return -1;
      if (c === HASH && text.charCodeAt(at - 1) === SPACE) return -1;
      if (c === COLON) {
        const following = text.charCodeAt(at + 1);
        if (following === SPACE || following === LF) return at;
      }
    }
  }

  /** The key between `start` and the `:`: a string as js-yaml reads it, or outside the subset. */
  #key(start: number, colon: number): string {
    const key = this.text.slice(start, colon);
    if (key.charCodeAt(key.length - 1) === SPACE || key === '__proto__') throw OUTSIDE;
    if (this.types.mayResolve(key)) for (const type of this.types.implicit) if (type.resolve(key)) throw OUTSIDE;
    return key;
  }

  #isEntry(at: number): boolean {
    const text = this.text;
    if (text.charCodeAt(at) !== DASH) return false;
    const following = text.charCodeAt(at + 1);
    return following === SPACE || following === LF;
  }

  #startsDocumentMarker(at: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(at);
    return (c === DASH || c === 0x2e) /* . */ && text.charCodeAt(at + 1) === c && text.charCodeAt(at + 2) === c;
  }

  /** #next and #nextIndent: the first line from `lineStart` on that holds more than blanks and a comment. */
  #seek(lineStart: number): void {
    const text = this.text;
    let start = lineStart;
    while (start < text.length) {
      let at = start;
      while (text.charCodeAt(at) === SPACE) at += 1;
      const c = text.charCodeAt(at);
      if (c === LF) {
        start = at + 1;
      } else if (c === HASH) {
        start = text.indexOf('\n', at) + 1;
      } else {
        this.#atMarker = at === start && this.#startsDocumentMarker(at);
        // Only a bare `---` line, and only between the documents of a stream: the rest is left to js-yaml.
        if (this.#atMarker && (!this.stream || text.charCodeAt(at) !== DASH || text.charCodeAt(at + 3) !== LF)) throw OUTSIDE;
        this.#next = at;
        this.#nextIndent = at - start;
        return;
      }
    }
    this.#atMarker = false;
    this.#next = text.length;
    this.#nextIndent = -1;
  }
}

/**
 * Whether a plain scalar may start with `c` (followed by `following`): not with an indicator, and `-`, `?`
 * or `:` only before a non-blank.
 */
function startsPlain(c: number, following: number): boolean {
  switch (c) {
    case SPACE:
    case LF:
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return false;
    case DASH:
    case 0x3f: // ?
    case COLON:
      return following !== SPACE && following !== LF;
    default:
      return true;
  }
}
