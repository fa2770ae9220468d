/**
 * What a manifest asks Auth0 for, and how that differs from what Auth0 has. The desired side is read from the
 * Terraform module the core generates for the manifest, so it is exactly what an apply would send: names as
 * written, wildcards expanded, duplicates dropped, status only when the manifest manages it.
 */
import { ROLE, expandStream, fromLiteral, isRecord, type ExpansionConfig, type Finding } from '../core/index.js';
import type { LiveDestination, LiveStream } from './model.js';

export type DestinationShape =
  | { readonly type: 'webhook'; readonly endpoint: string; readonly method: string; readonly username?: string; readonly headerKey?: string }
  | { readonly type: 'eventbridge'; readonly awsAccountId: string; readonly awsRegion: string }
  | { readonly type: 'action'; readonly actionId: string }
  | { readonly type: string };

/** The fields of a stream that a manifest decides. */
export interface StreamShape {
  readonly name: string;
  /** Undefined when the manifest leaves the status to Auth0. */
  readonly status?: string;
  readonly subscriptions: readonly string[];
  readonly destination: DestinationShape;
}

export type DesiredReading =
  { readonly ok: true; readonly shape: StreamShape; readonly findings: readonly Finding[] } | { readonly ok: false; readonly findings: readonly Finding[] };

export function desiredShape(item: unknown, config: ExpansionConfig): DesiredReading {
  const expansion = expandStream(item, config);
  if (!expansion.ok) return { ok: false, findings: expansion.findings };
  const workspace = expansion.resources.find((resource) => resource.role === ROLE.workspace)?.object;
  const resource = streamResource(workspace);
  if (resource === undefined) throw new Error('the generated Workspace holds no auth0_event_stream resource');
  return { ok: true, shape: shapeOfResource(resource), findings: expansion.findings };
}

export function liveShape(live: LiveStream): StreamShape {
  return { name: live.name, status: live.status, subscriptions: live.subscriptions, destination: destinationShape(live.destination) };
}

function destinationShape(destination: LiveDestination): DestinationShape {
  switch (destination.type) {
    case 'webhook':
      return destination;
    case 'eventbridge':
      return { type: 'eventbridge', awsAccountId: destination.awsAccountId, awsRegion: destination.awsRegion };
    case 'action':
      return destination;
    default:
      return { type: destination.name };
  }
}

/** `resource.auth0_event_stream.<name>` of the Workspace's inline JSON module. */
function streamResource(workspace: unknown): Record<string, unknown> | undefined {
  const spec = isRecord(workspace) ? workspace['spec'] : undefined;
  const forProvider = isRecord(spec) ? spec['forProvider'] : undefined;
  const module = isRecord(forProvider) ? forProvider['module'] : undefined;
  if (typeof module !== 'string') return undefined;
  const parsed: unknown = JSON.parse(module);
  const resources = isRecord(parsed) && isRecord(parsed['resource']) ? parsed['resource']['auth0_event_stream'] : undefined;
  const first = isRecord(resources) ? Object.values(resources)[0] : undefined;
  return isRecord(first) ? first : undefined;
}

function shapeOfResource(resource: Record<string, unknown>): StreamShape {
  const text = (value: unknown): string => fromLiteral(typeof value === 'string' ? value : '');
  const type = text(resource['destination_type']);
  let destination: DestinationShape = { type };
  const eventbridge = resource['eventbridge_configuration'];
  const webhook = resource['webhook_configuration'];
  const action = resource['action_configuration'];
  if (type === 'action' && isRecord(action)) {
    destination = { type, actionId: text(action['action_id']) };
  } else if (type === 'eventbridge' && isRecord(eventbridge)) {
    destination = { type, awsAccountId: text(eventbridge['aws_account_id']), awsRegion: text(eventbridge['aws_region']) };
  } else if (type === 'webhook' && isRecord(webhook)) {
    const authorization = isRecord(webhook['webhook_authorization']) ? webhook['webhook_authorization'] : {};
    destination = {
      type,
      endpoint: text(webhook['webhook_endpoint']),
      method: text(authorization['method']),
      ...(typeof authorization['username'] === 'string' ? { username: text(authorization['username']) } : {}),
      ...(typeof authorization['header_key'] === 'string' ? { headerKey: text(authorization['header_key']) } : {}),
    };
  }
  const subscriptions = Array.isArray(resource['subscriptions']) ? resource['subscriptions'].map(text) : [];
  return {
    name: text(resource['name']),
    ...(typeof resource['status'] === 'string' ? { status: text(resource['status']) } : {}),
    subscriptions,
    destination,
  };
}

/** One difference between the manifest and Auth0. */
export interface Drift {
  /** `name`, `status`, `subscriptions`, `destination_type`, `webhook_endpoint`, `method`, `username`, `header_key`, `aws_account_id`, `aws_region`, `action_id`. */
  readonly field: string;
  /** Subscriptions are sorted lists; everything else is text (`(none)` when unset). */
  readonly manifest: string | readonly string[];
  readonly auth0: string | readonly string[];
}

/**
 * Differences that matter: subscriptions are compared as sets (Auth0 keeps them in the order sent, which
 * changes nothing it delivers); status only when the manifest manages it.
 */
export function compareShapes(desired: StreamShape, live: StreamShape): Drift[] {
  const drifts: Drift[] = [];
  const differ = (field: string, manifest: string | undefined, auth0: string | undefined): void => {
    if (manifest !== auth0) drifts.push({ field, manifest: manifest ?? '(none)', auth0: auth0 ?? '(none)' });
  };
  differ('name', desired.name, live.name);
  if (desired.status !== undefined) differ('status', desired.status, live.status);
  const wanted = new Set(desired.subscriptions);
  const present = new Set(live.subscriptions);
  const missing = [...wanted].filter((type) => !present.has(type));
  const extra = [...present].filter((type) => !wanted.has(type));
  if (missing.length > 0 || extra.length > 0) {
    drifts.push({ field: 'subscriptions', manifest: [...wanted].sort(), auth0: [...present].sort() });
  }
  differ('destination_type', desired.destination.type, live.destination.type);
  if (desired.destination.type === live.destination.type) {
    const fields = {
      endpoint: 'webhook_endpoint',
      method: 'method',
      username: 'username',
      headerKey: 'header_key',
      awsAccountId: 'aws_account_id',
      awsRegion: 'aws_region',
      actionId: 'action_id',
    } as const;
    const want = desired.destination as Record<string, unknown>;
    const have = live.destination as Record<string, unknown>;
    for (const [key, field] of Object.entries(fields)) {
      const a = want[key];
      const b = have[key];
      if (a !== undefined || b !== undefined) differ(field, typeof a === 'string' ? a : undefined, typeof b === 'string' ? b : undefined);
    }
  }
  return drifts;
}
