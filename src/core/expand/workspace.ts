/**
 * Who creates the Auth0 stream: a provider-terraform Workspace whose inline module is the stream's Terraform
 * JSON module (./stream-module.ts). The module never holds a secret: each sensitive variable is fed from its
 * Secret through `env` (`TF_VAR_<name>` with `secretKeyRef`). Another way to run the module (a plain Terraform
 * configuration, another provider) is another renderer beside this one.
 */
import type { ExpansionConfig } from '../schema/index.js';
import { resourceName } from '../names.js';
import { isRecord } from '../records.js';
import { NAME_SUFFIX } from '../roles.js';
import type { StreamBase } from '../stream.js';
import type { KubeObject } from '../types.js';
import { API, managedMetadata, providerConfigRef } from './common.js';
import type { StreamModule } from './stream-module.js';
import { moduleJson } from './terraform-module.js';

function workspaceName(stream: StreamBase): string {
  return resourceName(stream.name, NAME_SUFFIX.workspace);
}

export function workspace(stream: StreamBase, { module, sensitive }: StreamModule, config: ExpansionConfig): KubeObject {
  const forProvider: Record<string, unknown> = { source: 'Inline', inlineFormat: 'JSON', module: moduleJson(module) };
  if (sensitive.length > 0) {
    forProvider['env'] = sensitive.map(({ variable, secret }) => ({
      name: `TF_VAR_${variable}`,
      secretKeyRef: { name: secret.name, key: secret.key, ...(config.scope === 'Cluster' ? { namespace: secret.namespace ?? '' } : {}) },
    }));
  }
  return {
    apiVersion: API[config.scope].workspace,
    kind: 'Workspace',
    metadata: managedMetadata(stream, workspaceName(stream), config),
    spec: {
      providerConfigRef: providerConfigRef(config.terraform.providerConfigRef, config),
      forProvider,
    },
  };
}

/** The module text of a Workspace (one generated earlier, or observed), if it has one. */
export function moduleOf(workspaceObject: KubeObject | undefined): string | undefined {
  const spec = workspaceObject?.['spec'];
  const forProvider = isRecord(spec) ? spec['forProvider'] : undefined;
  const module = isRecord(forProvider) ? forProvider['module'] : undefined;
  return typeof module === 'string' ? module : undefined;
}
