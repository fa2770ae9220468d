/**
 * The KRM orchestration: expand every Auth0EventStream among the items, then upsert what was generated,
 * prune what no longer is, and pass everything else through untouched.
 */
import { expandStream, generatedFor, isStream, readConfig, streamKey } from '../core/index.js';
import type { ExpansionConfig, KubeObject, StreamExpansion } from '../core/index.js';
import { generatedFilePath, placeGenerated, sourceFileOf } from './annotations.js';
import type { ResourceList } from './resource-list.js';
import { adapterResult, findingResult } from './results.js';
import type { KrmResult } from './results.js';

export interface ProcessOutcome {
  readonly items: readonly KubeObject[];
  /** Unsorted; the writer sorts. */
  readonly results: readonly KrmResult[];
}

/** A stream item that was expanded (the first one of its key). */
interface ExpandedStream {
  readonly item: KubeObject;
  readonly expansion: StreamExpansion;
}

/** Where a generated object goes: its file position (when the stream came from a file) and its stream. */
interface Placement {
  readonly object: KubeObject;
  readonly file: { readonly path: string; readonly index: number } | undefined;
  readonly streamKey: string;
}

export function processResourceList(list: ResourceList): ProcessOutcome {
  const reading = readConfig(list.functionConfig);
  const results: KrmResult[] = reading.findings.map((finding) => findingResult(finding, list.functionConfig));
  // A broken configuration expands nothing; prune nothing either, or the package would lose its resources.
  if (reading.findings.some((finding) => finding.severity === 'error')) return { items: list.items, results };

  const streams = expandStreams(list.items, reading.config, results);
  const placements = planPlacements(streams, list.items, results);
  return { items: upsertAndPrune(list.items, streams, placements), results };
}

/** Expands the first stream of each key; later ones with the same key are errors. */
function expandStreams(
  items: readonly KubeObject[],
  config: ExpansionConfig,
  results: KrmResult[],
): ExpandedStream[] {
  const previousWorkspaces = new Map<string, KubeObject>();
  for (const item of items) {
    const owner = generatedFor(item);
    if (owner !== undefined && item.kind === 'Workspace' && !previousWorkspaces.has(owner)) {
      previousWorkspaces.set(owner, item);
    }
  }
  const expanded: ExpandedStream[] = [];
  const firstByKey = new Map<string, KubeObject>();
  for (const item of items) {
    if (!isStream(item)) continue;
    const key = keyOf(item);
    const first = firstByKey.get(key);
    if (first !== undefined) {
      results.push(adapterResult('duplicate-stream', 'error', duplicateStreamMessage(key, first), item));
      continue;
    }
    firstByKey.set(key, item);
    const previousWorkspace = previousWorkspaces.get(key);
    const expansion = expandStream(item, config, previousWorkspace === undefined ? {} : { previousWorkspace });
    if (expansion.key !== key) throw new Error(`the core keyed stream ${key} as ${expansion.key}`);
    for (const finding of expansion.findings) results.push(findingResult(finding, item));
    expanded.push({ item, expansion });
  }
  return expanded;
}

/**
 * Decides the file position of every generated object, by identity, in stream order then generation order
 * (the order new objects are appended in). Objects that would overwrite an item this function did not
 * generate are reported and left out; so are objects that two streams both generate, except for the stream
 * whose key sorts first, so that which one wins does not depend on the order of the items.
 */
function planPlacements(
  streams: readonly ExpandedStream[],
  items: readonly KubeObject[],
  results: KrmResult[],
): Map<string, Placement> {
  const foreign = new Map<string, KubeObject>();
  for (const item of items) if (generatedFor(item) === undefined) foreign.set(identityOf(item), item);
  const owners = ownersByIdentity(streams);

  const placements = new Map<string, Placement>();
  for (const { item, expansion } of streams) {
    if (!expansion.ok) continue;
    const path = generatedFilePath(item);
    for (const { object } of expansion.resources) {
      const identity = identityOf(object);
      const taken = foreign.get(identity);
      const owner = owners.get(identity)!;
      if (taken !== undefined) {
        results.push(adapterResult('generated-name-taken', 'error', foreignConflictMessage(object, expansion.key), taken));
        continue;
      }
      if (owner !== expansion.key) {
        results.push(adapterResult('generated-name-conflict', 'error', rivalConflictMessage(object, owner, expansion.key), item));
        continue;
      }
      placements.set(identity, { object, file: path === undefined ? undefined : { path, index: 0 }, streamKey: expansion.key });
    }
  }
  return numberedWithinFiles(placements);
}

