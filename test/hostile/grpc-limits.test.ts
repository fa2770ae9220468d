/**
 * The real `serve` process with inputs that are large or expensive but within the 4 MiB request limit: a
 * 150,000-item subscriptions list, wildcards with thousands of stars, hundreds of errors at once. Each gets the
 * normal validation answer, the answer stays small, and the server keeps serving (health check and other calls).
 * Many different requests of nearly 4 MiB leave a server with a small heap as it was: nothing it remembers
 * between calls grows with the size of the requests.
 */
import { RunFunctionRequest, RunFunctionResponse, Severity, Status } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { call, functionClient, sharedServer, startServer, type RequestInit } from '../support/grpc.js';
import { checkHealth } from '../support/health-client.js';
import { webhookXr } from '../support/xr.js';

const SERVING = 1;
const shared = sharedServer(['--insecure']);

function xrWithSubscriptions(subscriptions: string[]): Record<string, unknown> {
  const xr = webhookXr();
  return { ...xr, spec: { ...(xr['spec'] as Record<string, unknown>), subscriptions } };
}

function encodedSize(response: RunFunctionResponse): number {
  return RunFunctionResponse.encode(response).finish().length;
}

describe('large and expensive requests under the 4 MiB limit', () => {
  it('150,000 subscriptions get the too-many-items error, and the server keeps serving', async () => {
    const subscriptions = Array.from({ length: 150_000 }, (_, i) => `user.created${i}`);
    const request = { observed: { composite: { resource: xrWithSubscriptions(subscriptions) as never } } };
    const size = RunFunctionRequest.encode(RunFunctionRequest.fromPartial(request)).finish().length;
    expect(size).toBeGreaterThan(2_000_000);
    expect(size).toBeLessThan(4 * 1024 * 1024);
    const response = await call(shared.client, request, 60_000);
    const [fatal] = response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL);
    expect(fatal?.reason).toBe('TooManyItems');
    expect(fatal?.message).toMatch(/spec\.subscriptions allows at most 256 items/);
    expect(encodedSize(response)).toBeLessThan(16 * 1024);
    expect(await checkHealth(shared.server.port)).toBe(SERVING);
  });

  it('wildcards with thousands of stars are answered, and so is the next call', async () => {
    const response = await call(shared.client, { observed: { composite: { resource: xrWithSubscriptions([`${'*'.repeat(10_000)}x`, '****************x']) } } });
    expect(response.results.find((result) => result.severity === Severity.SEVERITY_FATAL)?.message).toMatch(/"\*{16}x" matches no Auth0 event type/);
    const next = await call(shared.client, { observed: { composite: { resource: webhookXr() } } });
    expect(Object.keys(next.desired?.resources ?? {})).toContain('workspace');
  });

  it('hundreds of errors give a fatal result and a Valid condition of bounded size that say how many more there are', async () => {
    const subscriptions = Array.from({ length: 256 }, (_, i) => `not.an.event.type.${'x'.repeat(100)}.${i}`);
    const response = await call(shared.client, { observed: { composite: { resource: xrWithSubscriptions(subscriptions) } } });
    const fatal = response.results.find((result) => result.severity === Severity.SEVERITY_FATAL)!;
    expect(fatal.message).toMatch(/; and 246 more error\(s\)$/);
    const valid = response.conditions.find((condition) => condition.type === 'Valid')!;
    expect(valid.status).toBe(Status.STATUS_CONDITION_FALSE);
    expect(valid.message).toMatch(/; and 253 more error\(s\)$/);
    expect(encodedSize(response)).toBeLessThan(8 * 1024);
  });
});

describe('many different requests of nearly 4 MiB', () => {
  it('are each answered by a server with a 128 MiB heap, whose memos keep no more than a bounded size', async () => {
    const server = await startServer(['--insecure'], { ...process.env, NODE_OPTIONS: '--max-old-space-size=128' });
    const client = functionClient(server.port);
    try {
      const big = (i: number, char: string) => `${char.repeat(3_800_000)}${i}`;
      const observedWorkspace = (module: string) => ({
        workspace: { resource: { apiVersion: 'tf.m.upbound.io/v1beta1', kind: 'Workspace', metadata: { name: 'crm-user-sync-auth0-stream' }, spec: { forProvider: { module } } } },
      });
      // A wildcard, a step input and an observed Workspace's module: each is an argument the server memoizes.
      const requests = [
        (i: number): RequestInit => ({ observed: { composite: { resource: xrWithSubscriptions([big(i, '*')]) } } }),
        (i: number): RequestInit => ({
          observed: { composite: { resource: webhookXr() } },
          input: {
            apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
            kind: 'ExpansionConfig',
            spec: { routes: [{ name: 'r', description: big(i, 'd'), eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] },
          },
        }),
        (i: number): RequestInit => ({
          observed: { composite: { resource: webhookXr({ status: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe' } } }) }, resources: observedWorkspace(big(i, 'm')) },
        }),
      ];
      for (let i = 0; i < 45; i++) {
        const response = await call(client, requests[i % requests.length]!(i), 60_000);
        expect(response.results.length + Object.keys(response.desired?.resources ?? {}).length).toBeGreaterThan(0);
      }
      expect(await checkHealth(server.port)).toBe(SERVING);
    } finally {
      client.close();
      expect(await server.stop()).toBe(0);
    }
  });
});
