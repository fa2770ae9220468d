/** expandStream: validate → default → expand one Auth0EventStream into provider-level resources. */
import type { StreamContext, StreamExpansion } from '../api.js';
import type { ExpansionConfig } from '../config-types.js';
import { hasErrors, info, sortFindings } from '../findings.js';
import { streamKey } from '../ownership.js';
import type { Stream } from '../stream.js';
import type { Finding, GeneratedResource, KubeObject } from '../types.js';
import { readStream } from '../validate.js';
import { eventBridgeResources } from './eventbridge.js';
import { planSecret } from './secrets.js';
import { workspace } from './workspace.js';

export const STREAM_API_VERSION = 'auth0.openmcf.org/v1';
export const STREAM_KIND = 'Auth0EventStream';

export function isStream(obj: unknown): boolean {
  if (obj === null || typeof obj !== 'object') return false;
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  return apiVersion === STREAM_API_VERSION && kind === STREAM_KIND;
}

export function expandStream(item: unknown, config: ExpansionConfig, context: StreamContext = {}): StreamExpansion {
  const key = keyOf(item);
  const reading = readStream(item, config, context);
  const { stream } = reading;
  if (stream === undefined) return failed(key, reading.findings, reading.outputs);

  const secretPlan = planSecret(stream, config);
  const findings: Finding[] = [...reading.findings, ...secretPlan.findings];
  if (hasErrors(findings)) return failed(key, findings, reading.outputs);

  const resources: GeneratedResource[] = [{ role: 'workspace', object: workspace(stream, config, secretPlan.location) }];
  if (secretPlan.secret) resources.push({ role: 'credentials', object: secretPlan.secret });

  let waitingFor: StreamExpansion['waitingFor'];
  if (stream.destinationType === 'eventbridge') {
    const source = stream.outputs.aws_partner_event_source;
    if (source === undefined || source === 'default') {
      waitingFor = 'partner-event-source';
      findings.push(waitingForPartnerSource(stream));
    } else {
      const plan = eventBridgeResources(stream, source, config);
      for (const resource of plan.resources) resources.push(resource);
      for (const finding of plan.findings) findings.push(finding);
    }
  }
  return {
    key,
    ok: true,
    findings: sortFindings(findings),
    resources,
    outputs: stream.outputs,
    ...(config.writeDefaults ? withDefaults(item, stream) : {}),
    ...(waitingFor ? { waitingFor } : {}),
  };
}

function failed(key: string, findings: readonly Finding[], outputs: StreamExpansion['outputs']): StreamExpansion {
  return { key, ok: false, findings: sortFindings(findings), resources: [], outputs };
}

function waitingForPartnerSource(stream: Stream): Finding {
  return info(
    'waiting-for-partner-event-source',
    `The EventBridge bus, rules and targets of ${stream.name} are generated once Auth0 has created the stream and its partner event source: ` +
      'apply the Workspace, then put its output aws_partner_event_source into status.outputs.aws_partner_event_source and run the function again ' +
      '(Crossplane does this by itself).',
    { path: 'status.outputs.aws_partner_event_source' },
  );
}

/** The source item with `spec.status` written in, when the user left it out. */
function withDefaults(item: unknown, stream: Stream): { defaulted?: KubeObject } {
  const source = item as KubeObject;
  const spec = source['spec'] as Record<string, unknown>;
  if (spec['status'] !== undefined) return {};
  return { defaulted: { ...source, spec: { ...spec, status: stream.status } } };
}

/** `<namespace>/<name>` of an item, as far as it can be read even when the item is invalid. */
function keyOf(item: unknown): string {
  const metadata = item !== null && typeof item === 'object' ? (item as { metadata?: unknown }).metadata : undefined;
  const { name, namespace } = (metadata !== null && typeof metadata === 'object' ? metadata : {}) as { name?: unknown; namespace?: unknown };
  return streamKey({ name: typeof name === 'string' ? name : '', namespace: typeof namespace === 'string' ? namespace : undefined });
}
