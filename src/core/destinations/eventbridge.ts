/**
 * The EventBridge destination: Auth0 creates a partner event source in the AWS account and region, which
 * Terraform fixes at creation. Once Auth0 has created the source, the AWS side follows: the partner event bus
 * (its name must equal the source name), a rule matching the stream's event types, and per configured route
 * one rule with its targets — plus, for a Lambda target, the Lambda permission that lets EventBridge invoke
 * it. SQS queues and SNS topics are reached through their own policies, which are whole documents a user may
 * already manage: they are never written, an info result gives the statement to add.
 *
 * Events arrive with the CloudEvent in `detail`, so rules match the event type on `detail.type` (the
 * `detail-type` Auth0 sets for event streams is not documented).
 */
import type { ExpansionConfig, Route, RouteTarget } from '../schema/index.js';
import { API, KIND, managedMetadata, providerConfigRef } from '../expand/common.js';
import type { GeneratedPart } from '../expand/kinds.js';
import { literal } from '../expand/terraform-module.js';
import { jsonString } from '../json-text.js';
import { quote, report } from '../findings.js';
import { resourceName, shortHash } from '../names.js';
import { streamKey } from '../ownership.js';
import { NAME_SUFFIX, ROLE } from '../roles.js';
import { RULES, type RuleId } from '../rules.js';
import type { StreamBase } from '../stream.js';
import type { Finding, GeneratedResource, KubeObject, StreamOutputs } from '../types.js';
import type { BlockReading, DestinationModule, Progress, ProgressState } from './types.js';

export interface EventBridgeConfig {
  readonly awsAccountId: string;
  readonly awsRegion: string;
}

type EventBridgeStream = StreamBase & { readonly destination: EventBridgeConfig };

/** The id of the finding that says the EventBridge side waits for the partner event source; adapters add their own instruction. */
export const WAITING_FOR_PARTNER_EVENT_SOURCE = 'waiting-for-partner-event-source' satisfies RuleId;
const PARTNER_EVENT_SOURCE = 'partner-event-source';

/** terraform-provider-auth0's first release with event streams, EventBridge included. */
const PROVIDER_VERSION = '1.29.0';
/** `aws.partner/auth0.com/<tenant>-<uuid>/auth0.events`: what Auth0 names an event stream's partner event source. */
const AUTH0_PARTNER_SOURCE = /^aws\.partner\/auth0\.com\/[a-z0-9][a-z0-9._-]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/auth0\.events$/;
const MAX_PARTNER_SOURCE_LENGTH = 256;

export const eventbridge: DestinationModule<'eventbridge', EventBridgeConfig> = {
  type: 'eventbridge',
  configField: 'eventbridge_configuration',
  immutableFields: ['aws_account_id', 'aws_region'],
  textFields: [['aws_account_id'], ['aws_region']],
  takesRoutes: true,

  read(block) {
    const { aws_account_id: awsAccountId, aws_region: awsRegion } = block;
    return typeof awsAccountId === 'string' && typeof awsRegion === 'string' ? { awsAccountId, awsRegion } : undefined;
  },

  checkOutputs: checkPartnerEventSource,

  plan(stream, config) {
    const block = { aws_account_id: literal(stream.destination.awsAccountId), aws_region: literal(stream.destination.awsRegion) };
    const source = stream.outputs.aws_partner_event_source;
    if (source === undefined || source === 'default') {
      return { block, sensitive: [], providerVersion: PROVIDER_VERSION, resources: [], findings: [waitingForPartnerSource(stream)], waitingFor: PARTNER_EVENT_SOURCE };
    }
    const side = eventBridgeResources(stream, source, config);
    return { block, sensitive: [], providerVersion: PROVIDER_VERSION, resources: side.resources, findings: side.findings };
  },

  progress(state: ProgressState): Progress | undefined {
    if (state.waitingFor === PARTNER_EVENT_SOURCE) {
      return {
        condition: 'EventBridgeReady',
        ready: false,
        reason: 'WaitingForPartnerEventSource',
        message: 'The bus, rules and targets are composed once Auth0 reports the partner event source in the Workspace outputs.',
      };
    }
    if (!state.roles.includes(ROLE.bus)) return undefined;
    return state.ready(ROLE.bus)
      ? { condition: 'EventBridgeReady', ready: true, reason: 'BusAssociated', message: 'The partner event bus is associated with the partner event source.' }
      : { condition: 'EventBridgeReady', ready: false, reason: 'Creating', message: 'Waiting for the partner event bus to become ready.' };
  },
};

