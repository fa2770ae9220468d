/**
 * A live Auth0 event stream as an Auth0EventStream manifest that adopts it: the same name, subscriptions,
 * destination and status, the stream's id in the adoption annotation, and Auth0's values in `status.outputs`.
 * Webhook secrets are never returned by Auth0, so the manifest points at a Secret the user creates.
 */
import { ADOPT_ANNOTATION, dnsLabel, isWindowsDeviceName, resourceName, shortHash, STREAM_API_VERSION, STREAM_KIND, type KubeObject } from '../core/index.js';
import { LOCAL_CONFIG } from '../krm/annotations.js';
import type { LiveStream } from './model.js';

type SecretField = 'token' | 'password' | 'header_value';
const SECRET_FIELD: Readonly<Record<string, SecretField>> = { bearer: 'token', basic: 'password', custom_header: 'header_value' };

/** A Secret the user must create before the first apply. */
export interface RequiredSecret {
  readonly stream: string;
  readonly method: string;
  /** `<stream>-webhook-auth`, DNS-safe for any stream name. */
  readonly name: string;
  readonly namespace?: string;
  /** Named after the field it replaces: token, password or header_value. */
  readonly key: SecretField;
}

export type StreamManifest = { readonly ok: true; readonly manifest: KubeObject; readonly secret?: RequiredSecret } | { readonly ok: false; readonly reason: string };

export interface ManifestOptions {
  readonly namespace?: string;
}

export function streamManifest(live: LiveStream, options: ManifestOptions = {}): StreamManifest {
  const { destination } = live;
  const spec: Record<string, unknown> = { destination_type: destination.type };
  let secret: RequiredSecret | undefined;
  if (destination.type === 'other') {
    return { ok: false, reason: `its destination type ${JSON.stringify(destination.name)} cannot be described by an Auth0EventStream (eventbridge, webhook or action)` };
  }
  if (live.status !== 'enabled' && live.status !== 'disabled') {
    return { ok: false, reason: `its status ${JSON.stringify(live.status)} is neither enabled nor disabled` };
  }
  spec['status'] = live.status;
  spec['subscriptions'] = [...live.subscriptions];
  if (destination.type === 'eventbridge') {
    spec['eventbridge_configuration'] = { aws_account_id: destination.awsAccountId, aws_region: destination.awsRegion };
  } else if (destination.type === 'action') {
    spec['action_configuration'] = { action_id: destination.actionId };
  } else {
    const field = Object.hasOwn(SECRET_FIELD, destination.method) ? SECRET_FIELD[destination.method] : undefined;
    if (field === undefined) {
      return { ok: false, reason: `its webhook authorization method ${JSON.stringify(destination.method)} is not basic, bearer or custom_header` };
    }
    secret = {
      stream: live.name,
      method: destination.method,
      name: webhookSecretName(live.name),
      key: field,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    };
    spec['webhook_configuration'] = {
      webhook_endpoint: destination.endpoint,
      webhook_authorization: {
        method: destination.method,
        ...(destination.username !== undefined ? { username: destination.username } : {}),
        ...(destination.headerKey !== undefined ? { header_key: destination.headerKey } : {}),
        [`${field}_secret_ref`]: { name: secret.name, key: secret.key },
      },
    };
  }
  const manifest: KubeObject = {
    apiVersion: STREAM_API_VERSION,
    kind: STREAM_KIND,
    metadata: {
      name: live.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      // Configuration the function expands, not a resource to apply: marked as the function itself would mark it.
      annotations: { [ADOPT_ANNOTATION]: live.id, [LOCAL_CONFIG]: 'true' },
    },
    spec,
    status: { outputs: statusOutputs(live) },
  };
  return { ok: true, manifest, ...(secret ? { secret } : {}) };
}

/** `status.outputs` as the OpenMCF model names them, from what Auth0 returned. */
function statusOutputs(live: LiveStream): Record<string, unknown> {
  const source = live.destination.type === 'eventbridge' ? live.destination.partnerEventSource : undefined;
  return {
    id: live.id,
    name: live.name,
    status: live.status,
    destination_type: live.destination.type === 'other' ? live.destination.name : live.destination.type,
    subscriptions: [...live.subscriptions],
    ...(live.createdAt !== undefined ? { created_at: live.createdAt } : {}),
    ...(live.updatedAt !== undefined ? { updated_at: live.updatedAt } : {}),
    // Auth0 says `default` until the partner event source exists: not a name to associate a bus with.
    ...(source !== undefined && source !== 'default' ? { aws_partner_event_source: source } : {}),
  };
}

export function webhookSecretName(streamName: string): string {
  return resourceName(streamName, 'webhook-auth');
}

const MAX_FILE_STEM = 80;

/**
 * A file name for any stream name: lowercase letters, digits and `-`, so it is the same on every file system
 * (case-insensitive ones included) and can never leave the directory. A name that had to be changed (or cut,
 * or is a Windows device name) gets a hash of the full name, so distinct streams keep distinct files.
 */
export function manifestFileName(streamName: string): string {
  const cleaned = dnsLabel(dnsLabel(streamName).slice(0, MAX_FILE_STEM));
  if (cleaned === streamName && !isWindowsDeviceName(cleaned)) return `${cleaned}.yaml`;
  return `${cleaned === '' ? 'stream' : cleaned}-${shortHash(streamName)}.yaml`;
}
