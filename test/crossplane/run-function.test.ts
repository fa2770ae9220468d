/**
 * The Crossplane adapter in process, as function-sdk-go tests a function: one table of cases, each with a name,
 * the reason it exists, the request, and the whole response it must give (compared whole, not field by field).
 */
import { Ready, RunFunctionRequest, RunFunctionResponse, Severity, Status, Target, type Resource } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { expandStream, readConfig, type KubeObject } from '../../src/core/index.js';
import { runFunction } from '../../src/crossplane/compose.js';
import { creatingCondition, eventbridgeXr, observed, PARTNER_SOURCE, readyCondition, webhookXr } from '../support/xr.js';

interface Case {
  readonly name: string;
  readonly reason: string;
  readonly request: RunFunctionRequest;
  readonly want: RunFunctionResponse;
}

const TAG = 'tag-1';
const input = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: {} };
const routed = {
  ...input,
  spec: { routes: [{ name: 'new-users', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' }] }] },
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

function request(xr: Record<string, unknown>, options: { input?: unknown; observed?: Record<string, Omit<Resource, 'ready'>> } = {}): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: TAG },
    observed: { composite: { resource: xr }, resources: options.observed ?? {} },
    input: (options.input ?? input) as Record<string, unknown>,
  });
}

/** What the core generates for an XR, by role (the adapter must desire exactly these objects). */
function generated(
  xr: Record<string, unknown>,
  stepInput: unknown = input,
  previousWorkspace?: Record<string, unknown>,
  credentials?: Record<string, Record<string, string>>,
): Record<string, KubeObject> {
  const context = { ...(previousWorkspace === undefined ? {} : { previousWorkspace: previousWorkspace as unknown as KubeObject }), ...(credentials ? { credentials } : {}) };
  return Object.fromEntries(expandStream(xr, readConfig(stepInput).config, context).resources.map((resource) => [resource.role, resource.object]));
}

function desired(objects: Record<string, KubeObject>, ready: Record<string, Ready> = {}): Record<string, Resource> {
  return Object.fromEntries(Object.entries(objects).map(([role, resource]) => [role, { resource, connectionDetails: {}, ready: ready[role] ?? Ready.READY_FALSE }]));
}

function response(
  fields: Omit<Partial<RunFunctionResponse>, 'desired'> & { desired?: { composite?: Partial<Resource>; resources: Record<string, Resource> }; ttl?: number },
): RunFunctionResponse {
  const { ttl = 60, ...rest } = fields;
  return RunFunctionResponse.fromPartial({ meta: { tag: TAG, ttl: { seconds: ttl, nanos: 0 } }, desired: { resources: {} }, results: [], conditions: [], ...rest });
}

const composite = (outputs: Record<string, unknown> = {}, ready = Ready.READY_UNSPECIFIED) => ({ resource: { status: { outputs } }, connectionDetails: {}, ready });
const condition = (type: string, status: Status, reason: string, message?: string) => ({
  type,
  status,
  reason,
  ...(message === undefined ? {} : { message }),
  target: Target.TARGET_COMPOSITE,
});
const result = (severity: Severity, reason: string, message: string) => ({ severity, reason, message, target: Target.TARGET_COMPOSITE });
const VALID = condition('Valid', Status.STATUS_CONDITION_TRUE, 'ValidSpec');
const CREATING = condition('StreamCreated', Status.STATUS_CONDITION_FALSE, 'Creating', 'Waiting for the Workspace to create the Auth0 event stream.');

