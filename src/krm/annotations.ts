/** The orchestrator annotations the KRM adapter reads or writes, and the file a generated resource goes to. */
import { isRecord, type KubeObject } from '../core/index.js';

export const PATH = 'internal.config.kubernetes.io/path';
export const INDEX = 'internal.config.kubernetes.io/index';
/** Deprecated keys that kpt still sends and keeps in sync with the internal ones. */
export const LEGACY_PATH = 'config.kubernetes.io/path';
export const LEGACY_INDEX = 'config.kubernetes.io/index';

/** Annotations owned by kpt and kustomize (ids, file position, indentation); kept when an item is replaced. */
const ORCHESTRATOR_PREFIXES = [
  'config.kubernetes.io/',
  'internal.config.kubernetes.io/',
  'config.k8s.io/',
  'kustomize.config.k8s.io/',
] as const;

export function isOrchestratorAnnotation(key: string): boolean {
  return ORCHESTRATOR_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The annotations of any value that looks like an object with metadata; empty otherwise. */
export function annotationsOf(value: unknown): Readonly<Record<string, unknown>> {
  if (!isRecord(value) || !isRecord(value['metadata'])) return {};
  const annotations = value['metadata']['annotations'];
  return isRecord(annotations) ? annotations : {};
}

/** Where an item was read from: the internal annotations first, then the legacy ones. */
export function sourceFileOf(value: unknown): { path: string; index: number } | undefined {
  const annotations = annotationsOf(value);
  const path = annotations[PATH] ?? annotations[LEGACY_PATH];
  if (typeof path !== 'string' || path === '') return undefined;
  const index = Number(annotations[INDEX] ?? annotations[LEGACY_INDEX] ?? 0);
  return { path, index: Number.isSafeInteger(index) && index >= 0 ? index : 0 };
}

/**
 * The file the resources generated for a stream are written to: `<stream name>.generated.yaml` next to the
 * stream's own file (`streams/orders.yaml` → `streams/orders.generated.yaml`, `orders.yaml` →
 * `orders.generated.yaml`). Undefined when the stream was not read from a file (kustomize).
 */
export function generatedFilePath(stream: KubeObject): string | undefined {
  const source = sourceFileOf(stream);
  if (source === undefined) return undefined;
  const slash = source.path.lastIndexOf('/');
  const directory = slash === -1 ? '' : source.path.slice(0, slash + 1);
  return `${directory}${stream.metadata.name}.generated.yaml`;
}

/**
 * A generated object ready to take the place of `existing` (or to be added when there is none): the
 * orchestrator annotations of `existing` are kept, then the file position is set on both the internal and
 * (when present) the legacy keys so that they never disagree. Nothing of the source stream's annotations is
 * copied. Returns a new object; `generated` is not changed.
 */
export function placeGenerated(
  generated: KubeObject,
  existing: KubeObject | undefined,
  file: { path: string; index: number } | undefined,
): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(generated.metadata.annotations ?? {})) {
    if (!isOrchestratorAnnotation(key)) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(annotationsOf(existing))) {
    if (isOrchestratorAnnotation(key) && typeof value === 'string') annotations[key] = value;
  }
  if (file !== undefined) {
    const index = String(file.index);
    annotations[PATH] = file.path;
    annotations[INDEX] = index;
    if (LEGACY_PATH in annotations) annotations[LEGACY_PATH] = file.path;
    if (LEGACY_INDEX in annotations) annotations[LEGACY_INDEX] = index;
  }
  if (Object.keys(annotations).length === 0) {
    const { annotations: _none, ...metadata } = generated.metadata;
    return { ...generated, metadata };
  }
  // Spreading keeps `annotations` where the generator put it, so output key order is stable.
  return { ...generated, metadata: { ...generated.metadata, annotations } };
}

