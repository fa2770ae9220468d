/**
 * The hook between the composer and the monitor, in-process: what it leaves alone, the TTL and cache expiry it
 * gives a response for each kind of observation, and that nothing going wrong in it stops composition.
 */
import { RunFunctionRequest, Severity, Status, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { responseExpiry, withDeliveryHealth, type HealthReader } from '../../src/crossplane/delivery-health.js';
import type { Observation, ReadingRequest } from '../../src/crossplane/delivery-health-monitor.js';
import { expandStream, readConfig } from '../../src/core/index.js';
import { observed, readyCondition, webhookXr } from '../support/xr.js';

const NOW = Date.parse('2026-02-03T12:00:00.000Z');
const ID = 'est_Crm7Hook2Bearer9User4x';
const withHealth = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { deliveryHealth: { credentials: 'auth0', intervalSeconds: 600 } } };

function request(options: { input?: unknown; id?: string; spec?: Record<string, unknown> } = {}): RunFunctionRequest {
  const input = options.input ?? withHealth;
  const xr = webhookXr(options.spec ? { spec: options.spec } : {});
  const workspace = expandStream(xr, readConfig(input).config).resources.find((resource) => resource.role === 'workspace')?.object;
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'hook' },
    observed: {
      composite: { resource: xr },
      resources:
        options.id && workspace
          ? { workspace: observed(workspace as unknown as Record<string, unknown>, { atProvider: { outputs: { id: options.id } }, conditions: [readyCondition] }) }
          : {},
    },
    input: input as Record<string, unknown>,
    credentials: {
      auth0: { credentialData: { data: { domain: Buffer.from('acme.eu.auth0.com'), client_id: Buffer.from('client'), client_secret: Buffer.from('cs-hook-test-secret-0123') } } },
    },
  });
}

/** A reader that answers with `observation` (or throws it) and remembers what it was asked. */
function reader(observation: Observation | Error): HealthReader & { asked: ReadingRequest[] } {
  const asked: ReadingRequest[] = [];
  return {
    asked,
    firstReadingWaitSeconds: 3,
    observe: async (reading) => {
      asked.push(reading);
      if (observation instanceof Error) throw observation;
      return observation;
    },
  };
}

const delivering: Observation = { fresh: true, expiresAt: NOW + 10_500, reading: { kind: 'stream', status: 'enabled', failures: { count: 0, truncated: false } } };
const health = (response: RunFunctionResponse) => response.conditions.find((condition) => condition.type === 'DeliveryHealthy');

describe('what the hook leaves alone', () => {
  it("a step input without deliveryHealth: the composer's own response object, nothing asked", async () => {
    let composed: RunFunctionResponse | undefined;
    const monitor = reader(delivering);
    const plain = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { webhookCredentials: 'auth0' } };
    const handler = withDeliveryHealth((received) => (composed = runFunction(received)), monitor, { now: () => NOW });
    const response = await handler(request({ input: plain, id: ID }));
    expect(response).toBe(composed);
    expect(monitor.asked).toStrictEqual([]);
    expect(responseExpiry(response)).toBeUndefined();
  });

  it('a fatal response: nothing added, nothing asked', async () => {
    const monitor = reader(delivering);
    const response = await withDeliveryHealth(runFunction, monitor)(request({ spec: { destination_type: 'kafka', subscriptions: ['user.created'] }, id: ID }));
    expect(response.results.some((result) => result.severity === Severity.SEVERITY_FATAL)).toBe(true);
    expect(health(response)).toBeUndefined();
    expect(monitor.asked).toStrictEqual([]);
  });
});

describe('TTL and cache expiry', () => {
  it('a fresh reading: Crossplane comes back just after it expires, and the response is cached until then', async () => {
    const monitor = reader(delivering);
    const response = await withDeliveryHealth(runFunction, monitor, { now: () => NOW })(request({ id: ID }));
    expect(health(response)).toMatchObject({ status: Status.STATUS_CONDITION_TRUE, reason: 'Delivering' });
    expect(response.meta?.ttl).toStrictEqual({ seconds: 12, nanos: 0 });
    expect(responseExpiry(response)).toBe(NOW + 10_500);
    expect(monitor.asked).toStrictEqual([
      {
        credentials: { domain: 'acme.eu.auth0.com', clientId: 'client', clientSecret: 'cs-hook-test-secret-0123' },
        streamId: ID,
        intervalSeconds: 600,
        windowSeconds: 3600,
        maxFailures: 0,
      },
    ]);
  });

  it('a reading that expires later than the default TTL keeps the default TTL', async () => {
    const response = await withDeliveryHealth(runFunction, reader({ ...delivering, expiresAt: NOW + 600_000 }), { now: () => NOW })(request({ id: ID }));
    expect(response.meta?.ttl).toStrictEqual({ seconds: 60, nanos: 0 });
  });

  it('a reading on its way: Crossplane comes back soon, and the response is not cached', async () => {
    const response = await withDeliveryHealth(runFunction, reader({ fresh: false, expiresAt: NOW - 1 }), { now: () => NOW })(request({ id: ID }));
    expect(health(response)).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'Checking' });
    expect(response.meta?.ttl).toStrictEqual({ seconds: 5, nanos: 0 });
    expect(responseExpiry(response)).toBe(NOW);
  });

  it('no stream id yet: the answer depends on the request only, and is cached as any other', async () => {
    const monitor = reader(delivering);
    const response = await withDeliveryHealth(runFunction, monitor, { now: () => NOW })(request());
    expect(health(response)).toMatchObject({ reason: 'StreamNotCreated' });
    expect(responseExpiry(response)).toBeUndefined();
    expect(monitor.asked).toStrictEqual([]);
  });
});

it('a failure inside the monitor: the resources are composed, the condition says so, and the response is not cached', async () => {
  const response = await withDeliveryHealth(runFunction, reader(new TypeError('boom')), { now: () => NOW })(request({ id: ID }));
  expect(Object.keys(response.desired?.resources ?? {})).toStrictEqual(['workspace']);
  expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
  expect(health(response)).toMatchObject({ status: Status.STATUS_CONDITION_UNKNOWN, reason: 'InternalError' });
  expect(responseExpiry(response)).toBe(NOW);
});
