/**
 * Rules about a package as a whole, which no single stream can check: stream names Auth0 would refuse as
 * duplicates, generated files that would leave the package or fall together, and routes that name streams
 * the package does not have.
 */
import { closest, compareText, quote, suggestionBudget, takesRoutes, withFields, type ExpansionConfig, type KubeObject, type RuleId, type StreamExpansion } from '../core/index.js';
import { sourceFileOf } from './annotations.js';
import type { ExpandedStream } from './placement.js';
import { adapterResult } from './results.js';
import type { KrmResult } from './results.js';

/**
 * The streams with those that must not be written turned into failed ones (their earlier output is kept, and
 * nothing new is generated for them), with an error result for each.
 */
export function applyPackageRules(streams: readonly ExpandedStream[], config: ExpansionConfig, results: KrmResult[]): ExpandedStream[] {
  const blocked = new Set<string>([...sameNameInOneTenant(streams, config, results), ...filesOutsideThePackage(streams, results)]);
  const admitted = streams.map((stream) => (blocked.has(stream.expansion.key) ? asFailed(stream) : stream));
  for (const key of sharedFilesOfDifferentStreams(admitted, results)) blocked.add(key);
  return admitted.map((stream) => (blocked.has(stream.expansion.key) ? asFailed(stream) : stream));
}

function asFailed(stream: ExpandedStream): ExpandedStream {
  if (!stream.expansion.ok) return stream;
  const { defaulted: _none, ...expansion } = stream.expansion;
  return { item: stream.item, expansion: withFields<StreamExpansion>(expansion, { ok: false, resources: [] }), file: stream.file };
}

/**
 * Auth0 stream names are unique per tenant: streams of one name in two namespaces of a package would create
 * the same Auth0 stream twice, and the Management API answers the second with 409. The stream whose key sorts
 * first keeps the name. When every Workspace uses the same provider config (a ClusterProviderConfig, or
 * scope: Cluster) that is certain, and an error; with namespaced ProviderConfigs each namespace may point at
 * its own tenant, so it is a warning.
 */
function sameNameInOneTenant(streams: readonly ExpandedStream[], config: ExpansionConfig, results: KrmResult[]): string[] {
  const sameTenant = config.scope === 'Cluster' || config.terraform.providerConfigRef.kind === 'ClusterProviderConfig';
  const byName = new Map<string, ExpandedStream[]>();
  for (const stream of streams) {
    const name = stream.item.metadata.name;
    if (typeof name !== 'string') continue;
    const group = byName.get(name);
    if (group === undefined) byName.set(name, [stream]);
    else group.push(stream);
  }
  const blocked: string[] = [];
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    const [first, ...others] = [...group].sort((a, b) => compareText(a.expansion.key, b.expansion.key));
    for (const other of others) {
      const message = sameTenant
        ? `Auth0EventStream ${other.expansion.key} has the same name as ${first!.expansion.key}${at(first!.item)}, and both Workspaces use the ${config.scope === 'Cluster' ? 'same provider config' : `ClusterProviderConfig ${config.terraform.providerConfigRef.name}`}: ` +
          'Auth0 stream names are unique per tenant, so the Management API would refuse the second one (409). Rename one of them.'
        : `Auth0EventStream ${other.expansion.key} has the same name as ${first!.expansion.key}${at(first!.item)}. Each Workspace uses the ProviderConfig ${config.terraform.providerConfigRef.name} of its own namespace; ` +
          'if both point at the same Auth0 tenant, the Management API refuses the second stream (409). Rename one of them unless the tenants differ.';
      results.push(adapterResult('duplicate-stream-name', sameTenant ? 'error' : 'warning', message, other.item));
      if (sameTenant) blocked.push(other.expansion.key);
    }
  }
  return blocked;
}

