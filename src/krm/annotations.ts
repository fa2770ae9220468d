/** The orchestrator annotations the KRM adapter reads or writes, and the file a generated resource goes to. */
import { generatedFileStem, isRecord, withFields, type KubeObject } from '../core/index.js';

export const PATH = 'internal.config.kubernetes.io/path';
const INDEX = 'internal.config.kubernetes.io/index';
/** Deprecated keys that kpt still sends and keeps in sync with the internal ones. */
const LEGACY_PATH = 'config.kubernetes.io/path';
const LEGACY_INDEX = 'config.kubernetes.io/index';

/** Annotations owned by kpt and kustomize (ids, file position, indentation); kept when an item is replaced. */
const ORCHESTRATOR_PREFIXES = ['config.kubernetes.io/', 'internal.config.kubernetes.io/', 'config.k8s.io/', 'kustomize.config.k8s.io/'] as const;

function isOrchestratorAnnotation(key: string): boolean {
  return ORCHESTRATOR_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The annotations of any value that looks like an object with metadata; empty otherwise. */
function annotationsOf(value: unknown): Readonly<Record<string, unknown>> {
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

/** Where the resources generated for a stream go, or the stream's own path when its directory is outside the package. */
export type GeneratedFile = { readonly path: string } | { readonly outside: string };

/**
 * The file the resources generated for a stream are written to: `<stem>.generated.yaml` next to the stream's
 * own file (`streams/orders.yaml` → `streams/orders.generated.yaml`, `orders.yaml` → `orders.generated.yaml`),
 * with the stem from `generatedFileStem` (a stream named `../x` or `Orders` gets a safe, hashed stem). The
 * directory is normalized (`./a/../b/` → `b/`); one that leaves the package (`../`, an absolute path) is
 * returned as `outside`, never as a path. Undefined when the stream was not read from a file (kustomize).
 */
export function generatedFilePath(stream: KubeObject): GeneratedFile | undefined {
  const source = sourceFileOf(stream);
  if (source === undefined) return undefined;
  const directory = packageDirectory(source.path);
  if (directory === undefined) return { outside: source.path };
  return { path: `${directory}${generatedFileStem(stream.metadata.name)}.generated.yaml` };
}

/** The directory of a package-relative file path, normalized, with a trailing `/` (or `''`); undefined outside the package. */
function packageDirectory(path: string): string | undefined {
  if (path.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const segment of path.split('/').slice(0, -1)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.pop() === undefined) return undefined;
      continue;
    }
    segments.push(segment);
  }
  return segments.map((segment) => `${segment}/`).join('');
}

/**
 * A generated object ready to take the place of `existing` (or to be added when there is none): the
 * orchestrator annotations of `existing` are kept, then the file position is set on both the internal and
 * (when present) the legacy keys so that they never disagree. Nothing of the source stream's annotations is
 * copied. Returns a new object; `generated` is not changed.
 */
export function placeGenerated(generated: KubeObject, existing: KubeObject | undefined, file: { path: string; index: number } | undefined): KubeObject {
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
    return withFields(generated, { metadata });
  }
  // A copy with the field set keeps `annotations` where the generator put it, so output key order is stable.
  return withFields(generated, { metadata: withFields(generated.metadata, { annotations }) });
}

/** "The resource is only consumed by client-side tooling and should not be applied to the API server." */
export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

/**
 * The item marked `config.kubernetes.io/local-config: "true"`, so that kustomize leaves it out of its output and
 * `kpt live apply` skips it. An item already marked comes back as the very same object (and so as its source
 * text), which makes marking idempotent.
 */
export function asLocalConfig(item: KubeObject): KubeObject {
  const annotations = item.metadata.annotations;
  if (annotations?.[LOCAL_CONFIG] === 'true') return item;
  const marked = annotations === undefined ? { [LOCAL_CONFIG]: 'true' } : withFields(annotations, { [LOCAL_CONFIG]: 'true' });
  return withFields(item, { metadata: withFields(item.metadata, { annotations: marked }) });
}