/** Adapter-neutral: what waits and for what. Each adapter adds how the value gets there in its world. */
function waitingForPartnerSource(stream: StreamBase): Finding {
  return report(
    RULES[WAITING_FOR_PARTNER_EVENT_SOURCE],
    `The EventBridge bus, rules and targets of ${stream.name} are generated once Auth0 has created the stream and its partner event source (aws_partner_event_source) is known.`,
    { path: 'status.outputs.aws_partner_event_source' },
  );
}

function checkPartnerEventSource(outputs: StreamOutputs, reading: Pick<BlockReading, 'findings' | 'at'>): void {
  const source = outputs.aws_partner_event_source;
  if (source === undefined || source === '' || source === 'default') return;
  if (source.length <= MAX_PARTNER_SOURCE_LENGTH && AUTH0_PARTNER_SOURCE.test(source)) return;
  const path = reading.at(['status', 'outputs', 'aws_partner_event_source']);
  const logStream = source.startsWith('aws.partner/auth0.com/') && source.endsWith('/auth0.logs');
  const why = logStream
    ? " That is the partner event source of an Auth0 log stream; an event stream's ends in /auth0.events. Copy aws_partner_event_source from this stream's Workspace outputs."
    : source.length > MAX_PARTNER_SOURCE_LENGTH
      ? ` It is longer than the ${MAX_PARTNER_SOURCE_LENGTH} characters AWS allows.`
      : '';
  reading.findings.push(
    report(
      RULES['partner-event-source-format'],
      `${path} is ${quote(source)}, not the partner event source of an Auth0 event stream (aws.partner/auth0.com/<tenant>-<uuid>/auth0.events).${why}`,
      { path, currentValue: source },
    ),
  );
}

/**
 * One resource of a stream's EventBridge side before it is built: its Crossplane role, its kind, the suffix of
 * its name (`<stream>-<suffix>`) and, for messages, what it is. Two parts of one stream clash when they share a
 * role, or a kind and a suffix (then they would share a name).
 */
export interface EventBridgePart {
  readonly role: string;
  readonly part: Extract<GeneratedPart, 'bus' | 'rule' | 'target' | 'permission'>;
  readonly suffix: string;
  readonly origin: string;
}

/** The parts every eventbridge stream has, whatever the routes. */
export const STREAM_PARTS: readonly EventBridgePart[] = [
  { role: ROLE.bus, part: 'bus', suffix: NAME_SUFFIX.bus, origin: "the stream's partner event bus" },
  { role: ROLE.rule, part: 'rule', suffix: NAME_SUFFIX.rule, origin: "the stream's own Rule" },
];

/** The parts one route adds: its Rule, a Target per target, and a Lambda permission per Lambda target. */
export function routeParts(route: Pick<Route, 'name' | 'targets'>): EventBridgePart[] {
  const parts: EventBridgePart[] = [{ role: ROLE.route(route.name), part: 'rule', suffix: NAME_SUFFIX.route(route.name), origin: `the Rule of route ${quote(route.name)}` }];
  route.targets.forEach((target, index) => {
    const suffix = NAME_SUFFIX.routeTarget(route.name, index);
    parts.push({ role: ROLE.routeTarget(route.name, index), part: 'target', suffix, origin: `target ${index} of route ${quote(route.name)}` });
    if (lambdaFunction(target.arn) !== undefined) {
      parts.push({ role: ROLE.permission(route.name, index), part: 'permission', suffix, origin: `the Lambda permission of target ${index} of route ${quote(route.name)}` });
    }
  });
  return parts;
}

