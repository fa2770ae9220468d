/**
 * What only the real server process adds to runFunction (whose behaviour test/crossplane/run-function.test.ts
 * covers in process): requests and responses through gRPC encoding, the response cache by request tag, and
 * debug logs that never hold a secret.
 */
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { call, functionClient, sharedServer, startServer, type RequestInit } from '../support/grpc.js';
import { eventbridgeXr, observed, PARTNER_SOURCE, readyCondition, webhookXr } from '../support/xr.js';

const input = {
  apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
  kind: 'ExpansionConfig',
  spec: { routes: [{ name: 'new-users', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' }] }] },
};
const shared = sharedServer(['--insecure', '--debug']);

describe('through gRPC', () => {
  it('answers what runFunction answers in process, observed resources included', async () => {
    const first = runFunction(RunFunctionRequest.fromPartial({ meta: { tag: 'a' }, observed: { composite: { resource: eventbridgeXr() } }, input }));
    const workspace = observed(first.desired!.resources['workspace']!.resource as Record<string, unknown>, {
      atProvider: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe', aws_partner_event_source: PARTNER_SOURCE } },
      conditions: [readyCondition],
    });
    for (const request of [
      { meta: { tag: 'grpc-1', capabilities: [] }, observed: { composite: { resource: eventbridgeXr() }, resources: {} }, input },
      { meta: { tag: 'grpc-2', capabilities: [] }, observed: { composite: { resource: eventbridgeXr() }, resources: { workspace: workspace } }, input },
    ] satisfies RequestInit[]) {
      const overGrpc = await call(shared.client, request);
      expect(RunFunctionResponse.toJSON(overGrpc)).toStrictEqual(RunFunctionResponse.toJSON(runFunction(RunFunctionRequest.fromPartial(request))));
    }
  });
});

describe('the response cache', () => {
  it('answers a request whose tag it has answered twice with the response it gave, as the tag promises an identical request', async () => {
    const webhook = { meta: { tag: 'same-tag', capabilities: [] }, observed: { composite: { resource: webhookXr() } }, input };
    const first = await call(shared.client, webhook);
    expect(await call(shared.client, webhook)).toStrictEqual(first);
    const third = await call(shared.client, { meta: { tag: 'same-tag', capabilities: [] }, observed: { composite: { resource: eventbridgeXr() } }, input });
    expect(third).toStrictEqual(first);
    expect(Object.keys(third.desired?.resources ?? {})).toStrictEqual(['workspace']);
  });

  it('keeps nothing for a tag seen once', async () => {
    const first = await call(shared.client, { meta: { tag: 'seen-once', capabilities: [] }, observed: { composite: { resource: webhookXr() } }, input });
    const eventbridge = { meta: { tag: 'seen-once', capabilities: [] }, observed: { composite: { resource: eventbridgeXr() } }, input };
    const second = await call(shared.client, eventbridge);
    expect(second).not.toStrictEqual(first);
    expect(RunFunctionResponse.toJSON(second)).toStrictEqual(RunFunctionResponse.toJSON(runFunction(RunFunctionRequest.fromPartial(eventbridge))));
  });

  it('does not cache untagged requests', async () => {
    const server = await startServer(['--insecure']);
    const untagged = functionClient(server.port);
    const run = (xr: Record<string, unknown>) =>
      new Promise<RunFunctionResponse>((resolve, reject) =>
        untagged.runFunction(RunFunctionRequest.fromPartial({ observed: { composite: { resource: xr } } }), {}, (error, response) => (error ? reject(error) : resolve(response!))),
      );
    const inline = webhookXr({
      spec: { ...(webhookXr()['spec'] as object), webhook_configuration: { webhook_endpoint: 'https://a.example.com', webhook_authorization: { method: 'bearer', token: 'x' } } },
    });
    expect(Object.keys((await run(inline)).desired?.resources ?? {})).toStrictEqual(['workspace', 'credentials']);
    expect(Object.keys((await run(eventbridgeXr())).desired?.resources ?? {})).toStrictEqual(['workspace']);
    untagged.close();
    await server.stop();
  });
});

describe('debug logs', () => {
  it('never hold a secret the request carries, inline or as pipeline credentials', async () => {
    const token = 'tok-3f9c2a7e-very-secret';
    const inline = webhookXr({
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.created'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer', token } },
      },
    });
    const fromPipeline = webhookXr({
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.created'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer' } },
      },
    });
    await call(shared.client, { meta: { tag: 'secret-1', capabilities: [] }, observed: { composite: { resource: inline } }, input });
    await call(shared.client, {
      meta: { tag: 'secret-2', capabilities: [] },
      observed: { composite: { resource: fromPipeline } },
      input: { ...input, spec: { ...input.spec, webhookCredentials: 'webhook' } },
      credentials: { webhook: { credentialData: { data: { token: Buffer.from(token) } } } },
    });
    expect(shared.server.stderr()).toContain('RunFunction');
    expect(shared.server.stderr()).not.toContain(token);
  });
});
