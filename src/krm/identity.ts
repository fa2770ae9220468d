/** How kpt and kustomize tell resources apart, and how a message names one. */
import type { KubeObject } from '../core/index.js';

/** apiVersion, kind, namespace and name: what kpt and kustomize tell resources apart by. */
export function identityOf(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return JSON.stringify([object.apiVersion, object.kind, typeof namespace === 'string' ? namespace : '', object.metadata.name]);
}

/** `Workspace shop/orders-auth0-stream (tf.m.upbound.io/v1beta1)`. */
export function describeObject(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return `${object.kind} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${object.metadata.name} (${object.apiVersion})`;
}
