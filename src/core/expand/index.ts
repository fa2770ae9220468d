/** expandStream: validate → default → expand one Auth0EventStream into provider-level resources. */
import type { StreamContext, StreamExpansion } from '../api.js';
import type { ExpansionConfig } from '../schema/index.js';
import { DESTINATIONS, type DestinationPlan, type DestinationType } from '../destinations/index.js';
import { hasErrors, quote, report, sortFindings } from '../findings.js';
import { LABELS, streamKeyOf } from '../ownership.js';
import { isRecord, withFields } from '../records.js';
import { ROLE } from '../roles.js';
import { RULES } from '../rules.js';
import type { Stream, StreamOf } from '../stream.js';
import type { Finding, GeneratedResource, KubeObject } from '../types.js';
import { readStream } from '../validate.js';
import { streamModule } from './stream-module.js';
import { workspace } from './workspace.js';

export const STREAM_API_VERSION = 'auth0.openmcf.org/v1';
export const STREAM_KIND = 'Auth0EventStream';

/**
 * Lists the fields `writeDefaults` wrote into a stream (`spec.status`). A field listed here that still holds its
 * default counts as unset: writing a default into the source must not change what is deployed.
 */
export const WRITTEN_DEFAULTS = 'auth0.openmcf.org/written-defaults';

const STATUS_FIELD = 'spec.status';
const STATUS_DEFAULT = 'enabled';

export function isStream(obj: unknown): boolean {
  if (obj === null || typeof obj !== 'object') return false;
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  return apiVersion === STREAM_API_VERSION && kind === STREAM_KIND;
}

export function expandStream(item: unknown, config: ExpansionConfig, context: StreamContext = {}): StreamExpansion {
  const key = streamKeyOf(item);
  const reading = readStream(item, config, context);
  const ownership = ownershipFromLabels(item, reading.stream);
  const findings: Finding[] = [...reading.findings, ...ownership.findings];
  if (reading.stream === undefined || hasErrors(findings)) return failed(key, findings, reading.outputs);
  const written = writtenDefaults(item);
  const stream: Stream = withFields(withFields(reading.stream, ownership.values), {
    statusSet: reading.stream.statusSet && !(written.includes(STATUS_FIELD) && reading.stream.status === STATUS_DEFAULT),
  });

  const plan = planDestination(stream, config);
  for (const finding of plan.findings) findings.push(finding);
  if (hasErrors(findings)) return failed(key, findings, reading.outputs);
  const resources = streamResources(stream, plan, config);
  const clash = firstClash(resources);
  if (clash !== undefined) return failed(key, [...findings, clash], reading.outputs);
  const rewritten = rewrittenSource(item, stream, written, config.writeDefaults);
  return {
    key,
    ok: true,
    findings: sortFindings(findings),
    resources,
    outputs: stream.outputs,
    destinationType: stream.destinationType,
    ...(stream.adoption !== undefined ? { adoption: stream.adoption } : {}),
    ...(rewritten ? { defaulted: rewritten } : {}),
    ...(plan.waitingFor !== undefined ? { waitingFor: plan.waitingFor } : {}),
  };
}

/** What the stream's destination adds: its Terraform block, its secrets and its own resources. */
export function planDestination<Type extends DestinationType>(stream: StreamOf<Type>, config: ExpansionConfig): DestinationPlan {
  return DESTINATIONS[stream.destinationType].plan(stream, config);
}

/** The resources of a valid stream: the Workspace that creates the Auth0 stream, then the destination's own. */
export function streamResources(stream: Stream, plan: DestinationPlan, config: ExpansionConfig): GeneratedResource[] {
  const module = streamModule(stream, plan, DESTINATIONS[stream.destinationType].configField);
  return [{ role: ROLE.workspace, object: workspace(stream, module, config) }, ...plan.resources];
}

function failed(key: string, findings: readonly Finding[], outputs: StreamExpansion['outputs']): StreamExpansion {
  return { key, ok: false, findings: sortFindings(findings), resources: [], outputs };
}

/**
 * The check over the whole expansion: no two resources share a Crossplane role or an identity (apiVersion,
 * kind, namespace, name). The configuration rules out every clash its routes could cause; this catches what
 * names cut and hashed to 63 characters could still make equal.
 */
