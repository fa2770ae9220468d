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
    results.push(...expansion.findings.map((finding) => findingResult(finding, item)));
    expanded.push({ item, expansion });
  }
  return expanded;
}

/**
 * Decides the file position of every generated object, by identity, in stream order then generation order
 * (the order new objects are appended in). Objects that would overwrite an item this function did not
 * generate, or that two streams both generate, are reported and left out.
 */
function planPlacements(
  streams: readonly ExpandedStream[],
  items: readonly KubeObject[],
  results: KrmResult[],
): Map<string, Placement> {
  const foreign = new Map<string, KubeObject>();
  for (const item of items) if (generatedFor(item) === undefined) foreign.set(identityOf(item), item);

  const placements = new Map<string, Placement>();
  const nextIndexByFile = new Map<string, number>();
  for (const { item, expansion } of streams) {
    if (!expansion.ok) continue;
    const path = generatedFilePath(item);
    for (const { object } of expansion.resources) {
      const identity = identityOf(object);
      const taken = foreign.get(identity);
      const rival = placements.get(identity);
      if (taken !== undefined) {
        results.push(adapterResult('generated-name-taken', 'error', foreignConflictMessage(object, expansion.key), taken));
        continue;
      }
      if (rival !== undefined) {
        results.push(adapterResult('generated-name-conflict', 'error', rivalConflictMessage(object, rival.streamKey, expansion.key), item));
        continue;
      }
      let file: Placement['file'];
      if (path !== undefined) {
        // Streams of the same name in one directory share the file; their resources then follow each other.
        const index = nextIndexByFile.get(path) ?? 0;
        nextIndexByFile.set(path, index + 1);
        file = { path, index };
      }
      placements.set(identity, { object, file, streamKey: expansion.key });
    }
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

function rivalConflictMessage(object: KubeObject, first: string, second: string): string {
  return (
    `${describe(object)} is generated for both Auth0EventStream ${first} and ${second}; only the first one is written. ` +
    'Rename one of the streams.'
  );
}
