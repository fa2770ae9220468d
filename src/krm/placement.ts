/**
 * Where each generated object goes in the package: which object each stream may write (identities), and the
 * file and index of each (positions). A position never escapes the package and is never shared with another
 * item of the output, also when paths are compared the way a case-insensitive file system compares them.
 */
import type { KubeObject, StreamExpansion } from '../core/index.js';
import { generatedFor } from '../core/index.js';
import { sourceFileOf } from './annotations.js';
import type { GeneratedFile } from './annotations.js';
import { describeObject, identityOf } from './identity.js';
import { adapterResult } from './results.js';
import type { KrmResult } from './results.js';

/** A stream item that was expanded (the first one of its key), and where its generated resources go. */
export interface ExpandedStream {
  readonly item: KubeObject;
  readonly expansion: StreamExpansion;
  readonly file: GeneratedFile | undefined;
}

/** A generated object, its file position (when its stream came from a file) and its stream. */
export interface Placement {
  readonly object: KubeObject;
  readonly file: { readonly path: string; readonly index: number } | undefined;
  readonly streamKey: string;
}

/** A placement whose index is not decided yet. */
interface Claim {
  readonly object: KubeObject;
  readonly path: string | undefined;
  readonly streamKey: string;
}

/**
 * Decides which stream writes each generated identity, in stream order then generation order (the order new
 * objects are appended in). Objects that would overwrite an item this function did not generate are reported
 * and left out; so are objects that two streams both generate, except for the stream whose key sorts first,
 * so that which one wins does not depend on the order of the items.
 */
export function claimIdentities(streams: readonly ExpandedStream[], items: readonly KubeObject[], results: KrmResult[]): Map<string, Claim> {
  // By name first: most items are never compared with a generated object.
  const foreignByName = new Map<string, KubeObject[] | Map<string, KubeObject>>();
  for (const item of items) {
    if (generatedFor(item) !== undefined) continue;
    const named = foreignByName.get(item.metadata.name);
    if (named === undefined) foreignByName.set(item.metadata.name, [item]);
    else (named as KubeObject[]).push(item);
  }
  const { owners, identities } = ownersByIdentity(streams);

  const claims = new Map<string, Claim>();
  let next = 0;
  for (const { item, expansion, file } of streams) {
    if (!expansion.ok) continue;
    const path = file !== undefined && 'path' in file ? file.path : undefined;
    for (const { object } of expansion.resources) {
      const identity = identities[next++]!;
      const taken = foreignOfIdentity(foreignByName, object, identity);
      const owner = owners.get(identity)!;
      if (taken !== undefined) {
        results.push(adapterResult('generated-name-taken', 'error', foreignConflictMessage(object, expansion.key), taken));
        continue;
      }
      if (owner !== expansion.key) {
        results.push(adapterResult('generated-name-conflict', 'error', rivalConflictMessage(object, owner, expansion.key), item));
        continue;
      }
      claims.set(identity, { object, path, streamKey: expansion.key });
    }
  }
  return claims;
}

/**
 * The foreign item with `object`'s identity (the last one, as a map by identity keeps it). A name's items are
 * keyed by identity the first time a generated object has that name.
 */
function foreignOfIdentity(byName: Map<string, KubeObject[] | Map<string, KubeObject>>, object: KubeObject, identity: string): KubeObject | undefined {
  const named = byName.get(object.metadata.name);
  if (named === undefined) return undefined;
  if (named instanceof Map) return named.get(identity);
  const byIdentity = new Map(named.map((item) => [identityOf(item), item]));
  byName.set(object.metadata.name, byIdentity);
  return byIdentity.get(identity);
}

/**
 * For each generated identity, the key of the stream that gets to write it: the least of those generating it;
 * and the identity of each generated object, in order.
 */
function ownersByIdentity(streams: readonly ExpandedStream[]): { owners: Map<string, string>; identities: string[] } {
  const owners = new Map<string, string>();
  const identities: string[] = [];
  for (const { expansion } of streams) {
    if (!expansion.ok) continue;
    for (const { object } of expansion.resources) {
      const identity = identityOf(object);
      identities.push(identity);
      const current = owners.get(identity);
      if (current === undefined || expansion.key < current) owners.set(identity, expansion.key);
    }
  }
  return { owners, identities };
}

/**
 * Numbers the claims within their files, around the positions that `kept` items (those written back where
 * they are) already hold. Paths are grouped as a case-insensitive file system sees them, and each group is
 * written under one spelling: that of an item already in it, else the first in code-unit order. In a file,
 * generated objects follow every kept item, and each other in stream-key order (then generation order), so a
 * file's content does not depend on the order the streams came in.
 */
export function numberClaims(claims: ReadonlyMap<string, Claim>, kept: readonly KubeObject[]): Map<string, Placement> {
  const files = new Map<string, { spelling: string | undefined; next: number }>();
  // Items of one file share its path: each path is lowercased once.
  const lowercase = new Map<string, string>();
  for (const item of kept) {
    const source = sourceFileOf(item);
    if (source === undefined) continue;
    let group = lowercase.get(source.path);
    if (group === undefined) lowercase.set(source.path, (group = source.path.toLowerCase()));
    const file = files.get(group);
    if (file === undefined) files.set(group, { spelling: source.path, next: source.index + 1 });
    else {
      file.next = Math.max(file.next, source.index + 1);
      if (file.spelling === undefined || source.path < file.spelling) file.spelling = source.path;
    }
  }
  const byGroup = new Map<string, Array<[string, Claim]>>();
  for (const entry of claims) {
    const path = entry[1].path;
    if (path === undefined) continue;
    let group = lowercase.get(path);
    if (group === undefined) lowercase.set(path, (group = path.toLowerCase()));
    const entries = byGroup.get(group);
    if (entries === undefined) byGroup.set(group, [entry]);
    else entries.push(entry);
  }

  const positions = new Map<string, { path: string; index: number }>();
  for (const [group, entries] of byGroup) {
    const file = files.get(group) ?? { spelling: undefined, next: 0 };
    const spelling = file.spelling ?? entries.map(([, claim]) => claim.path!).reduce((least, path) => (path < least ? path : least));
    // Array.prototype.sort is stable: one stream's objects keep their generation order.
    entries.sort(([, a], [, b]) => (a.streamKey < b.streamKey ? -1 : a.streamKey > b.streamKey ? 1 : 0));
    entries.forEach(([identity], offset) => positions.set(identity, { path: spelling, index: file.next + offset }));
  }
  // In claim order: new objects are appended in the order their streams came in.
  const placements = new Map<string, Placement>();
  for (const [identity, claim] of claims) {
    placements.set(identity, { object: claim.object, file: positions.get(identity), streamKey: claim.streamKey });
  }
  return placements;
}

function foreignConflictMessage(object: KubeObject, key: string): string {
  return (
    `${describeObject(object)} is generated for Auth0EventStream ${key}, but this resource already exists and was not ` +
    'generated by auth0-eventstream-fn; it is left as is and the generated one is not written. Rename or remove it, or rename the stream.'
  );
}

function rivalConflictMessage(object: KubeObject, winner: string, loser: string): string {
  return (
    `${describeObject(object)} is generated for both Auth0EventStream ${winner} and ${loser}; only the one of ${winner} is written. ` +
    'Rename one of the streams or the route (Auth0 stream names are unique per tenant, and cluster-scoped resources per cluster).'
  );
}
