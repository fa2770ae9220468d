/**
 * Validation of one Auth0EventStream: the JSON Schema (ajv, compiled ahead of time) for shapes, enums and
 * formats, then the rules a schema cannot say — those of the stream here, those of each destination in its
 * module (./destinations). Every problem is collected; nothing stops at the first.
 */
import { readAdoption } from './adoption.js';
import type { StreamContext } from './api.js';
import type { ExpansionConfig } from './schema/index.js';
import { DESTINATIONS, destinationModules, isDestinationType } from './destinations/index.js';
import type { BlockReading } from './destinations/types.js';
import { changedByTerraform } from './expand/terraform-module.js';
import { readRecordedConfiguration, rememberedRecordedConfiguration } from './expand/stream-module.js';
import { moduleOf } from './expand/workspace.js';
import { hasErrors, quote, report, sortFindings } from './findings.js';
import { normalize, userPath } from './normalize.js';
import type { Path } from './paths.js';
import { isRecord, valueAt, withFields } from './records.js';
import { RULES } from './rules.js';
import { schemaFindings } from './schema-findings.js';
import { schemaAt, streamSchema, validateStream } from './schema/index.js';
import type { Stream, StreamBase } from './stream.js';
import { resolveEventTypes } from './subscriptions.js';
import type { Finding, StreamOutputs } from './types.js';

export interface StreamReading {
  readonly stream?: Stream;
  readonly findings: readonly Finding[];
  readonly outputs: StreamOutputs;
}

type Data = Record<string, unknown>;

const MAX_SUBSCRIPTIONS = schemaAt(streamSchema, ['spec', 'subscriptions'])?.maxItems ?? 256;

export function readStream(item: unknown, config: ExpansionConfig, context: StreamContext = {}): StreamReading {
  const normalized = normalize(withoutCrossplaneMachinery(item), streamSchema);
  const findings: Finding[] = [...normalized.findings];
  const at = (path: Path): string => userPath(normalized, path);
  const data = normalized.value;
  if (!isRecord(data)) {
    return { findings: [report(RULES['not-an-object'], 'The Auth0EventStream must be an object with apiVersion, kind, metadata and spec.')], outputs: {} };
  }
  const specBefore = isRecord(data['spec']) ? data['spec'] : undefined;
  const statusSet = specBefore !== undefined && specBefore['status'] !== undefined;
  const valid = validateStream(data);
  if (!valid) for (const finding of schemaFindings(validateStream.errors ?? [], normalized, streamSchema)) findings.push(finding);

  const metadata = isRecord(data['metadata']) ? data['metadata'] : {};
  const spec = isRecord(data['spec']) ? data['spec'] : {};
  const outputs = readOutputs(data, context);
  const destinationType = spec['destination_type'];
  destinationBlocks(spec, destinationType, findings, at);
  const subscriptions = isStringList(spec['subscriptions'], MAX_SUBSCRIPTIONS)
    ? resolveEventTypes(spec['subscriptions'], (i) => at(['spec', 'subscriptions', i]), config.eventTypes)
    : undefined;
  if (subscriptions) for (const finding of subscriptions.findings) findings.push(finding);
  const reading = { findings, at, config, context, metadata };
  for (const module of destinationModules()) module.checkOutputs?.(outputs, reading);
  immutability(spec, outputs, context, findings, at);
  textTerraformKeeps(data, findings, at);
  const adoption = readAdoption(metadata, outputs, nonEmptyString(workspaceOutputs(context)['id']), findings);

  const module = isDestinationType(destinationType) ? DESTINATIONS[destinationType] : undefined;
  const block = module === undefined ? undefined : spec[module.configField];
  const destination =
    module !== undefined && isRecord(block)
      ? module.read(block, { findings, at, config, context, metadata, base: ['spec', module.configField] } satisfies BlockReading)
      : undefined;
  if (!valid || hasErrors(findings) || subscriptions === undefined || destination === undefined) return { findings: sortFindings(findings), outputs };
  // Valid: `data` is a StreamDocument, with its defaults filled in. The destination was read by the module of this
  // destination type; TypeScript cannot follow that correlation.
  const stream = {
    name: data.metadata.name,
    ...optionalString('namespace', data.metadata.namespace),
    ...optionalString('org', data.metadata.org),
    ...optionalString('env', data.metadata.env),
    status: data.spec.status,
    statusSet,
    subscriptions: subscriptions.types,
    outputs,
    ...(adoption !== undefined ? { adoption } : {}),
    destinationType: data.spec.destination_type,
    destination,
  } satisfies StreamBase & { readonly destinationType: unknown; readonly destination: unknown } as Stream;
  return { stream, findings: sortFindings(findings), outputs };
}

/** The configuration block matching destination_type is required; every other destination's block must be absent. */
function destinationBlocks(spec: Data, destinationType: unknown, findings: Finding[], at: (path: Path) => string): void {
  if (!isDestinationType(destinationType)) return;
  for (const { type, configField } of destinationModules()) {
    const missing = type === destinationType && (spec[configField] === undefined || spec[configField] === null);
    const conflicting = type !== destinationType && spec[configField] !== undefined;
    if (!missing && !conflicting) continue;
    const typePath = at(['spec', 'destination_type']);
    const path = at(['spec', configField]);
    if (missing) {
      findings.push(report(RULES['destination-configuration-missing'], `${path} is required when ${typePath} is ${destinationType}.`, { path }));
    }
    if (conflicting) {
      findings.push(
        report(RULES['destination-configuration-conflict'], `${path} must be removed: ${typePath} is ${destinationType}, and Auth0 accepts one destination per stream.`, { path }),
      );
    }
  }
}

