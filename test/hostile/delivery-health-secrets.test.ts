/**
 * Text from Auth0 may echo what it was sent: the client secret (in the token request) and the access tokens.
 * Whatever Auth0 answers — an error, a delivery's error message, an event type, a time, a stream status — and
 * in whichever form it echoes the secret (as sent, JSON-escaped, URL- or form-encoded), the DeliveryHealthy
 * condition, the whole response and the monitor's logs never hold it. In-process, with the real composer and
 * monitor and a tenant client of the test's own.
 */
import fc from 'fast-check';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { withDeliveryHealth } from '../../src/crossplane/delivery-health.js';
import { DeliveryHealthMonitor, type Connect } from '../../src/crossplane/delivery-health-monitor.js';
import { jsonLogger } from '../../src/crossplane/logger.js';
import { expandStream, readConfig } from '../../src/core/index.js';
import type { TenantClient } from '../../src/tenant/client.js';
import { TenantError } from '../../src/tenant/errors.js';
import { observed, readyCondition, webhookXr } from '../support/xr.js';
import { secretValue, SEED } from './arbitraries.js';
import { recordCount } from './summary.js';

const RUNS = 1000;
const ID = 'est_Crm7Hook2Bearer9User4x';
const CLIENT_SECRET = 'cs-fixed-client-secret-0123456789abcdef';
const TOKEN = 'eyJfixed.access.token-0123456789abcdef';

type Placement = 'token-error' | 'api-error' | 'delivery-error' | 'event-type' | 'attempt-time' | 'stream-status';
type Form = 'as-sent' | 'json' | 'url' | 'form';

const FORMS: Readonly<Record<Form, (secret: string) => string>> = {
  'as-sent': (secret) => secret,
  json: (secret) => JSON.stringify(secret).slice(1, -1),
  url: (secret) => encodeURIComponent(secret),
  form: (secret) => new URLSearchParams({ v: secret }).toString().slice(2),
};

const input = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { deliveryHealth: { credentials: 'auth0' } } };
const xr = webhookXr();
const workspace = expandStream(xr, readConfig(input).config).resources.find((resource) => resource.role === 'workspace')!.object;

function request(clientSecret: string): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'secrets' },
    observed: {
      composite: { resource: xr },
      resources: { workspace: observed(workspace as unknown as Record<string, unknown>, { atProvider: { outputs: { id: ID } }, conditions: [readyCondition] }) },
    },
    input,
    credentials: {
      auth0: {
        credentialData: { data: { domain: Buffer.from('acme.eu.auth0.com'), client_id: Buffer.from('ReaderClientId0123456789abcdef'), client_secret: Buffer.from(clientSecret) } },
      },
    },
  });
}

/** A tenant that learns the token (as the transport does when the SDK sends it) and answers with `text` in `placement`. */
function echoing(token: string, placement: Placement, text: string): Connect {
  return async (_credentials, options) => {
    options.onSecret?.(token);
    const refuse = (): never => {
      throw new Error('never called');
    };
    const client: TenantClient = {
      domain: 'acme.eu.auth0.com',
      listStreams: refuse,
      sendTestEvent: refuse,
      redeliver: refuse,
      redeliverEvent: refuse,
      getStream: async (id) => {
        if (placement === 'token-error') throw new TenantError('credentials', 'refused', 401, { endpoint: 'POST /oauth/token', detail: text });
        if (placement === 'api-error') throw new Error('wrapped', { cause: new TenantError('api', 'failed', 500, { endpoint: `GET /api/v2/event-streams/${id}`, detail: text }) });
        return { id, name: 'crm-user-sync', status: placement === 'stream-status' ? text : 'enabled', subscriptions: [], destination: { type: 'other', name: 'x' } };
      },
      listFailedDeliveries: async () => ({
        truncated: false,
        deliveries: [
          {
            id: 'dlv_1',
            attempts: 4,
            eventType: placement === 'event-type' ? text : 'user.created',
            lastAttemptAt: placement === 'attempt-time' ? text : '2026-02-03T11:50:00.000Z',
            lastError: placement === 'delivery-error' ? text : 'Request failed with status code 503',
          },
        ],
      }),
    };
    return client;
  };
}

describe('secrets Auth0 echoes', () => {
  it('never reach the condition, the response or the logs', async () => {
    let cases = 0;
    const reasons = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        secretValue,
        fc.constantFrom<'client-secret' | 'token'>('client-secret', 'token'),
        fc.constantFrom<Placement>('token-error', 'api-error', 'delivery-error', 'event-type', 'attempt-time', 'stream-status'),
        fc.constantFrom<Form>('as-sent', 'json', 'url', 'form'),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 400 }),
        async (secret, which, placement, form, before, after) => {
          cases += 1;
          const clientSecret = which === 'client-secret' ? secret : CLIENT_SECRET;
          const token = which === 'token' ? secret : TOKEN;
          const logs: string[] = [];
          const monitor = new DeliveryHealthMonitor({
            connect: echoing(token, placement, `${before}${FORMS[form](secret)}${after}`),
            logger: jsonLogger(true, (line) => logs.push(line)),
          });
          const response = await withDeliveryHealth((received) => runFunction(received), monitor)(request(clientSecret));
          const condition = response.conditions.find((entry) => entry.type === 'DeliveryHealthy');
          expect(condition).toBeDefined();
          reasons.add(condition!.reason);
          const texts = [condition!.message ?? '', JSON.stringify(RunFunctionResponse.toJSON(response)), ...logs];
          for (const text of texts) {
            for (const leaked of [secret, ...Object.values(FORMS).map((encode) => encode(secret))]) expect(text.includes(leaked)).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect([...reasons].sort()).toStrictEqual(['Auth0Error', 'AutoDisabled', 'Failing', 'Unauthorized']);
    recordCount('property cases: secret leaks (delivery health condition)', cases);
  });
});
