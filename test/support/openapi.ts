/**
 * Validating objects against real CRDs (../shared/crds) the way the API server would, plus the structural-schema
 * rules our own generated CRDs must follow.
 *
 * The CRD's openAPIV3Schema becomes an ajv schema in which every object that lists `properties` is closed
 * (Kubernetes would silently prune an unknown field — exactly the bug to catch), `x-kubernetes-int-or-string`
 * accepts both, and `x-kubernetes-preserve-unknown-fields` keeps an object open. CEL rules
 * (`x-kubernetes-validations`) are not evaluated here; tests check the ones that matter by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { recordSkip } from './skips.js';
import { repoRoot } from './tools.js';

export const sharedCrdsDir = resolve(repoRoot, '..', 'shared', 'crds');

/** Whether ../shared/crds is there; in CI its absence fails, elsewhere tests skip with a printed reason. */
export function sharedCrdsAvailable(): boolean {
  if (existsSync(sharedCrdsDir)) return true;
  const reason = `${sharedCrdsDir} is absent, so generated resources, the Crossplane packages and the install manifests are not checked against the real CRDs`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}; CI needs it`);
  console.warn(`skipping CRD conformance tests: ${reason}`);
  recordSkip(reason, repoRoot);
  return false;
}

type Schema = Record<string, unknown>;

interface Crd {
  spec: { group: string; names: { kind: string }; scope: string; versions: Array<{ name: string; schema?: { openAPIV3Schema: Schema } }> };
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const byKey = new Map<string, ValidateFunction>();
const crdFiles = new Map<string, Crd>();

function crdFor(group: string, kind: string): Crd {
  const cached = crdFiles.get(`${group}/${kind}`);
  if (cached) return cached;
  const plural = `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}`;
  const file = join(sharedCrdsDir, `${group}_${plural}.yaml`);
  const crd = load(readFileSync(file, 'utf8')) as Crd;
  crdFiles.set(`${group}/${kind}`, crd);
  return crd;
}

/** Problems of `object` against the CRD of its apiVersion and kind (empty when valid). */
export function crdErrors(object: { apiVersion: string; kind: string } & Record<string, unknown>): string[] {
  const [group, version] = object.apiVersion.split('/') as [string, string];
  const key = `${object.apiVersion}/${object.kind}`;
  let validate = byKey.get(key);
  if (validate === undefined) {
    const crd = crdFor(group, object.kind);
    const found = crd.spec.versions.find((candidate) => candidate.name === version);
    if (found?.schema === undefined) return [`${key}: the CRD has no version ${version}`];
    const compiled = ajv.compile(toAjv(found.schema.openAPIV3Schema));
    byKey.set(key, compiled);
    validate = compiled;
  }
  const errors = validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  return [...errors, ...metadataErrors(object)];
}

export function crdScope(apiVersion: string, kind: string): string {
  return crdFor(apiVersion.split('/')[0]!, kind).spec.scope;
}

function metadataErrors(object: Record<string, unknown>): string[] {
  const metadata = object['metadata'] as { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> } | undefined;
  const errors: string[] = [];
  const name = metadata?.name;
  const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  if (typeof name !== 'string' || !dnsSubdomain.test(name) || name.length > 253) errors.push(`metadata.name ${JSON.stringify(name)} is not a DNS subdomain`);
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value))
      errors.push(`label ${key}=${JSON.stringify(value)} is not a valid label value`);
  }
  return errors;
}

/** An OpenAPI v3 CRD schema as a closed ajv schema. */
export function toAjv(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'example' || key === 'externalDocs') continue;
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, toAjv(child)]));
    else if (key === 'items' || key === 'not') out[key] = toAjv(value as Schema);
    else if (key === 'additionalProperties') out[key] = typeof value === 'object' ? toAjv(value as Schema) : value;
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as Schema[]).map(toAjv);
    else out[key] = value;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  delete out['nullable'];
  if (out['properties'] !== undefined && out['additionalProperties'] === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out['additionalProperties'] = false;
  }
  return out;
}

const allowedKeywords = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'nullable',
]);

/**
 * Kubernetes structural-schema rules: a type on every node (unless int-or-string or preserve-unknown-fields),
 * no `$ref`/`definitions`/`const`, no keyword outside JSONSchemaProps, `properties` and `additionalProperties`
 * not together, and defaults that match their own schema.
 */
export function structuralErrors(node: Schema, path = ''): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(node)) {
    if (!allowedKeywords.has(key) && !key.startsWith('x-kubernetes-')) errors.push(`${path || '/'}: ${key} is not allowed in a CRD schema`);
  }
  if (node['type'] === undefined && node['x-kubernetes-int-or-string'] !== true && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    errors.push(`${path || '/'}: no type`);
  }
  if (node['properties'] !== undefined && node['additionalProperties'] !== undefined) errors.push(`${path || '/'}: properties and additionalProperties together`);
  if (node['default'] !== undefined) {
    const validate = ajv.compile(toAjv({ ...node, default: undefined }));
    if (!validate(node['default'])) errors.push(`${path || '/'}: default ${JSON.stringify(node['default'])} does not match its schema`);
  }
  for (const [name, child] of Object.entries((node['properties'] ?? {}) as Record<string, Schema>)) errors.push(...structuralErrors(child, `${path}.${name}`));
  if (typeof node['items'] === 'object') errors.push(...structuralErrors(node['items'] as Schema, `${path}[]`));
  if (typeof node['additionalProperties'] === 'object') errors.push(...structuralErrors(node['additionalProperties'] as Schema, `${path}{}`));
  return errors;
}

/** Fields of ObjectMeta a user may set; an API server drops anything else (such as OpenMCF's metadata.org and metadata.env). */
const objectMetaFields = new Set(['name', 'generateName', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']);

/** A closed schema of a built-in object: apiVersion, kind, metadata and the given fields. */
function builtinSchema(fields: Record<string, Schema>): Schema {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    additionalProperties: false,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, immutable: { type: 'boolean' }, ...fields },
  };
}

const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };

/** The built-in kinds a package may hold next to the generated resources, as closed schemas of what the API server keeps. */
const builtinSchemas: Record<string, Schema> = {
  'v1/ConfigMap': builtinSchema({ data: stringMap, binaryData: stringMap }),
  'v1/Secret': builtinSchema({ type: { type: 'string' }, data: stringMap, stringData: stringMap }),
};

/**
 * What a cluster would say to applying `object`: its kind must be a built-in one or have a CRD (else "no matches
 * for kind"), it must validate against that schema, and its metadata must hold only ObjectMeta fields with a
 * valid name and labels. Empty when the cluster would take it as it is.
 */
export function clusterErrors(object: { apiVersion: string; kind: string } & Record<string, unknown>): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  const extraMeta = Object.keys(metadata)
    .filter((field) => !objectMetaFields.has(field))
    .map((field) => `metadata.${field} is not an ObjectMeta field; the API server drops it`);
  const builtin = builtinSchemas[key];
  if (builtin !== undefined) {
    const validate = ajv.compile(builtin);
    const errors = validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    return [...errors, ...metadataErrors(object), ...extraMeta];
  }
  const [group] = object.apiVersion.split('/') as [string];
  const plural = `${object.kind.toLowerCase()}${object.kind.endsWith('s') ? 'es' : 's'}`;
  if (!object.apiVersion.includes('/') || !existsSync(join(sharedCrdsDir, `${group}_${plural}.yaml`))) {
    return [`no matches for kind "${object.kind}" in version "${object.apiVersion}" (no CRD in ${sharedCrdsDir} and not a built-in kind)`];
  }
  return [...crdErrors(object), ...extraMeta];
}