function filesOutsideThePackage(streams: readonly ExpandedStream[], results: KrmResult[]): string[] {
  const blocked: string[] = [];
  for (const { item, expansion, file } of streams) {
    if (!expansion.ok || file === undefined || !('outside' in file)) continue;
    results.push(
      adapterResult(
        'generated-file-outside-package',
        'error',
        `Auth0EventStream ${expansion.key} was read from ${JSON.stringify(file.outside)}, which is outside the package, so its generated resources have no file to go to. ` +
          'Move the stream into the package (its path annotation must be relative and stay within the package).',
        item,
      ),
    );
    blocked.push(expansion.key);
  }
  return blocked;
}

/**
 * Streams of different names whose generated files would be one file (on a case-insensitive file system):
 * file stems are built so that this needs a collision of their hash, but it is checked, not assumed.
 */
function sharedFilesOfDifferentStreams(streams: readonly ExpandedStream[], results: KrmResult[]): string[] {
  const firstByFile = new Map<string, ExpandedStream>();
  const blocked: string[] = [];
  for (const stream of [...streams].sort((a, b) => compareText(a.expansion.key, b.expansion.key))) {
    const { file } = stream;
    if (!stream.expansion.ok || file === undefined || !('path' in file)) continue;
    const group = file.path.toLowerCase();
    const first = firstByFile.get(group);
    if (first === undefined) {
      firstByFile.set(group, stream);
      continue;
    }
    if (first.item.metadata.name === stream.item.metadata.name) continue;
    results.push(
      adapterResult(
        'generated-file-clash',
        'error',
        `The resources generated for Auth0EventStream ${stream.expansion.key} would go to ${file.path}, the file of ${first.expansion.key}. Rename one of the streams.`,
        stream.item,
      ),
    );
    blocked.push(stream.expansion.key);
  }
  return blocked;
}

/**
 * A route whose `streams` entry names no stream of the package (a typo), or only streams of destinations
 * without routes (webhook), generates nothing for it: a warning per entry, on the functionConfig.
 */
export function routeReferenceResults(config: ExpansionConfig, streams: readonly ExpandedStream[], functionConfig: unknown): KrmResult[] {
  if (!config.routes.some((route) => route.streams !== undefined && route.streams.length > 0)) return [];
  const destinations = new Map<string, Set<string>>();
  for (const { item, expansion } of streams) {
    const name = item.metadata.name;
    if (typeof name !== 'string') continue;
    const kinds = destinations.get(name) ?? new Set<string>();
    kinds.add(expansion.destinationType ?? 'unknown');
    destinations.set(name, kinds);
  }
  const names = [...destinations.keys()];
  const results: KrmResult[] = [];
  const budget = suggestionBudget();
  config.routes.forEach((route, routeIndex) => {
    (route.streams ?? []).forEach((entry, entryIndex) => {
      const path = `spec.routes[${routeIndex}].streams[${entryIndex}]`;
      const kinds = destinations.get(entry);
      let message: string | undefined;
      let rule: RuleId = 'route-stream-not-found';
      if (kinds === undefined) {
        const suggestion = closest(entry, names, undefined, budget);
        message = `Route ${quote(route.name)} names stream ${quote(entry)}, which is not an Auth0EventStream of this package, so the route generates nothing for it.${suggestion !== undefined ? ` Did you mean ${suggestion}?` : ''}`;
      } else if (![...kinds].some((kind) => kind === 'unknown' || takesRoutes(kind))) {
        rule = 'route-stream-not-eventbridge';
        message = `Route ${quote(route.name)} names stream ${quote(entry)}, a ${[...kinds].join(' and ')} stream; routes apply to eventbridge streams only, so the route generates nothing for it.`;
      }
      if (message !== undefined) {
        results.push(adapterResult(rule, 'warning', message, functionConfig, { path, currentValue: entry }));
      }
    });
  });
  return results;
}

function at(item: KubeObject): string {
  const file = sourceFileOf(item);
  return file === undefined ? '' : ` (${file.path}[${file.index}])`;
}