/** For each generated identity, the key of the stream that gets to write it: the least of those generating it. */
function ownersByIdentity(streams: readonly ExpandedStream[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { expansion } of streams) {
    if (!expansion.ok) continue;
    for (const { object } of expansion.resources) {
      const identity = identityOf(object);
      const current = owners.get(identity);
      if (current === undefined || expansion.key < current) owners.set(identity, expansion.key);
    }
  }
  return owners;
}

/**
 * Streams of the same name in one directory (in different namespaces) share a generated file. Their objects
 * follow each other in stream-key order, so a file's content does not depend on the order streams came in.
 */
function numberedWithinFiles(placements: Map<string, Placement>): Map<string, Placement> {
  const byFile = new Map<string, Array<[string, Placement]>>();
  for (const entry of placements) {
    const path = entry[1].file?.path;
    if (path === undefined) continue;
    const entries = byFile.get(path);
    if (entries === undefined) byFile.set(path, [entry]);
    else entries.push(entry);
  }
  for (const [path, entries] of byFile) {
    // Array.prototype.sort is stable: one stream's objects keep their generation order.
    entries.sort(([, a], [, b]) => (a.streamKey < b.streamKey ? -1 : a.streamKey > b.streamKey ? 1 : 0));
    entries.forEach(([identity, placement], index) => placements.set(identity, { ...placement, file: { path, index } }));
  }
  return placements;
}

/**
 * The output items: input order kept; a generated object takes the place of the item it regenerates;
 * earlier output of a stream that expanded is dropped when not regenerated, kept when the stream failed,
 * dropped when the stream is gone; new objects are appended.
 */
function upsertAndPrune(
  items: readonly KubeObject[],
  streams: readonly ExpandedStream[],
  placements: ReadonlyMap<string, Placement>,
): KubeObject[] {
  const okByKey = new Map(streams.map(({ expansion }) => [expansion.key, expansion.ok]));
  const defaulted = new Map<KubeObject, KubeObject>();
  for (const { item, expansion } of streams) {
    if (expansion.defaulted !== undefined) defaulted.set(item, withAnnotationsOf(expansion.defaulted, item));
  }

  const output: KubeObject[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    const owner = isStream(item) ? undefined : generatedFor(item);
    if (owner === undefined) {
      output.push(defaulted.get(item) ?? item);
      continue;
    }
    const identity = identityOf(item);
    const placement = placements.get(identity);
    if (placement !== undefined) {
      // A second copy of the same object in the input is dropped: the package heals instead of keeping a duplicate.
      if (!placed.has(identity)) output.push(placeGenerated(placement.object, item, placement.file));
      placed.add(identity);
    } else if (okByKey.get(owner) === false) {
      output.push(item);
    }
  }
  for (const [identity, placement] of placements) {
    if (!placed.has(identity)) output.push(placeGenerated(placement.object, undefined, placement.file));
  }
  return output;
}

/** The defaulted stream carries exactly the annotations of the item it replaces (ids, path, index). */
function withAnnotationsOf(replacement: KubeObject, original: KubeObject): KubeObject {
  const annotations = original.metadata.annotations;
  if (annotations === undefined || replacement.metadata.annotations === annotations) return replacement;
  return { ...replacement, metadata: { ...replacement.metadata, annotations } };
}

function keyOf(item: KubeObject): string {
  const { name, namespace } = item.metadata;
  return streamKey({ name, namespace: typeof namespace === 'string' ? namespace : undefined });
}

/** apiVersion, kind, namespace and name: what kpt and kustomize tell resources apart by. */
function identityOf(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return JSON.stringify([object.apiVersion, object.kind, typeof namespace === 'string' ? namespace : '', object.metadata.name]);
}

function describe(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return `${object.kind} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${object.metadata.name} (${object.apiVersion})`;
}

function duplicateStreamMessage(key: string, first: KubeObject): string {
  const file = sourceFileOf(first);
  const where = file === undefined ? '' : ` (first in ${file.path}[${file.index}])`;
  return (
    `Auth0EventStream ${key} is defined more than once${where}; ` +
    'only the first one is expanded. Rename or remove this one.'
  );
}

function foreignConflictMessage(object: KubeObject, key: string): string {
  return (
    `${describe(object)} is generated for Auth0EventStream ${key}, but this resource already exists and was not ` +
    'generated by auth0-eventstream-fn; it is left as is and the generated one is not written. Rename or remove it, or rename the stream.'
  );
}

function rivalConflictMessage(object: KubeObject, winner: string, loser: string): string {
  return (
    `${describe(object)} is generated for both Auth0EventStream ${winner} and ${loser}; only the one of ${winner} is written. ` +
    'Rename one of the streams (Auth0 stream names are unique per tenant, and cluster-scoped resources per cluster).'
  );
}
