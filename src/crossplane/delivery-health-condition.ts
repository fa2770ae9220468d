/**
 * What the XR's DeliveryHealthy condition says about one look at Auth0: True while the stream delivers, False
 * when Auth0 disabled it, deliveries fail or the stream is gone, Unknown when the function could not look (and
 * why, with what to do). Pure: the messages are built from the reading and the settings only.
 */
import type { TenantErrorKind } from '../tenant/errors.js';

export const DELIVERY_HEALTHY = 'DeliveryHealthy';

export type HealthStatus = 'True' | 'False' | 'Unknown';

export interface HealthCondition {
  readonly status: HealthStatus;
  readonly reason: string;
  readonly message: string;
}

export interface LastFailure {
  /** RFC 3339, the latest attempt's time. */
  readonly at: string;
  readonly eventType: string;
  readonly error?: string;
}

/** A failed exchange with Auth0, as the tenant client describes it. */
export interface ReadingFailure {
  readonly kind: TenantErrorKind;
  readonly status?: number;
  /** `GET /api/v2/event-streams/est_…`, `POST /oauth/token`. */
  readonly endpoint?: string;
  /** What Auth0 or the network said: `403 insufficient_scope: …`, `ECONNREFUSED`. */
  readonly detail?: string;
}

/** What one look at Auth0 found. */
export type HealthReading =
  | { readonly kind: 'stream'; readonly status: string; readonly failures: { readonly count: number; readonly truncated: boolean; readonly last?: LastFailure } }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'failed'; readonly failure: ReadingFailure };

/** The stream looked at, and how it is judged. */
export interface HealthSubject {
  readonly streamId: string;
  /** The tenant, as the requests address it. */
  readonly domain: string;
  /** Name of the pipeline step credentials. */
  readonly credentials: string;
  /** `spec.status` of the XR, when it sets one. */
  readonly declaredStatus?: string;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly maxFailures: number;
}

const SCOPES = 'read:event_streams and read:event_deliveries';
const GRANT_PATH = 'Applications > APIs > Auth0 Management API > Machine to Machine Applications';

export function healthCondition(reading: HealthReading, subject: HealthSubject): HealthCondition {
  switch (reading.kind) {
    case 'stream':
      return streamCondition(reading, subject);
    case 'not-found':
      return {
        status: 'False',
        reason: 'StreamNotFound',
        message:
          `Auth0 at ${subject.domain} has no event stream ${subject.streamId}, the id the Workspace reports: it was deleted outside this composition. ` +
          "Terraform creates it again on the Workspace's next apply.",
      };
    case 'failed':
      return failureCondition(reading.failure, subject);
  }
}

function streamCondition(reading: Extract<HealthReading, { kind: 'stream' }>, subject: HealthSubject): HealthCondition {
  const { streamId: id, windowSeconds, maxFailures } = subject;
  const { failures } = reading;
  const window = durationText(windowSeconds);
  const counted =
    failures.count === 0
      ? `no failed deliveries in the last ${window}`
      : `${failures.count}${failures.truncated ? ' or more' : ''} failed deliver${failures.count === 1 && !failures.truncated ? 'y' : 'ies'} in the last ${window}`;
  const last =
    failures.last === undefined ? '' : `; the last at ${failures.last.at} (${failures.last.eventType})${failures.last.error !== undefined ? `: ${failures.last.error}` : ''}`;
  const redeliver = `auth0-eventstream-fn redeliver ${id} --since ${sinceFlag(windowSeconds)}`;
  if (reading.status !== 'enabled' && subject.declaredStatus !== 'disabled') {
    const recover =
      subject.declaredStatus === 'enabled'
        ? `Fix the destination and redeliver the failed events (${redeliver}); as spec.status is enabled, the Workspace enables the stream again on its next apply`
        : `Fix the destination, redeliver the failed events (${redeliver}), then re-enable the stream: set spec.status: enabled (the Workspace applies it) or enable it in the Auth0 dashboard`;
    return {
      status: 'False',
      reason: 'AutoDisabled',
      message:
        `Auth0 reports event stream ${id} ${reading.status} although spec.status does not disable it: Auth0 disables a stream after 500 consecutive or 5,000 failed deliveries, and it then delivers nothing. ` +
        `${recover}; Auth0 accepts that once fewer than 5,000 failures remain. ${capitalized(counted)}${last}.`,
    };
  }
  if (failures.count > maxFailures) {
    const allowed = maxFailures > 0 ? ` (more than the ${maxFailures} allowed)` : '';
    return {
      status: 'False',
      reason: 'Failing',
      message:
        `${capitalized(counted)} of event stream ${id}${allowed}${last}. ` +
        `Auth0 gives up on an event after 4 attempts: fix the destination, then redeliver the failed events (${redeliver}).`,
    };
  }
  if (reading.status !== 'enabled') {
    return { status: 'True', reason: 'Disabled', message: `Event stream ${id} is disabled, as spec.status says: Auth0 sends it no events.` };
  }
  const within = failures.count === 0 ? counted : `${counted} (at most ${maxFailures} allowed)`;
  return { status: 'True', reason: 'Delivering', message: `Auth0 reports event stream ${id} enabled, with ${within}.` };
}

