/**
 * The AWS side of an eventbridge stream, once Auth0 has created the partner event source: the partner event
 * bus (its name must equal the source name), a rule matching the stream's event types, and per configured
 * route one rule with its targets — plus, for a Lambda target, the Lambda permission that lets EventBridge
 * invoke it. SQS queues and SNS topics are reached through their own policies, which are whole documents a
 * user may already manage: they are never written, an info result gives the statement to add.
 *
 * Events arrive with the CloudEvent in `detail`, so rules match the event type on `detail.type` (the
 * `detail-type` Auth0 sets for event streams is not documented).
 */
import type { ExpansionConfig, Route, RouteTarget } from '../config-types.js';
import { quote, report } from '../findings.js';
import { RULES } from '../rules.js';
import { resourceName, shortHash } from '../names.js';
import { streamKey } from '../ownership.js';
import type { Stream } from '../stream.js';
import type { Finding, GeneratedResource, KubeObject } from '../types.js';
import { API, KIND, managedMetadata, providerConfigRef } from './common.js';
import type { GeneratedPart } from './kinds.js';

export interface EventBridgePlan {
  readonly resources: readonly GeneratedResource[];
  readonly findings: readonly Finding[];
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
  { role: 'bus', part: 'bus', suffix: 'partner-bus', origin: "the stream's partner event bus" },
  { role: 'rule', part: 'rule', suffix: 'events', origin: "the stream's own Rule" },
];

/** The parts one route adds: its Rule, a Target per target, and a Lambda permission per Lambda target. */
export function routeParts(route: Pick<Route, 'name' | 'targets'>): EventBridgePart[] {
  const parts: EventBridgePart[] = [{ role: `route-${route.name}`, part: 'rule', suffix: route.name, origin: `the Rule of route ${quote(route.name)}` }];
  route.targets.forEach((target, index) => {
    parts.push({ role: `route-${route.name}-target-${index}`, part: 'target', suffix: `${route.name}-${index}`, origin: `target ${index} of route ${quote(route.name)}` });
    if (lambdaFunction(target.arn) !== undefined) {
      parts.push({
        role: `permission-${route.name}-${index}`,
        part: 'permission',
        suffix: `${route.name}-${index}`,
        origin: `the Lambda permission of target ${index} of route ${quote(route.name)}`,
      });
    }
  });
  return parts;
}

export function eventBridgeResources(stream: Stream, partnerSource: string, config: ExpansionConfig): EventBridgePlan {
  const region = stream.eventbridge!.awsRegion;
  const busName = resourceName(stream.name, 'partner-bus');
  const findings: Finding[] = [];
  const resources: GeneratedResource[] = [
    {
      role: 'bus',
      object: managed(stream, config, 'bus', busName, {
        region,
        eventSourceName: partnerSource,
        description: `Partner event bus for Auth0 event stream ${stream.name}`,
      }, { 'crossplane.io/external-name': partnerSource }),
    },
    {
      role: 'rule',
      object: rule(stream, config, resourceName(stream.name, 'events'), busName, partnerSource, stream.subscriptions, `All events of Auth0 event stream ${stream.name}`),
    },
  ];
  for (const route of routesFor(stream, config.routes)) {
    const ruleName = resourceName(stream.name, route.name);
    const ruleArn = eventRuleArn(stream, partnerSource, ruleName);
    const unsubscribed = route.eventTypes.filter((type) => !stream.subscriptions.includes(type));
    if (unsubscribed.length > 0) {
      findings.push(
        report(RULES['route-event-type-not-subscribed'], `Route ${quote(route.name)} matches ${unsubscribed.join(', ')}, which stream ${quote(stream.name)} does not subscribe to; those events never arrive. Add them to spec.subscriptions or remove them from the route.`),
      );
    }
    resources.push({
      role: `route-${route.name}`,
      object: rule(stream, config, ruleName, busName, partnerSource, route.eventTypes, route.description ?? `Route ${route.name} of Auth0 event stream ${stream.name}`),
    });
    route.targets.forEach((target, index) => {
      const targetName = resourceName(stream.name, `${route.name}-${index}`);
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
      resources.push({ role: `route-${route.name}-target-${index}`, object: managed(stream, config, 'target', targetName, forProvider) });
      const lambda = lambdaFunction(target.arn);
      if (lambda !== undefined) {
        resources.push({
          role: `permission-${route.name}-${index}`,
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
export function routesFor(stream: Stream, routes: readonly Route[]): Route[] {
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
  const parts = arn.split(':');
  if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function' || parts[6] === '') return undefined;
  const qualifier = parts[7];
  return {
    functionArn: parts.slice(0, 7).join(':'),
    ...(qualifier !== undefined && qualifier !== '' ? { qualifier } : {}),
    region: parts[3] ?? '',
  };
}

/**
 * The ARN of a rule on the partner event bus: `arn:<partition>:events:<region>:<account>:rule/<bus>/<rule>`.
 * The bus is named after the partner event source, and the rule's external name is its object name.
 */
export function eventRuleArn(stream: Stream, partnerSource: string, ruleName: string): string {
  const { awsRegion, awsAccountId } = stream.eventbridge!;
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
function policyStatements(stream: Stream, route: Route, target: RouteTarget, index: number, ruleArn: string): Finding[] {
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
      report(RULES['target-policy-statement'],
        `Target ${index} of route ${quote(route.name)} of stream ${quote(stream.name)}: EventBridge can ${purpose} only if the policy of ${policy.what} ${arn} allows it. ` +
          `The function does not change that policy; add this statement to it: ${JSON.stringify(statement)}`,
      ),
    );
  }
  return findings;
}

function rule(
  stream: Stream,
  config: ExpansionConfig,
  name: string,
  busName: string,
  partnerSource: string,
  eventTypes: readonly string[],
  description: string,
): KubeObject {
  return managed(stream, config, 'rule', name, {
    region: stream.eventbridge!.awsRegion,
    description: description.slice(0, 512),
    eventBusNameRef: { name: busName },
    eventPattern: JSON.stringify({ source: [partnerSource], detail: { type: [...eventTypes] } }),
  });
}

function managed(
  stream: Stream,
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
