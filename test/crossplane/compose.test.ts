/**
 * The Crossplane behaviour through the real server process and a real gRPC client: the phases of an
 * EventBridge stream, validation and immutability failures, secrets, and malformed requests.
 */
import { Ready, RunFunctionRequest, Severity, Status, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import { call, functionClient, sharedServer, startServer, type RequestInit } from '../support/grpc.js';
import { creatingCondition, eventbridgeXr, observed, PARTNER_SOURCE, readyCondition, webhookXr } from '../support/xr.js';

const input = {
  apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
  kind: 'ExpansionConfig',
  spec: {
    routes: [{ name: 'new-users', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' }] }],
  },
};
const workspaceOutputs = {
  id: 'est_jmj7QpymGFqmysiCpWAcZe',
  name: 'tenant-events',
  status: 'enabled',
  destination_type: 'eventbridge',
  subscriptions: ['user.created', 'user.deleted', 'user.updated'],
  created_at: '2026-01-16T08:50:33.955Z',
  updated_at: '2026-01-16T08:50:33.955Z',
  aws_partner_event_source: PARTNER_SOURCE,
};

const shared = sharedServer(['--insecure', '--debug']);

/** What the core generates for the XR, by role: the desired resources must be exactly these objects. */
function generated(xr: Record<string, unknown>, observedWorkspace?: Record<string, unknown>): Record<string, unknown> {
  const expansion = expandStream(xr, readConfig(input).config, observedWorkspace ? { previousWorkspace: observedWorkspace as never } : {});
  return Object.fromEntries(expansion.resources.map((resource) => [resource.role, resource.object]));
}

function request(xr: Record<string, unknown>, resources: Record<string, unknown> = {}, extra: RequestInit = {}): RequestInit {
  return { observed: { composite: { resource: xr }, resources: resources as never }, input, ...extra };
}

function desiredObjects(response: RunFunctionResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.desired?.resources ?? {}).map(([name, resource]) => [name, resource.resource]));
}

function readiness(response: RunFunctionResponse): Record<string, Ready> {
  return Object.fromEntries(Object.entries(response.desired?.resources ?? {}).map(([name, resource]) => [name, resource.ready]));
}

function conditions(response: RunFunctionResponse): Array<[string, Status, string]> {
  return response.conditions.map((condition) => [condition.type, condition.status, condition.reason]);
}

describe('an eventbridge stream, phase by phase', () => {
  const xr = eventbridgeXr();

  it('phase 1: only the Workspace, the XR not ready, waiting for the partner event source', async () => {
    const response = await call(shared.client, request(xr));
    expect(desiredObjects(response)).toStrictEqual({ workspace: generated(xr).workspace });
    expect(readiness(response)).toStrictEqual({ workspace: Ready.READY_FALSE });
    expect(response.desired?.composite?.resource).toStrictEqual({ status: { outputs: {} } });
    expect(response.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    expect(conditions(response)).toStrictEqual([
      ['Valid', Status.STATUS_CONDITION_TRUE, 'ValidSpec'],
      ['StreamCreated', Status.STATUS_CONDITION_FALSE, 'Creating'],
      ['EventBridgeReady', Status.STATUS_CONDITION_FALSE, 'WaitingForPartnerEventSource'],
    ]);
    expect(response.results.map((result) => [result.severity, result.reason])).toStrictEqual([[Severity.SEVERITY_NORMAL, 'WaitingForPartnerEventSource']]);
    expect(response.results[0]!.message, 'speaks Crossplane, not kpt').toMatch(/composed on a later reconcile/);
    expect(response.results[0]!.message).not.toMatch(/run the function again|copy .* into/);
    expect(response.meta?.ttl).toStrictEqual({ seconds: 20, nanos: 0 });
    expect(response.meta?.tag).toMatch(/^[0-9a-f]{64}$/);
  });

  it('phase 2: the partner source is observed in the Workspace outputs → bus, rules and targets, status.outputs', async () => {
    const workspace = observed(generated(xr).workspace as Record<string, unknown>, { atProvider: { outputs: workspaceOutputs }, conditions: [readyCondition] });
    const response = await call(shared.client, request(xr, { workspace }));
    const want = generated(xr, workspace.resource);
    expect(Object.keys(want)).toStrictEqual(['workspace', 'bus', 'rule', 'route-new-users', 'route-new-users-target-0', 'permission-new-users-0']);
    expect(desiredObjects(response)).toStrictEqual(want);
    expect(readiness(response)).toStrictEqual({
      workspace: Ready.READY_TRUE,
      bus: Ready.READY_FALSE,
      rule: Ready.READY_FALSE,
      'route-new-users': Ready.READY_FALSE,
      'route-new-users-target-0': Ready.READY_FALSE,
      'permission-new-users-0': Ready.READY_FALSE,
    });
    expect(response.desired?.composite?.resource).toStrictEqual({ status: { outputs: workspaceOutputs } });
    expect(response.desired?.composite?.ready).toBe(Ready.READY_UNSPECIFIED);
    expect(conditions(response)).toStrictEqual([
      ['Valid', Status.STATUS_CONDITION_TRUE, 'ValidSpec'],
      ['StreamCreated', Status.STATUS_CONDITION_TRUE, 'Created'],
      ['EventBridgeReady', Status.STATUS_CONDITION_FALSE, 'Creating'],
    ]);
    const bus = want['bus'] as { metadata: { annotations: Record<string, string> }; spec: { forProvider: Record<string, unknown> } };
    expect(bus.metadata.annotations['crossplane.io/external-name']).toBe(PARTNER_SOURCE);
    expect(bus.spec.forProvider['eventSourceName']).toBe(PARTNER_SOURCE);
    expect(response.meta?.ttl).toStrictEqual({ seconds: 60, nanos: 0 });
  });

  it('phase 3: everything observed ready → every composed resource READY_TRUE, EventBridgeReady', async () => {
    const workspace = observed(generated(xr).workspace as Record<string, unknown>, { atProvider: { outputs: workspaceOutputs }, conditions: [readyCondition] });
    const all = generated(xr, workspace.resource);
    const resources = Object.fromEntries(
      Object.entries(all).map(([role, object]) => [role, role === 'workspace' ? workspace : observed(object as Record<string, unknown>, { conditions: [readyCondition] })]),
    );
    const response = await call(shared.client, request(xr, resources));
    expect(Object.values(readiness(response))).toStrictEqual(Object.keys(all).map(() => Ready.READY_TRUE));
    expect(conditions(response)).toContainEqual(['EventBridgeReady', Status.STATUS_CONDITION_TRUE, 'BusAssociated']);
    for (const object of Object.values(desiredObjects(response)) as Array<Record<string, Record<string, unknown>>>) {
      expect(object['status'], 'observed status is never copied into desired').toBeUndefined();
      expect(object['metadata']!['resourceVersion']).toBeUndefined();
      expect(object['metadata']!['managedFields']).toBeUndefined();
    }
  });

  it('a not-yet-ready observed resource stays READY_FALSE', async () => {
    const workspace = observed(generated(xr).workspace as Record<string, unknown>, { conditions: [creatingCondition] });
    const response = await call(shared.client, request(xr, { workspace }));
    expect(readiness(response)).toStrictEqual({ workspace: Ready.READY_FALSE });
  });
});

describe('the response cache', () => {
  it('answers a request whose tag it has seen with the response it gave, as the tag promises an identical request', async () => {
    const first = await call(shared.client, { ...request(webhookXr()), meta: { tag: 'same-tag', capabilities: [] } });
    const second = await call(shared.client, { ...request(eventbridgeXr()), meta: { tag: 'same-tag', capabilities: [] } });
    expect(second).toStrictEqual(first);
    expect(Object.keys(second.desired?.resources ?? {})).toStrictEqual(['workspace']);
  });

  it('does not cache untagged requests', async () => {
    const server = await startServer(['--insecure']);
    const untagged = functionClient(server.port);
    const run = (xr: Record<string, unknown>) =>
      new Promise<RunFunctionResponse>((resolve, reject) =>
        untagged.runFunction(RunFunctionRequest.fromPartial({ observed: { composite: { resource: xr } } }), {}, (error, response) => (error ? reject(error) : resolve(response!))),
      );
    const webhookSecret = (
      await run(
        webhookXr({
          spec: {
            ...(webhookXr()['spec'] as object),
            webhook_configuration: { webhook_endpoint: 'https://a.example.com', webhook_authorization: { method: 'bearer', token: 'x' } },
          },
        }),
      )
    ).desired?.resources;
    const eventbridge = (await run(eventbridgeXr())).desired?.resources;
    expect(Object.keys(webhookSecret ?? {})).toStrictEqual(['workspace', 'credentials']);
    expect(Object.keys(eventbridge ?? {})).toStrictEqual(['workspace']);
    untagged.close();
    await server.stop();
  });
});

describe('failures are fatal and change nothing', () => {
  const earlier = { resources: { 'from-an-earlier-step': { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } } } };

  it('an invalid spec → one fatal result naming every error with its field path, desired as received', async () => {
    const xr = eventbridgeXr({
      spec: { destination_type: 'eventbridge', subscriptions: ['user.blocked'], eventbridge_configuration: { aws_account_id: '1234', aws_region: 'eu-west-1' } },
    });
    const response = await call(shared.client, request(xr, {}, { desired: earlier }));
    expect(response.results).toHaveLength(1);
    expect(response.results[0]).toMatchObject({ severity: Severity.SEVERITY_FATAL, reason: 'InvalidFormat', target: 1 });
    expect(response.results[0]!.message).toContain('spec.eventbridge_configuration.aws_account_id');
    expect(response.results[0]!.message).toContain('spec.subscriptions[0]');
    expect(desiredObjects(response)).toStrictEqual({ 'from-an-earlier-step': earlier.resources['from-an-earlier-step'].resource });
  });

  it('a changed aws_region on an existing stream → fatal, delete and recreate', async () => {
    const xr = eventbridgeXr();
    const workspace = observed(generated(xr).workspace as Record<string, unknown>, { atProvider: { outputs: workspaceOutputs }, conditions: [readyCondition] });
    const moved = eventbridgeXr({ spec: { ...(xr['spec'] as object), eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'us-east-1' } } });
    const response = await call(shared.client, request(moved, { workspace }));
    expect(response.results.map((result) => [result.severity, result.reason])).toStrictEqual([[Severity.SEVERITY_FATAL, 'ImmutableField']]);
    expect(response.results[0]!.message).toMatch(
      /spec\.eventbridge_configuration\.aws_region cannot change from "eu-west-1" to "us-east-1".*Delete the Auth0EventStream and create it again/,
    );
    expect(response.desired?.resources).toStrictEqual({});
  });

  it.each([
    ['no observed composite', {}, 'MissingComposite'],
    ['a spec that is a string', { observed: { composite: { resource: { ...webhookXr(), spec: 'oops' } } } }, 'InvalidSpec'],
    ['an input of an unknown kind', { observed: { composite: { resource: webhookXr() } }, input: { apiVersion: 'example.org/v1', kind: 'Other' } }, 'InvalidInput'],
    ['an input with a wrong field', { observed: { composite: { resource: webhookXr() } }, input: { ...input, spec: { scope: 'Galaxy' } } }, 'InvalidInput'],
  ])('%s → fatal %s', async (_name, malformed, reason) => {
    const response = await call(shared.client, malformed);
    expect(response.results.map((result) => [result.severity, result.reason])).toStrictEqual([[Severity.SEVERITY_FATAL, reason]]);
  });

  it('an invalid input and an invalid spec are reported together, in one fatal result', async () => {
    const xr = webhookXr({
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.blocked'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'h', key: 'token' } } },
      },
    });
    const response = await call(shared.client, { observed: { composite: { resource: xr } }, input: { ...input, spec: { scope: 'Galaxy' } } });
    expect(response.results.map((result) => [result.severity, result.reason])).toStrictEqual([[Severity.SEVERITY_FATAL, 'InvalidInput']]);
    expect(response.results[0]!.message).toMatch(/spec\.scope is "Galaxy".*The Auth0EventStream is invalid too: .*spec\.subscriptions\[0\].*user\.blocked/);
  });
});