const eventbridge = eventbridgeXr();
const observedWorkspace = observed(generated(eventbridge, routed).workspace as unknown as Record<string, unknown>, {
  atProvider: { outputs: workspaceOutputs },
  conditions: [readyCondition],
});
const ADOPTED_ID = 'est_Crm7Hook2Bearer9User4x';
const adopting = webhookXr({ metadata: { ...(webhookXr()['metadata'] as object), annotations: { 'auth0.openmcf.org/adopt-stream-id': ADOPTED_ID } } });
const adoptingWorkspace = generated(adopting).workspace as unknown as Record<string, unknown>;
const importedWorkspace = observed(adoptingWorkspace, { atProvider: { outputs: { id: ADOPTED_ID, name: 'crm-user-sync' } }, conditions: [readyCondition] });
const otherStreamWorkspace = observed(adoptingWorkspace, { atProvider: { outputs: { id: 'est_Other0Stream1Id2abcdefg' } }, conditions: [readyCondition] });
const ADOPTION_PATH = 'metadata.annotations["auth0.openmcf.org/adopt-stream-id"]';
const allObserved = (() => {
  const all = generated(eventbridge, routed, observedWorkspace.resource);
  return Object.fromEntries(
    Object.entries(all).map(([role, object]) => [
      role,
      role === 'workspace' ? observedWorkspace : observed(object as unknown as Record<string, unknown>, { conditions: [readyCondition] }),
    ]),
  );
})();
const notReadyWorkspace = observed(generated(webhookXr()).workspace as unknown as Record<string, unknown>, { conditions: [creatingCondition] });
const invalidEventBridge = eventbridgeXr({
  spec: { destination_type: 'eventbridge', subscriptions: ['user.blocked'], eventbridge_configuration: { aws_account_id: '1234', aws_region: 'eu-west-1' } },
});
const movedRegion = eventbridgeXr({ spec: { ...(eventbridge['spec'] as object), eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'us-east-1' } } });
const earlierStep = {
  'from-an-earlier-step': { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED },
};
const TOKEN = 'tok-3f9c2a7e-very-secret';
const inlineToken = webhookXr({
  spec: {
    destination_type: 'webhook',
    subscriptions: ['user.created'],
    webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer', token: TOKEN } },
  },
});
const pipelineToken = webhookXr({
  spec: {
    destination_type: 'webhook',
    subscriptions: ['user.created'],
    webhook_configuration: { webhook_endpoint: 'https://crm.example.com/h', webhook_authorization: { method: 'bearer' } },
  },
});
const withCredentials = { ...input, spec: { webhookCredentials: 'webhook' } };
const manySubscriptions = webhookXr({ spec: { ...(webhookXr()['spec'] as object), subscriptions: Array.from({ length: 25 }, () => 'user.created') } });