function failureCondition(failure: ReadingFailure, subject: HealthSubject): HealthCondition {
  const { domain, credentials } = subject;
  const said = failure.detail !== undefined && failure.detail !== '' ? ` (${failure.detail})` : failure.status !== undefined ? ` (${failure.status})` : '';
  const endpoint = failure.endpoint ?? 'the Management API';
  const again = ` Composition goes on; Auth0 is asked again in ${durationText(subject.intervalSeconds)}.`;
  const tokenRequest = failure.endpoint?.endsWith(' /oauth/token') ?? false;
  switch (failure.kind) {
    case 'credentials':
      return {
        status: 'Unknown',
        reason: 'Unauthorized',
        message: tokenRequest
          ? `Auth0 at ${domain} refused the client credentials of the step credentials ${JSON.stringify(credentials)}${said}: check client_id and client_secret, and that the application is a machine-to-machine application of this tenant.${again}`
          : `Auth0 at ${domain} rejected the access token for ${endpoint}${said}: check that domain in the step credentials ${JSON.stringify(credentials)} is the tenant the application belongs to.${again}`,
      };
    case 'forbidden': {
      if (tokenRequest) {
        return {
          status: 'Unknown',
          reason: 'Forbidden',
          message: `Auth0 at ${domain} will not issue a Management API token to the application of the step credentials ${JSON.stringify(credentials)}${said}: authorize it for the Auth0 Management API with the scopes ${SCOPES} (${GRANT_PATH}).${again}`,
        };
      }
      // The stream is read first and its deliveries only when that worked, so a refused deliveries query
      // means read:event_streams is granted and read:event_deliveries is not.
      const missing = failure.endpoint?.endsWith('/deliveries') ? 'read:event_deliveries' : 'read:event_streams';
      return {
        status: 'Unknown',
        reason: 'Forbidden',
        message: `Auth0 at ${domain} refused ${endpoint}${said}: the application of the step credentials ${JSON.stringify(credentials)} lacks the scope ${missing}. Grant it ${SCOPES} (${GRANT_PATH}).${again}`,
      };
    }
    case 'unreachable':
      return {
        status: 'Unknown',
        reason: 'Auth0Unreachable',
        message: `Cannot reach Auth0 at ${domain}${said}: check domain in the step credentials ${JSON.stringify(credentials)}, and that the function's pods can reach it.${again}`,
      };
    case 'timeout':
      return { status: 'Unknown', reason: 'Auth0Unreachable', message: `Auth0 at ${domain} did not answer ${endpoint} in time.${again}` };
    case 'certificate':
      return {
        status: 'Unknown',
        reason: 'Auth0Unreachable',
        message: `Cannot verify the TLS certificate of ${domain}${said}: if a proxy or a private CA signs it, give the function's container that CA's PEM file in NODE_EXTRA_CA_CERTS.${again}`,
      };
    case 'rate-limited':
      return { status: 'Unknown', reason: 'RateLimited', message: `Auth0 at ${domain} rate-limited ${endpoint}${said}.${again}` };
    default:
      return { status: 'Unknown', reason: 'Auth0Error', message: `Auth0 at ${domain} answered ${endpoint}${said}.${again}` };
  }
}

/** No stream id yet: nothing is asked of Auth0. */
export function notCreatedCondition(): HealthCondition {
  return {
    status: 'Unknown',
    reason: 'StreamNotCreated',
    message: 'The Workspace has not reported the Auth0 event stream id yet; delivery health is read from Auth0 once it has.',
  };
}

/** The function itself failed while reading; the resources are composed all the same. */
export function internalErrorCondition(what: string): HealthCondition {
  return {
    status: 'Unknown',
    reason: 'InternalError',
    message: `auth0-eventstream-fn could not read the delivery health (${what}); the resources are composed all the same. Please report it with the function logs.`,
  };
}

/** The first reading has not come back within the time a call may wait for it. */
export function checkingCondition(domain: string, waitedSeconds: number): HealthCondition {
  return {
    status: 'Unknown',
    reason: 'Checking',
    message: `Asked Auth0 at ${domain} for the stream's status and failed deliveries; no answer within ${waitedSeconds} s. Composition goes on, and a later reconcile reports the answer.`,
  };
}

export type CredentialProblem = { readonly kind: 'missing' } | { readonly kind: 'keys'; readonly missing: readonly string[] } | { readonly kind: 'domain' };

/** The step credentials the input names are absent or unusable: nothing is asked of Auth0. */
export function credentialsCondition(name: string, problem: CredentialProblem): HealthCondition {
  const quoted = JSON.stringify(name);
  switch (problem.kind) {
    case 'missing':
      return {
        status: 'Unknown',
        reason: 'CredentialsMissing',
        message:
          `spec.deliveryHealth.credentials names the pipeline step credentials ${quoted}, which this step does not have: add them to the Composition step ` +
          `(credentials: [{name: ${name}, source: Secret, secretRef: {namespace: …, name: …}}]), a Secret with the keys domain, client_id and client_secret.`,
      };
    case 'keys':
      return {
        status: 'Unknown',
        reason: 'CredentialsInvalid',
        message: `The step credentials ${quoted} have no ${problem.missing.join(', ')}: the Secret needs the keys domain, client_id and client_secret of a machine-to-machine application.`,
      };
    case 'domain':
      return {
        status: 'Unknown',
        reason: 'CredentialsInvalid',
        message: `The domain in the step credentials ${quoted} is not a host name: write it as tenant.eu.auth0.com (a custom domain, or host:port, also works), without a path.`,
      };
  }
}

const UNITS: readonly (readonly [seconds: number, text: string, flag: string])[] = [
  [86400, 'd', 'd'],
  [3600, 'h', 'h'],
  [60, 'min', 'm'],
];

/** 3600 → `1 h`, 90 → `90 s`. */
export function durationText(seconds: number): string {
  const [size, text] = UNITS.find(([unit]) => seconds % unit === 0) ?? [1, 's'];
  return `${seconds / size} ${text}`;
}

/** The same span as `redeliver --since` takes it: 7d, 1h, 30m, 90s. */
function sinceFlag(seconds: number): string {
  const [size, , flag] = UNITS.find(([unit]) => seconds % unit === 0) ?? [1, 's', 's'];
  return `${seconds / size}${flag}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