describe('secrets', () => {
  const token = 'tok-3f9c2a7e-very-secret';

  it('an inline token reaches the desired state only inside the credentials Secret, with a warning naming the field', async () => {
    const xr = webhookXr({
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.created'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer', token } },
      },
    });
    const response = await call(shared.client, request(xr));
    const secret = response.desired?.resources['credentials']?.resource as { kind: string; stringData: Record<string, string> };
    expect(secret.kind).toBe('Secret');
    expect(secret.stringData).toStrictEqual({ token });
    const { credentials: _secret, ...others } = response.desired!.resources;
    expect(JSON.stringify({ ...response, desired: { ...response.desired, resources: others } })).not.toContain(token);
    expect(response.results.map((result) => [result.severity, result.reason])).toContainEqual([Severity.SEVERITY_WARNING, 'InlineCredential']);
    expect(shared.server.stderr()).not.toContain(token);
  });

  it('a token from the pipeline step credentials goes into the Secret, and nowhere else', async () => {
    const xr = webhookXr({
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.created'],
        webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer' } },
      },
    });
    const response = await call(
      shared.client,
      request(
        xr,
        {},
        {
          input: { ...input, spec: { ...input.spec, webhookCredentials: 'webhook' } },
          credentials: { webhook: { credentialData: { data: { token: Buffer.from(token) } } } },
        },
      ),
    );
    expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
    expect((response.desired?.resources['credentials']?.resource as { stringData: unknown }).stringData).toStrictEqual({ token });
    const workspace = JSON.stringify(response.desired?.resources['workspace']);
    expect(workspace).not.toContain(token);
    expect(workspace).toContain('TF_VAR_webhook_token');
    expect(shared.server.stderr()).not.toContain(token);
  });
});
