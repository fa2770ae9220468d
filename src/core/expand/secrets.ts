/**
 * The webhook secret's path to Terraform. A Secret reference is used as it is; an inline or pipeline value
 * becomes a generated Secret, the only place the value is ever written.
 */
import type { ExpansionConfig } from '../config-types.js';
import { resourceName } from '../names.js';
import type { SecretField, Stream } from '../stream.js';
import type { Finding, KubeObject } from '../types.js';
import { report } from '../findings.js';
import { RULES } from '../rules.js';
import { API, objectMetadata } from './common.js';

/** Where the Workspace reads the webhook secret from. */
export interface SecretLocation {
  readonly name: string;
  readonly key: string;
  readonly namespace?: string;
  readonly field: SecretField;
}

export interface SecretPlan {
  readonly location?: SecretLocation;
  /** The generated Secret, when the value had to be written into one. */
  readonly secret?: KubeObject;
  readonly findings: readonly Finding[];
}

export function credentialsSecretName(stream: Stream): string {
  return resourceName(stream.name, 'webhook-credentials');
}

export function planSecret(stream: Stream, config: ExpansionConfig): SecretPlan {
  const authorization = stream.webhook?.authorization;
  if (authorization === undefined) return { findings: [] };
  const field = authorization.secretField;
  const { credential } = authorization;
  if (credential.source === 'secretRef') {
    const namespace = credential.namespace ?? stream.namespace;
    if (config.scope === 'Cluster' && !namespace) return { findings: [namespaceRequired()] };
    return { location: { name: credential.name, key: credential.key, field, ...(namespace ? { namespace } : {}) }, findings: [] };
  }
  if (config.scope === 'Cluster' && !stream.namespace) return { findings: [namespaceRequired()] };
  const name = credentialsSecretName(stream);
  const secret: KubeObject = {
    apiVersion: API[config.scope].secret,
    kind: 'Secret',
    metadata: objectMetadata(stream, name, stream.namespace),
    type: 'Opaque',
    stringData: { [field]: credential.value },
  };
  return { location: { name, key: field, field, ...(stream.namespace ? { namespace: stream.namespace } : {}) }, secret, findings: [] };
}

function namespaceRequired(): Finding {
  return report(RULES['namespace-required'],
    'metadata.namespace is required with scope: Cluster: the webhook secret lives in a namespaced Secret that the cluster-scoped Workspace must name; set metadata.namespace.',
    { path: 'metadata.namespace' },
  );
}
