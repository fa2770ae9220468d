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
import { expression, fromLiteral, literal, moduleJson, resourceAttribute, tryOrNull, variable, type ModuleObject, type ModuleValue } from './terraform-module.js';

/** terraform-provider-auth0 releases that added what a module may use. */
const PROVIDER_VERSIONS = { eventStream: '1.29.0', status: '1.46.0', customHeader: '1.49.0' } as const;
const PROVIDER_NEXT_MAJOR = '2.0.0';

/** Outputs of the module, named as the OpenMCF status outputs. */
export const OUTPUT_NAMES = ['id', 'name', 'status', 'destination_type', 'subscriptions', 'created_at', 'updated_at', 'aws_partner_event_source'] as const;

const RESOURCE_TYPE = 'auth0_event_stream';
const RESOURCE_NAME = 'this';

export function workspaceName(stream: Stream): string {
  return resourceName(stream.name, 'auth0-stream');
}

export function workspace(stream: Stream, config: ExpansionConfig, secret: SecretLocation | undefined): KubeObject {
  const secretVariable = secret ? `webhook_${secret.field}` : undefined;
  const forProvider: Record<string, unknown> = {
    source: 'Inline',
    inlineFormat: 'JSON',
    module: moduleJson(workspaceModule(stream, secretVariable)),
  };
  if (secret && secretVariable) {
    forProvider['env'] = [
      {
        name: `TF_VAR_${secretVariable}`,
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

/** The module: every value from the stream goes in as a literal; the secret only as a reference to its variable. */
function workspaceModule(stream: Stream, secretVariable: string | undefined): ModuleObject {
  const resource: Record<string, ModuleValue> = {
    name: literal(stream.name),
    destination_type: literal(stream.destinationType),
    subscriptions: stream.subscriptions.map(literal),
  };
  if (stream.statusSet) resource['status'] = literal(stream.status);
  if (stream.eventbridge) {
    resource['eventbridge_configuration'] = {
      aws_account_id: literal(stream.eventbridge.awsAccountId),
      aws_region: literal(stream.eventbridge.awsRegion),
    };
  }
  if (stream.webhook) {
    const { authorization } = stream.webhook;
    const webhookAuthorization: Record<string, ModuleValue> = { method: literal(authorization.method) };
    if (authorization.username !== undefined) webhookAuthorization['username'] = literal(authorization.username);
    if (authorization.headerKey !== undefined) webhookAuthorization['header_key'] = literal(authorization.headerKey);
    if (secretVariable) webhookAuthorization[authorization.secretField] = expression(variable(secretVariable));
    resource['webhook_configuration'] = { webhook_endpoint: literal(stream.webhook.endpoint), webhook_authorization: webhookAuthorization };
  }
  const outputs: Record<string, ModuleObject> = {};
  for (const name of OUTPUT_NAMES) {
    const reference =
      name === 'aws_partner_event_source'
        ? tryOrNull(resourceAttribute(RESOURCE_TYPE, RESOURCE_NAME, 'eventbridge_configuration', 0, 'aws_partner_event_source'))
        : resourceAttribute(RESOURCE_TYPE, RESOURCE_NAME, name);
    outputs[name] = { value: expression(reference) };
  }
  return {
    terraform: { required_providers: { auth0: { source: literal('auth0/auth0'), version: literal(providerVersionConstraint(stream)) } } },
    // A variable's type is a type expression, written as a string; `string` reads the same either way.
    ...(secretVariable ? { variable: { [secretVariable]: { type: literal('string'), sensitive: true } } } : {}),
    resource: { [RESOURCE_TYPE]: { [RESOURCE_NAME]: resource } },
    output: outputs,
  };
}

/** From the first release with everything the module uses, up to the next major release (which may break it). */
function providerVersionConstraint(stream: Stream): string {
  return `>= ${minimumProviderVersion(stream)}, < ${PROVIDER_NEXT_MAJOR}`;
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
    ...literalField('destinationType', first['destination_type']),
    ...literalField('awsAccountId', dig(eventbridge, 'aws_account_id')),
    ...literalField('awsRegion', dig(eventbridge, 'aws_region')),
  });
}, 64);

function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}

function literalField<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' ? { [key]: fromLiteral(value) } : {}) as { [P in K]?: string };
}