function eventBridgeResources(stream: EventBridgeStream, partnerSource: string, config: ExpansionConfig): { resources: GeneratedResource[]; findings: Finding[] } {
  const region = stream.destination.awsRegion;
  const busName = resourceName(stream.name, NAME_SUFFIX.bus);
  const findings: Finding[] = [];
  const resources: GeneratedResource[] = [
    {
      role: ROLE.bus,
      object: managed(
        stream,
        config,
        'bus',
        busName,
        {
          region,
          eventSourceName: partnerSource,
          description: `Partner event bus for Auth0 event stream ${stream.name}`,
        },
        { 'crossplane.io/external-name': partnerSource },
      ),
    },
    {
      role: ROLE.rule,
      object: rule(stream, config, resourceName(stream.name, NAME_SUFFIX.rule), busName, partnerSource, stream.subscriptions, `All events of Auth0 event stream ${stream.name}`),
    },
  ];
  for (const route of routesFor(stream, config.routes)) {
    const ruleName = resourceName(stream.name, NAME_SUFFIX.route(route.name));
    const ruleArn = eventRuleArn(stream, partnerSource, ruleName);
    const unsubscribed = route.eventTypes.filter((type) => !stream.subscriptions.includes(type));
    if (unsubscribed.length > 0) {
      findings.push(
        report(
          RULES['route-event-type-not-subscribed'],
          `Route ${quote(route.name)} matches ${unsubscribed.join(', ')}, which stream ${quote(stream.name)} does not subscribe to; those events never arrive. Add them to spec.subscriptions or remove them from the route.`,
        ),
      );
    }
    resources.push({
      role: ROLE.route(route.name),
      object: rule(stream, config, ruleName, busName, partnerSource, route.eventTypes, route.description ?? `Route ${route.name} of Auth0 event stream ${stream.name}`),
    });
    route.targets.forEach((target, index) => {
      const targetName = resourceName(stream.name, NAME_SUFFIX.routeTarget(route.name, index));
      const forProvider: Record<string, unknown> = {
        region,
        arn: target.arn,
        targetId: `${route.name}-${index}`,
        eventBusNameRef: { name: busName },
        ruleRef: { name: ruleName },
      };
      if (target.roleArn) forProvider['roleArn'] = target.roleArn;
      if (target.deadLetterArn) forProvider['deadLetterConfig'] = { arn: target.deadLetterArn };
      if (target.retryPolicy) forProvider['retryPolicy'] = { ...target.retryPolicy };
      resources.push({ role: ROLE.routeTarget(route.name, index), object: managed(stream, config, 'target', targetName, forProvider) });
      const lambda = lambdaFunction(target.arn);
      if (lambda !== undefined) {
        resources.push({
          role: ROLE.permission(route.name, index),
          object: managed(stream, config, 'permission', targetName, {
            region: lambda.region,
            action: 'lambda:InvokeFunction',
            functionName: lambda.functionArn,
            ...(lambda.qualifier !== undefined ? { qualifier: lambda.qualifier } : {}),
            principal: EVENTS_PRINCIPAL,
            sourceArn: ruleArn,
            statementId: `${targetName}-${shortHash(`${streamKey(stream)}\0${route.name}\0${index}`)}`,
          }),
        });
      }
      for (const statement of policyStatements(stream, route, target, index, ruleArn)) findings.push(statement);
    });
  }
  return { resources, findings };
}

/** Routes that apply to this stream: those naming it, and those naming no stream at all. */
function routesFor(stream: StreamBase, routes: readonly Route[]): Route[] {
  return routes.filter((route) => route.streams === undefined || route.streams.includes(stream.name));
}

const EVENTS_PRINCIPAL = 'events.amazonaws.com';

