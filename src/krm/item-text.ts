/**
 * The source text of each item of a ResourceList, so that items the function does not change can be written
 * back byte for byte. kpt restores comments and field order of re-serialized items, but not quoting: a plain
 * re-dump turns `region: "eu"` into `region: eu` in the user's files.
 *
 * Only the layout orchestrators write is recognized — a block sequence under a top-level `items:` key, one
 * entry per `- ` line at the sequence's indentation. Anything else (JSON, flow style, tabs, CRLF, document
 * markers) returns undefined and the caller re-serializes everything. Anchors are the caller's to check.
 */

/** Per item: its text as a sequence entry at indentation 0 (`- apiVersion: …\n  kind: …\n`). */
export type ItemTexts = readonly string[];

export function itemTexts(source: string, itemCount: number): ItemTexts | undefined {
  if (source.includes('\r') || source.includes('\t') || source.trimStart().startsWith('{')) return undefined;
  const lines = source.split('\n');
  const start = lines.findIndex((line) => /^items:\s*(#.*)?$/.test(line));
  if (start < 0) return undefined;

  const entries: string[][] = [];
  let pending: string[] = [];
  let indent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trimStart();
    const depth = line.length - trimmed.length;
    if (trimmed === '' || trimmed.startsWith('#')) {
      (depth > (indent ?? -1) && entries.length > 0 ? entries[entries.length - 1]! : pending).push(line);
      continue;
    }
    if (trimmed === '-' || trimmed.startsWith('- ')) {
      indent ??= depth;
      if (depth === indent) {
        entries.push([...pending, line]);
        pending = [];
        continue;
      }
    }
    if (indent === undefined || depth <= indent) break;
    if (pending.length > 0) {
      for (const comment of pending) entries[entries.length - 1]!.push(comment);
      pending = [];
    }
    entries[entries.length - 1]!.push(line);
  }
  if (entries.length !== itemCount || indent === undefined) return undefined;
  const cut = indent;
  const texts = entries.map((entry) => {
    while (entry.length > 1 && entry[entry.length - 1]!.trim() === '') entry.pop();
    while (entry.length > 1 && entry[0]!.trim() === '') entry.shift();
    return `${entry.map((line) => line.slice(Math.min(cut, line.length - line.trimStart().length))).join('\n')}\n`;
  });
  return texts.some((text) => text.includes('\n---') || text.includes('\n...')) ? undefined : texts;
}
