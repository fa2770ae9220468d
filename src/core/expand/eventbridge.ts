/**
 * The AWS side of an eventbridge stream, once Auth0 has created the partner event source: the partner event
 * bus (its name must equal the source name), a rule matching the stream's event types, and one rule with
 * targets per configured route.
 *
 * Events arrive with the CloudEvent in `detail`, so rules match the event type on `detail.type` (the
 * `detail-type` Auth0 sets for event streams is not documented).
 */
import type { ExpansionConfig, Route } from '../config-types.js';
import { quote, warning } from '../findings.js';
import { resourceName } from '../names.js';
import type { Stream } from '../stream.js';
import type { Finding, GeneratedResource, KubeObject } from '../types.js';
import { API, managedMetadata, providerConfigRef } from './common.js';

export interface EventBridgePlan {
  readonly resources: readonly GeneratedResource[];
  readonly findings: readonly Finding[];
}

export function eventBridgeResources(stream: Stream, partnerSource: string, config: ExpansionConfig): EventBridgePlan {
  const region = stream.eventbridge!.awsRegion;
  const busName = resourceName(stream.name, 'partner-bus');
  const findings: Finding[] = [];
  const resources: GeneratedResource[] = [
    {
      role: 'bus',
      object: managed(stream, config, 'Bus', busName, {
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
    const unsubscribed = route.eventTypes.filter((type) => !stream.subscriptions.includes(type));
    if (unsubscribed.length > 0) {
      findings.push(
        warning('route-event-type-not-subscribed', `Route ${quote(route.name)} matches ${unsubscribed.join(', ')}, which stream ${quote(stream.name)} does not subscribe to; those events never arrive. Add them to spec.subscriptions or remove them from the route.`),
      );
    }
    resources.push({
      role: `route-${route.name}`,
      object: rule(stream, config, ruleName, busName, partnerSource, route.eventTypes, route.description ?? `Route ${route.name} of Auth0 event stream ${stream.name}`),
    });
    route.targets.forEach((target, index) => {
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
      resources.push({
        role: `route-${route.name}-target-${index}`,
        object: managed(stream, config, 'Target', resourceName(stream.name, `${route.name}-${index}`), forProvider),
      });
    });
  }
  return { resources, findings };
}

/** Routes that apply to this stream: those naming it, and those naming no stream at all. */
export function routesFor(stream: Stream, routes: readonly Route[]): Route[] {
  return routes.filter((route) => route.streams === undefined || route.streams.includes(stream.name));
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
  return managed(stream, config, 'Rule', name, {
    region: stream.eventbridge!.awsRegion,
    description: description.slice(0, 512),
    eventBusNameRef: { name: busName },
    eventPattern: JSON.stringify({ source: [partnerSource], detail: { type: [...eventTypes] } }),
  });
}

function managed(
  stream: Stream,
  config: ExpansionConfig,
  kind: 'Bus' | 'Rule' | 'Target',
  name: string,
  forProvider: Record<string, unknown>,
  annotations: Record<string, string> = {},
): KubeObject {
  const apiVersion = API[config.scope][kind === 'Bus' ? 'bus' : kind === 'Rule' ? 'rule' : 'target'];
  return {
    apiVersion,
    kind,
    metadata: managedMetadata(stream, name, config, annotations),
    spec: {
      providerConfigRef: providerConfigRef(config.aws.providerConfigRef, config),
      forProvider,
    },
  };
}
