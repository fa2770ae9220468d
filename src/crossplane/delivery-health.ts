/**
 * The DeliveryHealthy condition, opt-in: when the step input has `deliveryHealth`, the composed response gets
 * a condition saying whether Auth0 delivers the stream's events, read (never written) with the pipeline step
 * credentials it names. Without it the response is the composer's own object, untouched.
 *
 * A response that carries a reading holds only until the reading expires: its TTL brings Crossplane back by
 * then, and `responseExpiry` tells the response cache when to stop answering with it.
 */
import { Severity, Status, Target, type Condition, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { STREAM_ID_PATTERN, isRecord, type DeliveryHealthSettings } from '../core/index.js';
import { normalizeDomain, type TenantCredentials } from '../tenant/credentials.js';
import { printable, Redactor } from '../tenant/output.js';
import {
  DELIVERY_HEALTHY,
  checkingCondition,
  credentialsCondition,
  healthCondition,
  internalErrorCondition,
  notCreatedCondition,
  type HealthCondition,
  type HealthStatus,
} from './delivery-health-condition.js';
import type { DeliveryHealthMonitor, Observation } from './delivery-health-monitor.js';
import type { RunFunctionHandler } from './server.js';
import { readStepInput } from './step-input.js';

/** While a reading is on its way, Crossplane is asked to come back this soon to pick it up. */
const PENDING_TTL_SECONDS = 5;
/** The keys of the Secret the step credentials come from. */
export const CREDENTIAL_KEYS = { domain: 'domain', clientId: 'client_id', clientSecret: 'client_secret' } as const;
const MAX_MESSAGE_LENGTH = 1000;

const STATUS: Readonly<Record<HealthStatus, Status>> = {
  True: Status.STATUS_CONDITION_TRUE,
  False: Status.STATUS_CONDITION_FALSE,
  Unknown: Status.STATUS_CONDITION_UNKNOWN,
};

/** Responses that hold only until a given time (ms since the epoch). */
const expiries = new WeakMap<RunFunctionResponse, number>();

/** Until when a response may be answered again from a cache; undefined for as long as its request is the same. */
export function responseExpiry(response: RunFunctionResponse): number | undefined {
  return expiries.get(response);
}

/** What the hook needs of the monitor. */
export type HealthReader = Pick<DeliveryHealthMonitor, 'observe' | 'firstReadingWaitSeconds'>;

export interface DeliveryHealthOptions {
  readonly now?: () => number;
}

/** `compose` with the DeliveryHealthy condition added where the step input asks for it. */
export function withDeliveryHealth(compose: (request: RunFunctionRequest) => RunFunctionResponse, monitor: HealthReader, options: DeliveryHealthOptions = {}): RunFunctionHandler {
  const now = options.now ?? Date.now;
  return (request) => {
    const response = compose(request);
    const settings = requestedSettings(request);
    if (settings === undefined || response.results.some((result) => result.severity === Severity.SEVERITY_FATAL)) return response;
    return withCondition(request, response, settings, monitor, now);
  };
}

/** Most inputs do not ask for it: that is known without reading the input. */
function requestedSettings(request: RunFunctionRequest): DeliveryHealthSettings | undefined {
  const spec = isRecord(request.input) ? request.input['spec'] : undefined;
  if (!isRecord(spec) || (spec['deliveryHealth'] === undefined && spec['delivery_health'] === undefined)) return undefined;
  return readStepInput(request.input).config.deliveryHealth;
}

async function withCondition(
  request: RunFunctionRequest,
  response: RunFunctionResponse,
  settings: DeliveryHealthSettings,
  monitor: HealthReader,
  now: () => number,
): Promise<RunFunctionResponse> {
  const redactor = new Redactor();
  const data = request.credentials?.[settings.credentials]?.credentialData?.data;
  // The domain and the client id are named in messages; every other value of the Secret is not shown.
  for (const [key, value] of Object.entries(data ?? {})) {
    if (key !== CREDENTIAL_KEYS.domain && key !== CREDENTIAL_KEYS.clientId) redactor.add(Buffer.from(value).toString('utf8'));
  }
  const credentials = data === undefined ? undefined : readCredentials(data);
  const streamId = streamIdOf(response);
  let health: HealthCondition;
  if (credentials === undefined) {
    health = credentialsCondition(settings.credentials, { kind: 'missing' });
  } else if ('problem' in credentials) {
    health = credentialsCondition(settings.credentials, credentials.problem);
  } else if (streamId === undefined) {
    health = notCreatedCondition();
  } else {
    const { intervalSeconds, windowSeconds, maxFailures } = settings;
    let observation: Observation;
    try {
      observation = await monitor.observe({ credentials, streamId, intervalSeconds, windowSeconds, maxFailures });
    } catch (error) {
      // Nothing about delivery health may keep the resources from being composed.
      response.conditions.push(toCondition(internalErrorCondition(error instanceof Error ? error.name : typeof error), redactor));
      expiries.set(response, now());
      return response;
    }
    health =
      observation.reading === undefined
        ? checkingCondition(credentials.domain, monitor.firstReadingWaitSeconds)
        : healthCondition(observation.reading, {
            streamId,
            domain: credentials.domain,
            credentials: settings.credentials,
            ...declaredStatus(request),
            intervalSeconds,
            windowSeconds,
            maxFailures,
          });
    holdUntil(response, observation, now());
  }
  response.conditions.push(toCondition(health, redactor));
  return response;
}

type CredentialReading = TenantCredentials | { readonly problem: Parameters<typeof credentialsCondition>[1] };

function readCredentials(data: Readonly<Record<string, Uint8Array>>): CredentialReading {
  const text = (key: string): string => (data[key] === undefined ? '' : Buffer.from(data[key]).toString('utf8').trim());
  const [domain, clientId, clientSecret] = [text(CREDENTIAL_KEYS.domain), text(CREDENTIAL_KEYS.clientId), text(CREDENTIAL_KEYS.clientSecret)];
  const missing = Object.values(CREDENTIAL_KEYS).filter((key) => text(key) === '');
  if (missing.length > 0) return { problem: { kind: 'keys', missing } };
  try {
    return { domain: normalizeDomain(domain), clientId, clientSecret };
  } catch {
    return { problem: { kind: 'domain' } };
  }
}

/** The stream id the composer derived from the Workspace outputs. */
function streamIdOf(response: RunFunctionResponse): string | undefined {
  const xr = response.desired?.composite?.resource;
  const status = isRecord(xr) ? xr['status'] : undefined;
  const outputs = isRecord(status) ? status['outputs'] : undefined;
  const id = isRecord(outputs) ? outputs['id'] : undefined;
  return typeof id === 'string' && STREAM_ID_PATTERN.test(id) ? id : undefined;
}

function declaredStatus(request: RunFunctionRequest): { declaredStatus?: string } {
  const xr = request.observed?.composite?.resource;
  const spec = isRecord(xr) ? xr['spec'] : undefined;
  const status = isRecord(spec) ? spec['status'] : undefined;
  return typeof status === 'string' ? { declaredStatus: status } : {};
}

/**
 * A fresh reading holds until it expires, and Crossplane is asked back by then; anything else is not kept,
 * and Crossplane is asked back soon for the reading on its way.
 */
function holdUntil(response: RunFunctionResponse, observation: Observation, now: number): void {
  const seconds = observation.fresh ? Math.max(1, Math.ceil((observation.expiresAt - now) / 1000) + 1) : PENDING_TTL_SECONDS;
  const meta = response.meta!;
  const current = meta.ttl?.seconds ?? Number.POSITIVE_INFINITY;
  if (seconds < current) meta.ttl = { seconds, nanos: 0 };
  expiries.set(response, observation.fresh ? observation.expiresAt : now);
}

function toCondition(health: HealthCondition, redactor: Redactor): Condition {
  const message = printable(redactor.redact(health.message));
  return {
    type: DELIVERY_HEALTHY,
    status: STATUS[health.status],
    reason: health.reason,
    message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : message,
    target: Target.TARGET_COMPOSITE,
  };
}
