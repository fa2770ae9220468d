/** What every generated resource shares: metadata, ownership marks, provider config references, API groups. */
import type { ExpansionConfig, ProviderConfigRef } from '../schema/index.js';
import { ownershipAnnotations, ownershipLabels } from '../ownership.js';
import { withFields } from '../records.js';
import type { StreamBase } from '../stream.js';
import type { ObjectMeta } from '../types.js';

export { API, KIND } from './kinds.js';

/** Metadata of a managed resource: cluster-scoped kinds get no namespace. */
export function managedMetadata(stream: StreamBase, name: string, config: ExpansionConfig, annotations: Record<string, string> = {}): ObjectMeta {
  return objectMetadata(stream, name, config.scope === 'Namespaced' ? stream.namespace : undefined, annotations);
}

export function objectMetadata(stream: StreamBase, name: string, namespace: string | undefined, annotations: Record<string, string> = {}): ObjectMeta {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: ownershipLabels(stream),
    annotations: withFields(annotations, ownershipAnnotations(stream)),
  };
}

/** Namespaced managed resources name the kind of their provider config; cluster-scoped ones only its name. */
export function providerConfigRef(ref: ProviderConfigRef, config: ExpansionConfig): Record<string, string> {
  return config.scope === 'Namespaced' ? { kind: ref.kind, name: ref.name } : { name: ref.name };
}
