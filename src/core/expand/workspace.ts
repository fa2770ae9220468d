/**
 * The Auth0 side: a provider-terraform Workspace whose inline module is a Terraform JSON configuration with
 * one `auth0_event_stream`. The module never holds a secret: the webhook secret is a sensitive variable fed
 * from a Secret through `env` (`TF_VAR_<name>` with `secretKeyRef`).
 */
import { memoized } from '../memo.js';
import type { ExpansionConfig } from '../config-types.js';
import { resourceName } from '../names.js';
import type { Stream } from '../stream.js';
import type { KubeObject } from '../types.js';
import { API, managedMetadata, providerConfigRef } from './common.js';
import type { SecretLocation } from './secrets.js';
import { isRecord } from '../records.js';

/** terraform-provider-auth0 releases that added what a module may use. */
const PROVIDER_VERSIONS = { eventStream: '1.29.0', status: '1.46.0', customHeader: '1.49.0' } as const;

/** Outputs of the module, named as the OpenMCF status outputs. */
export const OUTPUT_NAMES = ['id', 'name', 'status', 'destination_type', 'subscriptions', 'created_at', 'updated_at', 'aws_partner_event_source'] as const;

const RESOURCE = 'auth0_event_stream.this';

export function workspaceName(stream: Stream): string {
  return resourceName(stream.name, 'auth0-stream');
}

export function workspace(stream: Stream, config: ExpansionConfig, secret: SecretLocation | undefined): KubeObject {
  const variable = secret ? `webhook_${secret.field}` : undefined;
  const forProvider: Record<string, unknown> = {
    source: 'Inline',
    inlineFormat: 'JSON',
    module: JSON.stringify(terraformModule(stream, variable), null, 2),
  };
  if (secret && variable) {
    forProvider['env'] = [
      {
        name: `TF_VAR_${variable}`,
        secretKeyRef: {
          name: secret.name,
          key: secret.key,
          ...(config.scope === 'Cluster' ? { namespace: secret.namespace ?? '' } : {}),
        },
      },
    ];
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

function terraformModule(stream: Stream, secretVariable: string | undefined): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    name: stream.name,
    destination_type: stream.destinationType,
    subscriptions: stream.subscriptions,
  };
  if (stream.statusSet) resource['status'] = stream.status;
  if (stream.eventbridge) {
    resource['eventbridge_configuration'] = {
      aws_account_id: stream.eventbridge.awsAccountId,
      aws_region: stream.eventbridge.awsRegion,
    };
  }
  if (stream.webhook) {
    const { authorization } = stream.webhook;
    resource['webhook_configuration'] = {
      webhook_endpoint: stream.webhook.endpoint,
      webhook_authorization: {
        method: authorization.method,
        ...(authorization.username !== undefined ? { username: authorization.username } : {}),
        ...(authorization.headerKey !== undefined ? { header_key: authorization.headerKey } : {}),
        ...(secretVariable ? { [authorization.secretField]: `\${var.${secretVariable}}` } : {}),
      },
    };
  }
  const outputs: Record<string, unknown> = {};
  for (const name of OUTPUT_NAMES) {
    outputs[name] = {
      value:
        name === 'aws_partner_event_source'
          ? `\${try(${RESOURCE}.eventbridge_configuration[0].aws_partner_event_source, null)}`
          : `\${${RESOURCE}.${name}}`,
    };
  }
  return {
    terraform: { required_providers: { auth0: { source: 'auth0/auth0', version: `>= ${minimumProviderVersion(stream)}` } } },
    ...(secretVariable ? { variable: { [secretVariable]: { type: 'string', sensitive: true } } } : {}),
    resource: { auth0_event_stream: { this: resource } },
    output: outputs,
  };
}

function minimumProviderVersion(stream: Stream): string {
  if (stream.webhook?.authorization.method === 'custom_header') return PROVIDER_VERSIONS.customHeader;
  if (stream.statusSet) return PROVIDER_VERSIONS.status;
  return PROVIDER_VERSIONS.eventStream;
}

/** The fields fixed at creation, as a Workspace generated earlier recorded them. */
export interface PreviousConfiguration {
  readonly destinationType?: string;
  readonly awsAccountId?: string;
  readonly awsRegion?: string;
}

export function previousConfiguration(previous: KubeObject | undefined): PreviousConfiguration | undefined {
  const spec = previous?.['spec'];
  const forProvider = isRecord(spec) ? spec['forProvider'] : undefined;
  const module = isRecord(forProvider) ? forProvider['module'] : undefined;
  return typeof module === 'string' ? configurationInModule(module) : undefined;
}

/** Crossplane observes the same Workspace on every reconcile: its module is parsed once. */
const configurationInModule = memoized((module: string): PreviousConfiguration | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(module);
  } catch {
    return undefined;
  }
  const resources = dig(parsed, 'resource', 'auth0_event_stream');
  const first = isRecord(resources) ? Object.values(resources)[0] : undefined;
  if (!isRecord(first)) return undefined;
  const block = first['eventbridge_configuration'];
  const eventbridge = Array.isArray(block) ? block[0] : block;
  return Object.freeze({
    ...stringField('destinationType', first['destination_type']),
    ...stringField('awsAccountId', dig(eventbridge, 'aws_account_id')),
    ...stringField('awsRegion', dig(eventbridge, 'aws_region')),
  });
}, 64);

function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}

function stringField<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}

