/** How kpt and kustomize tell resources apart, and how a message names one. */
import type { KubeObject } from '../core/index.js';

/**
 * apiVersion, kind, namespace and name: what kpt and kustomize tell resources apart by, as one key (the
 * lengths first, so that no two identities share a key).
 */
export function identityOf(object: KubeObject): string {
  const { apiVersion, kind } = object;
  const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '';
  return `${apiVersion.length},${kind.length},${namespace.length}:${apiVersion}${kind}${namespace}${object.metadata.name}`;
}

/** `Workspace shop/orders-auth0-stream (tf.m.upbound.io/v1beta1)`. */
export function describeObject(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return `${object.kind} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${object.metadata.name} (${object.apiVersion})`;
}
