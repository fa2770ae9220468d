/**
 * Wildcard patterns where `*` stands for any run of characters (also none) and every other character for
 * itself. No regular expression: the pieces between the stars are placed leftmost-first, in one pass and
 * without backtracking, which is exact when `*` is the only wildcard. A pattern is split once; matching it
 * against a text then takes at most |text| steps per piece, whatever the number of stars.
 */
export interface Glob {
  matches(text: string): boolean;
}

export function glob(pattern: string): Glob {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return { matches: (text) => text === pattern };
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  return {
    matches(text) {
      if (head.length + tail.length > text.length || !text.startsWith(head) || !text.endsWith(tail)) return false;
      const end = text.length - tail.length;
      let at = head.length;
      for (const piece of middle) {
        const found = text.indexOf(piece, at);
        if (found < 0 || found + piece.length > end) return false;
        at = found + piece.length;
      }
      return true;
    },
  };
}
