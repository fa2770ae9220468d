/** Test-only builders for KRM inputs: streams, annotated items and ResourceLists as kpt sends them. */
import type { KubeObject } from '../../src/core/index.js';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import type { RunOutput } from '../../src/krm/run.js';
import { parseYaml, parseYamlDocuments, stringifyYaml, stringifyYamlDocuments } from '../../src/krm/yaml.js';

export interface StreamOptions {
  readonly namespace?: string;
  /** Replaces the default webhook spec (bearer token from a Secret). */
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}

/** A valid webhook Auth0EventStream, or whatever `options.spec` says. */
export function stream(name: string, options: StreamOptions = {}): KubeObject {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: {
      name,
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.annotations !== undefined && { annotations: options.annotations }),
    },
    spec: options.spec ?? webhookSpec(),
    ...(options.status !== undefined && { status: options.status }),
  };
}

export function webhookSpec(subscriptions: readonly string[] = ['user.created']): Record<string, unknown> {
  return {
    destination_type: 'webhook',
    subscriptions: [...subscriptions],
    webhook_configuration: {
      webhook_endpoint: 'https://hooks.example.com/auth0',
      webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'auth0-hook', key: 'token' } },
    },
  };
}

export function eventbridgeSpec(awsAccountId = '123456789012', awsRegion = 'us-east-1'): Record<string, unknown> {
  return {
    destination_type: 'eventbridge',
    subscriptions: ['user.created'],
    eventbridge_configuration: { aws_account_id: awsAccountId, aws_region: awsRegion },
  };
}

export function configMap(name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(annotations && { annotations }) }, data };
}

export function expansionConfig(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
    kind: 'ExpansionConfig',
    metadata: { name: 'expansion', ...(annotations && { annotations }) },
    spec,
  };
}

/** The annotations kpt puts on an item read from `path` at `index` (with id `id`). */
export function kptAnnotations(path: string, index: number, id?: number): Record<string, string> {
  return {
    'config.kubernetes.io/index': String(index),
    'config.kubernetes.io/path': path,
    'internal.config.kubernetes.io/index': String(index),
    'internal.config.kubernetes.io/path': path,
    'internal.config.kubernetes.io/seqindent': 'compact',
    ...(id !== undefined && { 'internal.config.kubernetes.io/id': String(id), 'config.k8s.io/id': String(id) }),
  };
}

/** `object` with `annotations` added after its own. */
export function annotate<T extends KubeObject>(object: T, annotations: Record<string, string>): T {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...annotations } } };
}

/** kpt's placeholder functionConfig for `kpt fn eval` without config, keys in kpt's order. */
export const KPT_EMPTY_FUNCTION_CONFIG = { metadata: { name: 'function-input' }, data: {}, kind: 'ConfigMap', apiVersion: 'v1' };

export function resourceList(items: readonly unknown[], functionConfig?: unknown): Record<string, unknown> {
  return {
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items,
    ...(functionConfig !== undefined && { functionConfig }),
  };
}

export function yamlBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(stringifyYaml(value));
}

export interface ParsedRun {
  readonly output: Record<string, unknown>;
  readonly stdout: string;
  readonly stderr: readonly string[];
  readonly exitCode: number;
}

/** Runs the ResourceList mode on `list` (serialised as YAML) and parses what it printed. */
export function runOn(list: unknown): ParsedRun {
  return parsed(runResourceList(yamlBytes(list)));
}

export function parsed(run: RunOutput): ParsedRun {
  return { output: parseYaml(run.stdout) as Record<string, unknown>, stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode };
}

/** Runs the legacy kustomize plugin mode; stdin is `items` as multi-document YAML. */
export function runLegacyOn(config: unknown, items: readonly unknown[]): { items: unknown[]; stdout: string; stderr: readonly string[]; exitCode: number } {
  const run = runLegacyPlugin(stringifyYaml(config), new TextEncoder().encode(stringifyYamlDocuments(items)));
  const documents = parseYamlDocuments(run.stdout);
  // On an error the plugin answers with a ResourceList (items and results) instead of bare documents.
  const [first] = documents as Array<{ kind?: unknown; items?: unknown[] }>;
  const output = documents.length === 1 && first?.kind === 'ResourceList' ? (first.items ?? []) : documents;
  return { items: output, stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode };
}

/** The items of a run's output. */
export function itemsOf(run: ParsedRun): KubeObject[] {
  return run.output['items'] as KubeObject[];
}
