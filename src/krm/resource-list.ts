/** Reading and writing the KRM `ResourceList` envelope; nothing here knows about streams. */
import type { KubeObject } from '../core/index.js';
import { isRecord } from '../core/index.js';
import { adapterResult, sortResults } from './results.js';
import type { KrmResult } from './results.js';
import { ItemWriter } from './verbatim.js';
import { stringifyYaml } from './yaml.js';

export const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';
const RESOURCE_LIST_API_VERSIONS: readonly string[] = [RESOURCE_LIST_API_VERSION, 'config.kubernetes.io/v1beta1'];

/** A well-formed input: every item is a Kubernetes object. */
export interface ResourceList {
  readonly items: readonly KubeObject[];
  /** As received; absent when the input had none (kpt render without config). */
  readonly functionConfig?: unknown;
}

export type ResourceListReading =
  | { readonly ok: true; readonly list: ResourceList }
  /** `items` are the input items when there was a list of them (to be echoed back), otherwise empty. */
  | { readonly ok: false; readonly items: readonly unknown[]; readonly functionConfig?: unknown; readonly results: KrmResult[] };

const USAGE_HINT =
  'expected a ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList) as run by `kpt fn eval --exec` ' +
  'or `kpt fn render`; for kustomize legacy exec plugins, pass the plugin config file as the first argument';

/** Checks the envelope and each item, reporting every problem by index. */
export function readResourceList(input: unknown): ResourceListReading {
  const envelopeProblem = describeEnvelopeProblem(input);
  if (envelopeProblem !== undefined) return { ok: false, items: [], results: [adapterResult('invalid-input', 'error', envelopeProblem)] };
  const envelope = input as Record<string, unknown>;
  const rawItems = envelope['items'] ?? [];
  const functionConfig = 'functionConfig' in envelope ? { functionConfig: envelope['functionConfig'] } : {};
  if (!Array.isArray(rawItems)) {
    const message = `input ResourceList has items of type ${describeType(rawItems)}; items must be a list of Kubernetes objects`;
    return { ok: false, items: [], ...functionConfig, results: [adapterResult('invalid-input', 'error', message)] };
  }
  const results = validateItems(rawItems, 'items');
  if (results.length > 0) return { ok: false, items: rawItems, ...functionConfig, results };
  return { ok: true, list: { items: rawItems as KubeObject[], ...functionConfig } };
}

/** One error per element of `items` that is not an object with apiVersion, kind and metadata.name. */
export function validateItems(items: readonly unknown[], label: string): KrmResult[] {
  const results: KrmResult[] = [];
  items.forEach((item, index) => {
    const missing = missingKubeFields(item);
    if (missing.length === 0) return;
    const message = isRecord(item)
      ? `${label}[${index}] is missing ${missing.join(', ')}; every item must be a Kubernetes object with apiVersion, kind and metadata.name`
      : `${label}[${index}] is ${describeType(item)}, not a Kubernetes object with apiVersion, kind and metadata.name`;
    results.push(adapterResult('invalid-item', 'error', message, item));
  });
  return results;
}

/**
 * The output as YAML text, in pieces of any size, so that a large output is never one string. Items are a
 * block list (`items:\n- ...`, as kpt writes it), each written by `writer`: input items the function left
 * alone as their own text, the others serialized. `writer.plan` must have been called.
 */
export function* resourceListChunks(
  items: readonly unknown[],
  results: readonly KrmResult[],
  functionConfig: { readonly value: unknown } | undefined,
  writer: ItemWriter,
): Generator<string> {
  const directives = writer.directives;
  yield `${directives === '' ? '' : `${directives}---\n`}apiVersion: ${RESOURCE_LIST_API_VERSION}\nkind: ResourceList\n`;
  if (items.length === 0) {
    yield 'items: []\n';
  } else {
    yield 'items:\n';
    for (const item of items) yield writer.entry(item);
  }
  if (functionConfig !== undefined) yield writer.functionConfig(functionConfig.value);
  if (results.length > 0) yield stringifyYaml({ results: sortResults(results) });
}

/** The whole output as one string (for small outputs and tests). */
export function writeResourceList(
  items: readonly unknown[],
  results: readonly KrmResult[],
  functionConfig?: { readonly value: unknown },
  writer: ItemWriter = new ItemWriter(undefined, new Map()),
): string {
  return [...resourceListChunks(items, results, functionConfig, writer)].join('');
}

function describeEnvelopeProblem(input: unknown): string | undefined {
  if (input === undefined || input === null) return `input is empty; ${USAGE_HINT}`;
  if (!isRecord(input)) return `input is ${describeType(input)}; ${USAGE_HINT}`;
  const { apiVersion, kind } = input;
  if (kind === 'ResourceList' && typeof apiVersion === 'string' && RESOURCE_LIST_API_VERSIONS.includes(apiVersion)) {
    return undefined;
  }
  if (kind === 'List' && apiVersion === 'v1') return undefined;
  if (kind === 'ResourceList') {
    return `input ResourceList has apiVersion ${brief(apiVersion)}; use ${RESOURCE_LIST_API_VERSIONS.join(' or ')}`;
  }
  if (kind === undefined) return `input is a mapping without kind, not a ResourceList; ${USAGE_HINT}`;
  return `input has kind ${brief(kind)} and apiVersion ${brief(apiVersion)}, not a ResourceList; ${USAGE_HINT}`;
}

function missingKubeFields(item: unknown): string[] {
  if (!isRecord(item)) return ['apiVersion', 'kind', 'metadata.name'];
  const metadata = item['metadata'];
  const missing: string[] = [];
  if (!isNonEmptyString(item['apiVersion'])) missing.push('apiVersion');
  if (!isNonEmptyString(item['kind'])) missing.push('kind');
  if (!isRecord(metadata)) missing.push('metadata');
  else if (!isNonEmptyString(metadata['name'])) missing.push('metadata.name');
  return missing;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A short, quoted rendering of an identifying string field; other types by name only. */
function brief(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'missing' : describeType(value);
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // Never the value itself: garbage input may be anything, a secret included.
  return `a ${typeof value}`;
}