/**
 * Every string that reaches the Terraform module must come back from Terraform as written; Terraform reads
 * strings as Unicode NFC and cannot hold unpaired surrogates, so such text would silently become other text.
 */
function textTerraformKeeps(data: Data, findings: Finding[], at: (path: Path) => string): void {
  for (const path of textPaths()) {
    const value = valueAt(data, path);
    if (typeof value === 'string' && changedByTerraform(value)) findings.push(textFinding(path, value, at));
  }
  const subscriptions = isRecord(data['spec']) ? data['spec']['subscriptions'] : undefined;
  if (!isStringList(subscriptions, MAX_SUBSCRIPTIONS)) return;
  subscriptions.forEach((value, index) => {
    if (changedByTerraform(value)) findings.push(textFinding(['spec', 'subscriptions', index], value, at));
  });
}

let knownTextPaths: readonly Path[] | undefined;

/** The name and every destination's text fields: the same for every stream. */
function textPaths(): readonly Path[] {
  if (knownTextPaths !== undefined) return knownTextPaths;
  const paths: Path[] = [['metadata', 'name']];
  for (const { configField, textFields } of destinationModules()) for (const field of textFields) paths.push(['spec', configField, ...field]);
  return (knownTextPaths = paths);
}

function textFinding(path: Path, value: string, at: (path: Path) => string): Finding {
  const where = at(path);
  const normalized = value.normalize('NFC');
  return normalized === value || changedByTerraform(normalized)
    ? report(RULES['invalid-unicode'], `${where} is not valid Unicode (it holds an unpaired UTF-16 surrogate); write it again as text.`, { path: where })
    : report(RULES['unicode-not-nfc'], `${where} is not in Unicode normalization form C, and Terraform would store it as ${quote(normalized)}; write it in that form (NFC).`, {
        path: where,
        proposedValue: normalized,
      });
}

/**
 * destination_type, and the fields of its block each destination says Auth0 fixes at creation, cannot change
 * once Auth0 has created the stream.
 */
function immutability(spec: Data, outputs: StreamOutputs, context: StreamContext, findings: Finding[], at: (path: Path) => string): void {
  if (outputs.id === undefined || outputs.id === '') return;
  const module = moduleOf(context.previousWorkspace);
  const read = context.workspaceSeenAgain === true ? rememberedRecordedConfiguration : readRecordedConfiguration;
  const previous = module === undefined ? undefined : read(module);
  const typeBefore = previous?.destinationType ?? outputs.destination_type;
  const typeNow = spec['destination_type'];
  const changed = (path: Path, old: string, now: unknown): void => {
    const where = at(path);
    findings.push(
      report(
        RULES['immutable-field'],
        `${where} cannot change from ${quote(old)} to ${quote(now)}: Auth0 stream ${quote(outputs.id)} already exists and this field is fixed at creation. Delete the Auth0EventStream and create it again (a new stream, new id and new partner event source), or restore ${quote(old)}.`,
        { path: where, currentValue: now, proposedValue: old },
      ),
    );
  };
  if (typeBefore !== undefined && typeBefore !== typeNow) changed(['spec', 'destination_type'], typeBefore, typeNow);
  // A new destination type already says it all; the fields of its old block are no extra news.
  if (typeBefore !== typeNow || !isDestinationType(typeNow)) return;
  const { configField, immutableFields } = DESTINATIONS[typeNow];
  const block = isRecord(spec[configField]) ? spec[configField] : {};
  for (const field of immutableFields) {
    const old = previous?.blocks[configField]?.[field];
    if (old !== undefined && old !== block[field]) changed(['spec', configField, field], old, block[field]);
  }
}

/** What is known of the stream's outputs: the previous Workspace's observed outputs win over the item's status. */
function readOutputs(data: Data, context: StreamContext): StreamOutputs {
  const status = isRecord(data['status']) ? data['status'] : {};
  const fromItem = isRecord(status['outputs']) ? status['outputs'] : {};
  const fromWorkspace = workspaceOutputs(context);
  const out: Record<string, unknown> = {};
  for (const key of ['id', 'name', 'status', 'destination_type', 'created_at', 'updated_at', 'aws_partner_event_source']) {
    const value = nonEmptyString(fromWorkspace[key]) ?? nonEmptyString(fromItem[key]);
    if (value !== undefined) out[key] = value;
  }
  const subscriptions = [fromWorkspace['subscriptions'], fromItem['subscriptions']].find(
    (value): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string'),
  );
  if (subscriptions) out['subscriptions'] = subscriptions;
  return out;
}

/** The outputs the previous Workspace reports (`status.atProvider.outputs`; in Crossplane, the observed one). */
function workspaceOutputs(context: StreamContext): Data {
  const workspaceStatus = context.previousWorkspace?.['status'];
  const atProvider = isRecord(workspaceStatus) && isRecord(workspaceStatus['atProvider']) ? workspaceStatus['atProvider'] : {};
  return isRecord(atProvider['outputs']) ? atProvider['outputs'] : {};
}

/** Crossplane v2 XRs carry `spec.crossplane` (composition refs and the like); it is not part of the stream. */
function withoutCrossplaneMachinery(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item['spec']) || !('crossplane' in item['spec'])) return item;
  const { crossplane: _machinery, ...spec } = item['spec'];
  return withFields(item, { spec });
}

/** A list of strings the rules can look at item by item; a longer one only gets the schema's too-many-items error. */
function isStringList(value: unknown, maxItems: number): value is string[] {
  return Array.isArray(value) && value.length <= maxItems && value.every((entry) => typeof entry === 'string');
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
}