interface LambdaFunction {
  /** The function's ARN without a version or alias. */
  readonly functionArn: string;
  readonly qualifier?: string;
  readonly region: string;
}

/** `arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]`, or undefined for any other ARN. */
function lambdaFunction(arn: string): LambdaFunction | undefined {
  // Most targets are queues, topics or buses: their ARNs are not split.
  if (!arn.includes(':lambda:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function' || parts[6] === '') return undefined;
  const qualifier = parts[7];
  const region = parts[3] ?? '';
  if (qualifier === undefined) return { functionArn: arn, region };
  const functionArn = parts.slice(0, 7).join(':');
  return qualifier === '' ? { functionArn, region } : { functionArn, qualifier, region };
}

/**
 * The ARN of a rule on the partner event bus: `arn:<partition>:events:<region>:<account>:rule/<bus>/<rule>`.
 * The bus is named after the partner event source, and the rule's external name is its object name.
 */
function eventRuleArn(stream: EventBridgeStream, partnerSource: string, ruleName: string): string {
  const { awsRegion, awsAccountId } = stream.destination;
  return `arn:${partitionOf(awsRegion)}:events:${awsRegion}:${awsAccountId}:rule/${partnerSource}/${ruleName}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** What an SQS queue or SNS topic policy must allow for EventBridge to deliver to it, keyed by the ARN's service. */
const POLICY_ACTIONS: Readonly<Record<string, { readonly action: string; readonly what: string }>> = {
  sqs: { action: 'sqs:SendMessage', what: 'SQS queue' },
  sns: { action: 'sns:Publish', what: 'SNS topic' },
};

/** Info results with the policy statement each SQS or SNS destination of a target (and its dead-letter queue) needs. */
function policyStatements(stream: StreamBase, route: Route, target: RouteTarget, index: number, ruleArn: string): Finding[] {
  const findings: Finding[] = [];
  const destinations: Array<[string, string]> = [[target.arn, 'receive the events']];
  if (target.deadLetterArn !== undefined) destinations.push([target.deadLetterArn, 'take the events that cannot be delivered']);
  for (const [arn, purpose] of destinations) {
    const policy = POLICY_ACTIONS[arn.split(':')[2] ?? ''];
    if (policy === undefined) continue;
    const statement = {
      Sid: `AllowAuth0EventStream${shortHash(`${ruleArn}\0${arn}`)}`,
      Effect: 'Allow',
      Principal: { Service: EVENTS_PRINCIPAL },
      Action: policy.action,
      Resource: arn,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    };
    findings.push(
      report(
        RULES['target-policy-statement'],
        `Target ${index} of route ${quote(route.name)} of stream ${quote(stream.name)}: EventBridge can ${purpose} only if the policy of ${policy.what} ${quote(arn)} allows it. ` +
          `The function does not change that policy; add this statement to it: ${JSON.stringify(statement)}`,
      ),
    );
  }
  return findings;
}

function rule(
  stream: EventBridgeStream,
  config: ExpansionConfig,
  name: string,
  busName: string,
  partnerSource: string,
  eventTypes: readonly string[],
  description: string,
): KubeObject {
  return managed(stream, config, 'rule', name, {
    region: stream.destination.awsRegion,
    description: description.slice(0, 512),
    eventBusNameRef: { name: busName },
    // JSON.stringify({ source: [partnerSource], detail: { type: eventTypes } }), written without building that value.
    eventPattern: `{"source":[${jsonString(partnerSource)}],"detail":{"type":[${eventTypes.map(jsonString).join(',')}]}}`,
  });
}

function managed(
  stream: StreamBase,
  config: ExpansionConfig,
  part: EventBridgePart['part'],
  name: string,
  forProvider: Record<string, unknown>,
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: API[config.scope][part],
    kind: KIND[part],
    metadata: managedMetadata(stream, name, config, annotations),
    spec: {
      providerConfigRef: providerConfigRef(config.aws.providerConfigRef, config),
      forProvider,
    },
  };
}
