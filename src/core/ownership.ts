/**
 * How generated resources are marked, and how a resource from an earlier run is traced back to its stream
 * (upsert and prune in KRM mode).
 */
import { isGeneratedKind } from './expand/kinds.js';
import { labelValue } from './names.js';
import { asRecord, isRecord } from './records.js';
import type { KubeObject } from './types.js';

export const MANAGED_BY = 'auth0-eventstream-fn';

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  stream: 'auth0.openmcf.org/event-stream',
  org: 'auth0.openmcf.org/org',
  env: 'auth0.openmcf.org/env',
} as const;

/** Holds the exact `<namespace>/<name>` key (label values are length-limited). */
export const GENERATED_FROM = 'auth0.openmcf.org/generated-from';

export interface StreamIdentity {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly org?: string | undefined;
  readonly env?: string | undefined;
}

export function streamKey(stream: { readonly name: string; readonly namespace?: string | undefined }): string {
  return `${stream.namespace ?? ''}/${stream.name}`;
}

/** `<namespace>/<name>` of an item, as far as it can be read even when the item is invalid. */
export function streamKeyOf(item: unknown): string {
  const metadata = isRecord(item) ? asRecord(item['metadata']) : undefined;
  const name = metadata?.['name'];
  const namespace = metadata?.['namespace'];
  return streamKey({ name: typeof name === 'string' ? name : '', namespace: typeof namespace === 'string' ? namespace : undefined });
}

export function ownershipLabels(stream: StreamIdentity): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.stream]: labelValue(stream.name),
    ...(stream.org ? { [LABELS.org]: labelValue(stream.org) } : {}),
    ...(stream.env ? { [LABELS.env]: labelValue(stream.env) } : {}),
  };
}

export function ownershipAnnotations(stream: StreamIdentity): Record<string, string> {
  return { [GENERATED_FROM]: streamKey(stream) };
}

/**
 * The key of the stream `obj` was generated for, or undefined when this function did not generate it: only an
 * object of a kind the function generates (API group and kind) that carries both ownership marks counts, so a
 * Deployment that happens to carry the labels is never taken for one (and never pruned); and only where the
 * function puts what it generates for that stream — in the stream's namespace, or in none (cluster-scoped
 * kinds, streams without a namespace) — so a copy in another namespace is left alone too.
 */
export function generatedFor(obj: unknown): string | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
  if (!isGeneratedKind(apiVersion, kind)) return undefined;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const { labels, annotations, namespace } = metadata as { labels?: unknown; annotations?: unknown; namespace?: unknown };
  if (labels === null || typeof labels !== 'object') return undefined;
  if ((labels as Record<string, unknown>)[LABELS.managedBy] !== MANAGED_BY) return undefined;
  if (annotations === null || typeof annotations !== 'object') return undefined;
  const key = (annotations as Record<string, unknown>)[GENERATED_FROM];
  if (typeof key !== 'string') return undefined;
  const inNamespace = namespace === undefined || namespace === null || namespace === '' || (typeof namespace === 'string' && key.startsWith(`${namespace}/`));
  return inNamespace ? key : undefined;
}

export type { KubeObject };