function firstClash(resources: readonly GeneratedResource[]): Finding | undefined {
  const byRole = new Map<string, GeneratedResource>();
  // By name, then compared field by field: an identity string per resource would be built and hashed for nothing.
  const byName = new Map<string, GeneratedResource[]>();
  for (const resource of resources) {
    const { metadata } = resource.object;
    const named = byName.get(metadata.name);
    const other = byRole.get(resource.role) ?? named?.find((earlier) => sameIdentity(earlier.object, resource.object));
    if (other !== undefined) {
      return report(
        RULES['generated-name-clash'],
        `${describe(other)} and ${describe(resource)} would share ${other.role === resource.role ? 'a composition resource name' : 'one name'}; ` +
          'nothing is generated for this stream. Rename the route (or the stream).',
      );
    }
    byRole.set(resource.role, resource);
    if (named === undefined) byName.set(metadata.name, [resource]);
    else named.push(resource);
  }
  return undefined;
}

/** Same apiVersion, kind and namespace (absent or empty alike); the names are known to be equal. */
function sameIdentity(a: KubeObject, b: KubeObject): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
}

function describe(resource: GeneratedResource): string {
  return `${resource.object.kind} ${quote(resource.object.metadata.name)} (${resource.role})`;
}

/**
 * `metadata.org` and `metadata.env` are OpenMCF fields that only survive in kpt packages (an API server prunes
 * unknown metadata fields); the labels `auth0.openmcf.org/org` and `auth0.openmcf.org/env` carry the same
 * values everywhere. Either may be set; both with different values is an error.
 */
function ownershipFromLabels(item: unknown, stream: Stream | undefined): { values: { org?: string; env?: string }; findings: Finding[] } {
  const metadata = isRecord(item) && isRecord(item['metadata']) ? item['metadata'] : {};
  const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
  const values: { org?: string; env?: string } = {};
  const findings: Finding[] = [];
  for (const field of ['org', 'env'] as const) {
    const label = labels[LABELS[field]];
    const fromLabel = typeof label === 'string' && label !== '' ? label : undefined;
    const fromMetadata = stream?.[field];
    if (fromLabel !== undefined && fromMetadata !== undefined && fromLabel !== fromMetadata) {
      const path = `metadata.labels["${LABELS[field]}"]`;
      findings.push(
        report(
          RULES['ownership-label-conflict'],
          `${path} is ${quote(fromLabel)} but metadata.${field} is ${quote(fromMetadata)}; keep only the label (it also works outside kpt).`,
          {
            path,
            currentValue: fromLabel,
          },
        ),
      );
    }
    const value = fromLabel ?? fromMetadata;
    if (value !== undefined) values[field] = value;
  }
  return { values, findings };
}

/** The fields listed in the item's written-defaults annotation. */
function writtenDefaults(item: unknown): string[] {
  const metadata = isRecord(item) && isRecord(item['metadata']) ? item['metadata'] : {};
  const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
  const value = annotations[WRITTEN_DEFAULTS];
  return typeof value === 'string'
    ? value
        .split(',')
        .map((field) => field.trim())
        .filter((field) => field !== '')
    : [];
}

/**
 * The source item as it should be written back, when that differs from the item: with `writeDefaults`,
 * `spec.status` written in and recorded as a written default; in any case, a recorded default the user has
 * since changed (or removed) taken off the record, so that the value counts as the user's from now on.
 */
function rewrittenSource(item: unknown, stream: Pick<Stream, 'status'>, written: readonly string[], writeDefaults: boolean): KubeObject | undefined {
  const source = item as KubeObject;
  const spec = source['spec'] as Record<string, unknown>;
  const statusWritten = spec['status'] === undefined && writeDefaults;
  const statusIsDefault = spec['status'] === STATUS_DEFAULT;
  const keep = written.filter((field) => field !== STATUS_FIELD || statusIsDefault || statusWritten);
  const record = statusWritten && !keep.includes(STATUS_FIELD) ? [...keep, STATUS_FIELD] : keep;
  if (!statusWritten && record.length === written.length) return undefined;
  const { [WRITTEN_DEFAULTS]: _old, ...others } = source.metadata.annotations ?? {};
  const annotations = record.length > 0 ? withFields<Record<string, string>>(others, { [WRITTEN_DEFAULTS]: record.join(',') }) : others;
  const metadata = withFields(source.metadata, { annotations });
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  return withFields(source, { metadata, spec: statusWritten ? withFields(spec, { status: stream.status }) : spec });
}