const cases: Case[] = [
  {
    name: 'WebhookStream',
    reason: 'A valid webhook stream composes its Workspace, not ready until observed, with the Valid and StreamCreated conditions.',
    request: request(webhookXr()),
    want: response({
      desired: { composite: composite(), resources: desired(generated(webhookXr())) },
      conditions: [VALID, CREATING],
    }),
  },
  {
    name: 'EventBridgeWaitingForPartnerSource',
    reason: 'Before Auth0 reports the partner event source only the Workspace is composed; the XR is not ready and asks to be called again sooner.',
    request: request(eventbridge, { input: routed }),
    want: response({
      ttl: 20,
      desired: { composite: composite({}, Ready.READY_FALSE), resources: desired(generated(eventbridge, routed)) },
      results: [
        result(
          Severity.SEVERITY_NORMAL,
          'WaitingForPartnerEventSource',
          'status.outputs.aws_partner_event_source: The EventBridge bus, rules and targets of tenant-events are generated once Auth0 has created the stream and its partner event source (aws_partner_event_source) is known. Nothing to do: they are composed on a later reconcile, once the Workspace reports the partner event source in its outputs.',
        ),
      ],
      conditions: [
        VALID,
        CREATING,
        condition(
          'EventBridgeReady',
          Status.STATUS_CONDITION_FALSE,
          'WaitingForPartnerEventSource',
          'The bus, rules and targets are composed once Auth0 reports the partner event source in the Workspace outputs.',
        ),
      ],
    }),
  },
  {
    name: 'EventBridgeSourceObserved',
    reason: 'Once the Workspace reports the partner event source, the bus, rules, targets and the Lambda permission are composed and status.outputs copied.',
    request: request(eventbridge, { input: routed, observed: { workspace: observedWorkspace } }),
    want: response({
      desired: {
        composite: composite(workspaceOutputs),
        resources: desired(generated(eventbridge, routed, observedWorkspace.resource), { workspace: Ready.READY_TRUE }),
      },
      conditions: [
        VALID,
        condition('StreamCreated', Status.STATUS_CONDITION_TRUE, 'Created', 'Auth0 event stream est_jmj7QpymGFqmysiCpWAcZe exists.'),
        condition('EventBridgeReady', Status.STATUS_CONDITION_FALSE, 'Creating', 'Waiting for the partner event bus to become ready.'),
      ],
    }),
  },
  {
    name: 'AdoptingAnExistingStream',
    reason: 'An XR that names an existing stream gets a Workspace whose module imports it; StreamCreated says it waits for the import.',
    request: request(adopting),
    want: response({
      desired: { composite: composite(), resources: desired(generated(adopting)) },
      results: [
        result(
          Severity.SEVERITY_NORMAL,
          'AdoptingStream',
          `${ADOPTION_PATH}: The Workspace imports Auth0 event stream ${ADOPTED_ID} on its first apply instead of creating a new one (a Terraform import block); Terraform ignores the block once the stream is in its state.`,
        ),
      ],
      conditions: [VALID, condition('StreamCreated', Status.STATUS_CONDITION_FALSE, 'Adopting', `Waiting for the Workspace to import Auth0 event stream ${ADOPTED_ID}.`)],
    }),
  },
  {
    name: 'AdoptedStream',
    reason: 'Once the observed Workspace reports the adopted stream, the import block is dropped and StreamCreated says Adopted.',
    request: request(adopting, { observed: { workspace: importedWorkspace } }),
    want: response({
      desired: {
        composite: composite({ id: ADOPTED_ID, name: 'crm-user-sync' }),
        resources: desired(generated(adopting, input, importedWorkspace.resource), { workspace: Ready.READY_TRUE }),
      },
      results: [
        result(
          Severity.SEVERITY_NORMAL,
          'StreamAdopted',
          `${ADOPTION_PATH}: Auth0 event stream ${ADOPTED_ID} is adopted: the Workspace reports it, so its module no longer carries the import block.`,
        ),
      ],
      conditions: [
        VALID,
        condition(
          'StreamCreated',
          Status.STATUS_CONDITION_TRUE,
          'Adopted',
          `Auth0 event stream ${ADOPTED_ID} is adopted: the Workspace reports it and no longer carries the import block.`,
        ),
      ],
    }),
  },
  {
    name: 'AdoptionOfAnotherStream',
    reason: 'An annotation that names another stream than the Workspace manages is a fatal error: nothing is applied.',
    request: request(adopting, { observed: { workspace: otherStreamWorkspace } }),
    want: response({
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'AdoptStreamIdMismatch',
          `The Auth0EventStream is invalid; nothing was changed: ${ADOPTION_PATH} names Auth0 stream ${ADOPTED_ID}, but this resource's stream is "est_Other0Stream1Id2abcdefg" (status.outputs.id, or the Workspace outputs). A Workspace manages one stream: set the annotation to "est_Other0Stream1Id2abcdefg" or remove it; to take over ${ADOPTED_ID}, give it an Auth0EventStream of its own.`,
        ),
      ],
      conditions: [
        condition(
          'Valid',
          Status.STATUS_CONDITION_FALSE,
          'InvalidSpec',
          `${ADOPTION_PATH} names Auth0 stream ${ADOPTED_ID}, but this resource's stream is "est_Other0Stream1Id2abcdefg" (status.outputs.id, or the Workspace outputs). A Workspace manages one stream: set the annotation to "est_Other0Stream1Id2abcdefg" or remove it; to take over ${ADOPTED_ID}, give it an Auth0EventStream of its own.`,
        ),
      ],
    }),
  },
  {
    name: 'MoreFindingsThanListed',
    reason: 'Results stop at 20, and one more result says how many were left out.',
    request: request(manySubscriptions),
    want: response({
      desired: { composite: composite(), resources: desired(generated(manySubscriptions)) },
      results: [
        // Findings are ordered by path as text: [1], [10], [11], … [19], [2], [20], …
        ...Array.from({ length: 24 }, (_, index) => `spec.subscriptions[${index + 1}]`)
          .sort()
          .slice(0, 20)
          .map((path) =>
            result(Severity.SEVERITY_WARNING, 'DuplicateSubscription', `${path}: "user.created" is already subscribed by spec.subscriptions[0]; the duplicate is ignored.`),
          ),
        result(Severity.SEVERITY_WARNING, 'MoreFindings', '4 more finding(s) like the ones above are not listed.'),
      ],
      conditions: [VALID, CREATING],
    }),
  },
  {
    name: 'EverythingObservedReady',
    reason: 'Every composed resource observed ready is desired READY_TRUE, EventBridgeReady is BusAssociated, and no observed status reaches desired state.',
    request: request(eventbridge, { input: routed, observed: allObserved }),
    want: response({
      desired: {
        composite: composite(workspaceOutputs),
        resources: desired(generated(eventbridge, routed, observedWorkspace.resource), Object.fromEntries(Object.keys(allObserved).map((role) => [role, Ready.READY_TRUE]))),
      },
      conditions: [
        VALID,
        condition('StreamCreated', Status.STATUS_CONDITION_TRUE, 'Created', 'Auth0 event stream est_jmj7QpymGFqmysiCpWAcZe exists.'),
        condition('EventBridgeReady', Status.STATUS_CONDITION_TRUE, 'BusAssociated', 'The partner event bus is associated with the partner event source.'),
      ],
    }),
  },
  {
    name: 'ObservedNotReady',
    reason: 'A composed resource observed but not ready stays READY_FALSE.',
    request: request(webhookXr(), { observed: { workspace: notReadyWorkspace } }),
    want: response({ desired: { composite: composite(), resources: desired(generated(webhookXr())) }, conditions: [VALID, CREATING] }),
  },
  {
    name: 'InvalidSpec',
    reason: 'An invalid spec is one fatal result naming every error with its field path; what earlier steps desired is passed on unchanged.',
    request: RunFunctionRequest.fromPartial({ ...request(invalidEventBridge, { input: routed }), desired: { resources: earlierStep } }),
    want: response({
      desired: { resources: earlierStep },
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'InvalidFormat',
          'The Auth0EventStream is invalid; nothing was changed: spec.eventbridge_configuration.aws_account_id is "1234", which has the wrong format. An AWS account id is exactly 12 digits; quote it in YAML so leading zeros survive.; spec.subscriptions[0]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"? Blocking or unblocking a user is delivered as user.updated.',
        ),
      ],
      conditions: [
        condition(
          'Valid',
          Status.STATUS_CONDITION_FALSE,
          'InvalidSpec',
          'spec.eventbridge_configuration.aws_account_id is "1234", which has the wrong format. An AWS account id is exactly 12 digits; quote it in YAML so leading zeros survive.; spec.subscriptions[0]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"? Blocking or unblocking a user is delivered as user.updated.',
        ),
      ],
    }),
  },
  {
    name: 'ImmutableRegion',
    reason: 'Moving an existing EventBridge stream to another region is fatal, saying to delete and recreate; nothing is desired.',
    request: request(movedRegion, { input: routed, observed: { workspace: observedWorkspace } }),
    want: response({
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'ImmutableField',
          'The Auth0EventStream is invalid; nothing was changed: spec.eventbridge_configuration.aws_region cannot change from "eu-west-1" to "us-east-1": Auth0 stream "est_jmj7QpymGFqmysiCpWAcZe" already exists and this field is fixed at creation. Delete the Auth0EventStream and create it again (a new stream, new id and new partner event source), or restore "eu-west-1".',
        ),
      ],
      conditions: [
        condition(
          'Valid',
          Status.STATUS_CONDITION_FALSE,
          'InvalidSpec',
          'spec.eventbridge_configuration.aws_region cannot change from "eu-west-1" to "us-east-1": Auth0 stream "est_jmj7QpymGFqmysiCpWAcZe" already exists and this field is fixed at creation. Delete the Auth0EventStream and create it again (a new stream, new id and new partner event source), or restore "eu-west-1".',
        ),
      ],
    }),
  },
  {
    name: 'SpecNotAnObject',
    reason: 'A spec that is not an object is refused before anything else.',
    request: request({ ...webhookXr(), spec: 'oops' }),
    want: response({ results: [result(Severity.SEVERITY_FATAL, 'InvalidSpec', 'spec of the Auth0EventStream must be an object.')] }),
  },
  {
    name: 'InputOfAnotherKind',
    reason: 'A step input that is neither an ExpansionConfig nor a ConfigMap is fatal.',
    request: request(webhookXr(), { input: { apiVersion: 'example.org/v1', kind: 'Other' } }),
    want: response({
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'InvalidInput',
          'The pipeline step input is invalid: Function configuration "Other.example.org/v1" is not supported. Use a ConfigMap with data keys (scope, eventTypes, inlineCredentials, writeDefaults, markLocalConfig, webhookCredentials, terraformProviderConfig, terraformProviderConfigKind, awsProviderConfig, awsProviderConfigKind) or apiVersion: fn.auth0.openmcf.org/v1alpha1, kind: ExpansionConfig.',
        ),
      ],
    }),
  },
  {
    name: 'InvalidInputAndSpec',
    reason: 'An invalid step input and an invalid spec are reported together, in one fatal result.',
    request: request(webhookXr({ spec: { ...(webhookXr()['spec'] as object), subscriptions: ['user.blocked'] } }), { input: { ...input, spec: { scope: 'Galaxy' } } }),
    want: response({
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'InvalidInput',
          'The pipeline step input is invalid: spec.scope is "Galaxy"; expected one of Namespaced, Cluster. Set scope to Namespaced or Cluster. The Auth0EventStream is invalid too: spec.subscriptions[0]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"? Blocking or unblocking a user is delivered as user.updated.',
        ),
      ],
    }),
  },
  {
    name: 'InlineToken',
    reason: 'An inline token is warned about and reaches the desired state only in the credentials Secret.',
    request: request(inlineToken),
    want: response({
      desired: { composite: composite(), resources: desired(generated(inlineToken)) },
      results: [
        result(
          Severity.SEVERITY_WARNING,
          'InlineCredential',
          'spec.webhook_configuration.webhook_authorization.token holds a secret written inline in the spec; store it in a Secret and reference it with spec.webhook_configuration.webhook_authorization.token_secret_ref {name, key} instead.',
        ),
      ],
      conditions: [VALID, CREATING],
    }),
  },
  {
    name: 'PipelineCredentials',
    reason: 'A token from the pipeline step credentials goes into the credentials Secret, without a warning.',
    request: RunFunctionRequest.fromPartial({
      ...request(pipelineToken, { input: withCredentials }),
      credentials: { webhook: { credentialData: { data: { token: Buffer.from(TOKEN) } } } },
    }),
    want: response({
      desired: { composite: composite(), resources: desired(generated(pipelineToken, withCredentials, undefined, { webhook: { token: TOKEN } })) },
      conditions: [VALID, CREATING],
    }),
  },
  {
    name: 'MissingComposite',
    reason: 'A request without an observed XR is answered with a fatal result, never an exception.',
    request: RunFunctionRequest.fromPartial({ meta: { tag: TAG } }),
    want: response({
      results: [
        result(
          Severity.SEVERITY_FATAL,
          'MissingComposite',
          'The request has no observed composite resource (observed.composite.resource); Crossplane always sends the XR, so check the caller.',
        ),
      ],
    }),
  },
];

