/**
 * The KRM orchestration: expand every Auth0EventStream among the items, then upsert what was generated,
 * prune what no longer is, mark the sources as local configuration, and pass everything else through
 * untouched.
 */
import { WAITING_FOR_PARTNER_EVENT_SOURCE, expandStream, generatedFor, hasErrors, isExpansionConfig, isStream, readConfig, streamKeyOf, withFields } from '../core/index.js';
import type { ExpansionConfig, Finding, KubeObject } from '../core/index.js';
import { asLocalConfig, generatedFilePath, placeGenerated, sourceFileOf } from './annotations.js';
import { identityOf } from './identity.js';
import { sameData } from '../core/same-data.js';
import { applyPackageRules, routeReferenceResults } from './package-rules.js';
import { claimIdentities, numberClaims } from './placement.js';
import type { ExpandedStream, Placement } from './placement.js';
import type { ResourceList } from './resource-list.js';
import { adapterResult, findingResult } from './results.js';
import type { KrmResult } from './results.js';

export interface ProcessOutcome {
  readonly items: readonly KubeObject[];
  /** Unsorted; the writer sorts. */
  readonly results: readonly KrmResult[];
  /** For each output item made from an input item (a defaulted or marked source): that input item. */
  readonly origins: ReadonlyMap<KubeObject, KubeObject>;
}

export function processResourceList(list: ResourceList): ProcessOutcome {
  const reading = readConfig(list.functionConfig);
  const results: KrmResult[] = reading.findings.map((finding) => findingResult(finding, list.functionConfig));
  // The streams are validated even when the configuration is broken, so that every problem shows at once.
  const expanded = expandStreams(list.items, reading.config, results);
  // A broken configuration expands nothing; prune nothing either, or the package would lose its resources.
  if (hasErrors(reading.findings)) return { items: list.items, results, origins: new Map() };

  for (const result of routeReferenceResults(reading.config, expanded, list.functionConfig)) results.push(result);
  const streams = applyPackageRules(expanded, reading.config, results);
  const claims = claimIdentities(streams, list.items, results);
  const fates = fatesOf(list.items, streams, claims);
  const placements = numberClaims(
    claims,
    list.items.filter((item) => fates.get(item) === 'keep'),
  );
  const origins = new Map<KubeObject, KubeObject>();
  const items = upsertAndPrune(list.items, streams, fates, placements, origins);
  if (!reading.config.markLocalConfig) return { items, results, origins };
  const marked = items.map((item) => {
    const source = asSourceMarked(item);
    if (source !== item) origins.set(source, origins.get(item) ?? item);
    return source;
  });
  return { items: marked, results, origins };
}

/** Expands the first stream of each key; later ones with the same key are errors. */
function expandStreams(items: readonly KubeObject[], config: ExpansionConfig, results: KrmResult[]): ExpandedStream[] {
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
    const key = streamKeyOf(item);
    const first = firstByKey.get(key);
    if (first !== undefined) {
      results.push(adapterResult('duplicate-stream', 'error', duplicateStreamMessage(key, first), item));
      continue;
    }
    firstByKey.set(key, item);
    const previousWorkspace = previousWorkspaces.get(key);
    const expansion = expandStream(item, config, previousWorkspace === undefined ? {} : { previousWorkspace });
    if (expansion.key !== key) throw new Error(`the core keyed stream ${key} as ${expansion.key}`);
    for (const finding of expansion.findings) results.push(findingResult(inKrmWords(finding), item));
    expanded.push({ item, expansion, file: generatedFilePath(item) });
  }
  return expanded;
}

/** The KRM instruction for what the core says is waiting: in a package, the user carries the value over. */
function inKrmWords(finding: Finding): Finding {
  if (finding.id !== WAITING_FOR_PARTNER_EVENT_SOURCE) return finding;
  return withFields(finding, {
    message:
      `${finding.message} Apply the Workspace; once Auth0 has created the stream, copy the Workspace output aws_partner_event_source ` +
      'into status.outputs.aws_partner_event_source of this stream and run the function again.',
  });
}

/** What becomes of an input item: written back as it is (`keep`), replaced by a placement, or left out. */
type Fate = 'keep' | 'replace' | 'drop';

/**
 * Earlier output of a stream that expanded is replaced when regenerated and dropped when not; it is kept when
 * its stream failed, dropped when the stream is gone. A second copy of one generated object is dropped, so the
 * package heals instead of keeping a duplicate. Everything else (streams, foreign items, objects of kinds the
 * function does not generate, whatever their labels) is kept.
 */
function fatesOf(items: readonly KubeObject[], streams: readonly ExpandedStream[], claims: ReadonlyMap<string, unknown>): Map<KubeObject, Fate> {
  const okByKey = new Map(streams.map(({ expansion }) => [expansion.key, expansion.ok]));
  const fates = new Map<KubeObject, Fate>();
  const replaced = new Set<string>();
  for (const item of items) {
    const owner = isStream(item) ? undefined : generatedFor(item);
    if (owner === undefined) {
      fates.set(item, 'keep');
      continue;
    }
    const identity = identityOf(item);
    if (claims.has(identity)) {
      fates.set(item, replaced.has(identity) ? 'drop' : 'replace');
      replaced.add(identity);
    } else {
      fates.set(item, okByKey.get(owner) === false ? 'keep' : 'drop');
    }
  }
  return fates;
}

/**
 * The output items: input order kept, a generated object in the place of the item it regenerates (the item
 * itself when it is regenerated as it was), new objects appended.
 */
function upsertAndPrune(
  items: readonly KubeObject[],
  streams: readonly ExpandedStream[],
  fates: ReadonlyMap<KubeObject, Fate>,
  placements: ReadonlyMap<string, Placement>,
  origins: Map<KubeObject, KubeObject>,
): KubeObject[] {
  const rewritten = new Map<KubeObject, KubeObject>();
  for (const { item, expansion } of streams) {
    if (expansion.defaulted === undefined) continue;
    rewritten.set(item, expansion.defaulted);
    origins.set(expansion.defaulted, item);
  }
  const output: KubeObject[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    const fate = fates.get(item);
    if (fate === 'keep') output.push(rewritten.get(item) ?? item);
    if (fate !== 'replace') continue;
    const identity = identityOf(item);
    const placement = placements.get(identity)!;
    const regenerated = placeGenerated(placement.object, item, placement.file);
    // Regenerated as it was (a package rendered again): the item itself, so that it is written as it was.
    output.push(sameData(regenerated, item) ? item : regenerated);
    placed.add(identity);
  }
  for (const [identity, placement] of placements) {
    if (!placed.has(identity)) output.push(placeGenerated(placement.object, undefined, placement.file));
  }
  return output;
}

/** Streams, and a typed ExpansionConfig among the items, are configuration for this function, not resources to apply. */
function asSourceMarked(item: KubeObject): KubeObject {
  return isStream(item) || isExpansionConfig(item) ? asLocalConfig(item) : item;
}

function duplicateStreamMessage(key: string, first: KubeObject): string {
  const file = sourceFileOf(first);
  const where = file === undefined ? '' : ` (first in ${file.path}[${file.index}])`;
  return `Auth0EventStream ${key} is defined more than once${where}; ` + 'only the first one is expanded. Rename or remove this one.';
}