/** Responses compared as their protobuf JSON, as function-sdk-go compares with protocmp: unset and default fields are equal. */
const asProto = (value: RunFunctionResponse): unknown => RunFunctionResponse.toJSON(value);

describe('runFunction', () => {
  it.each(cases)('$name', ({ reason, request: req, want }) => {
    expect(asProto(runFunction(req)), reason).toStrictEqual(asProto(want));
  });

  it('drops the import block exactly when the observed Workspace reports the adopted stream', () => {
    const moduleOf = (response: RunFunctionResponse) =>
      JSON.parse((response.desired?.resources['workspace']?.resource as { spec: { forProvider: { module: string } } }).spec.forProvider.module) as Record<string, unknown>;
    expect(moduleOf(runFunction(request(adopting)))['import']).toStrictEqual([{ to: 'auth0_event_stream.this', id: ADOPTED_ID }]);
    expect(moduleOf(runFunction(request(adopting, { observed: { workspace: importedWorkspace } })))).not.toHaveProperty('import');
  });

  it('keeps a secret value out of everything but the credentials Secret', () => {
    for (const req of [
      request(inlineToken),
      RunFunctionRequest.fromPartial({
        ...request(pipelineToken, { input: withCredentials }),
        credentials: { webhook: { credentialData: { data: { token: Buffer.from(TOKEN) } } } },
      }),
    ]) {
      const response = runFunction(req);
      expect((response.desired?.resources['credentials']?.resource as { stringData: unknown }).stringData).toStrictEqual({ token: TOKEN });
      const { credentials: _secret, ...others } = response.desired!.resources;
      expect(JSON.stringify(RunFunctionResponse.toJSON({ ...response, desired: { ...response.desired!, resources: others } }))).not.toContain(TOKEN);
    }
  });
});
