/**
 * Reads the function's configuration from whatever the orchestrator hands over: nothing, kpt's empty
 * placeholder, a ConfigMap with string data, or a typed ExpansionConfig (KRM functionConfig or Crossplane
 * step input). Every shape ends as one fully defaulted `ExpansionConfig`.
 */
import type { ConfigReading } from './api.js';
import type { ExpansionConfig, Route } from './config-types.js';
import { error, quote, sortFindings, hasErrors } from './findings.js';
import { normalize } from './normalize.js';
import { formatPath } from './paths.js';
import { configSchema, validateConfig } from './schema/index.js';
import { schemaFindings } from './schema-findings.js';
import { resolveEventTypes } from './subscriptions.js';
import type { Finding } from './types.js';
import { isRecord } from './records.js';

export const CONFIG_API_VERSION = 'fn.auth0.openmcf.org/v1alpha1';
export const CONFIG_KIND = 'ExpansionConfig';

/** ConfigMap `data` keys and where each lands in the ExpansionConfig spec. */
const configMapKeys: Readonly<Record<string, (spec: MutableSpec, value: string) => void>> = {
  scope: (spec, value) => (spec['scope'] = value),
  eventTypes: (spec, value) => (spec['eventTypes'] = value),
  inlineCredentials: (spec, value) => (spec['inlineCredentials'] = value),
  writeDefaults: (spec, value) => (spec['writeDefaults'] = parseBoolean(value)),
  webhookCredentials: (spec, value) => (spec['webhookCredentials'] = value),
  terraformProviderConfig: (spec, value) => (providerRef(spec, 'terraform')['name'] = value),
  terraformProviderConfigKind: (spec, value) => (providerRef(spec, 'terraform')['kind'] = value),
  awsProviderConfig: (spec, value) => (providerRef(spec, 'aws')['name'] = value),
  awsProviderConfigKind: (spec, value) => (providerRef(spec, 'aws')['kind'] = value),
};

/** The ConfigMap keys, for help texts. */
export const CONFIG_MAP_KEYS: readonly string[] = Object.keys(configMapKeys);

type MutableSpec = Record<string, unknown>;

export function isExpansionConfig(obj: unknown): boolean {
  return isRecord(obj) && obj['apiVersion'] === CONFIG_API_VERSION && obj['kind'] === CONFIG_KIND;
}

export function readConfig(raw: unknown): ConfigReading {
  if (raw === undefined || raw === null) return fromSpec({}, 'spec');
  if (!isRecord(raw)) {
    return failed([error('invalid-config', `The function configuration must be an object, not ${quote(raw)}. ${acceptedKinds}`)]);
  }
  const { apiVersion, kind } = raw;
  if (apiVersion === undefined && kind === undefined && Object.keys(raw).length === 0) return fromSpec({}, 'spec');
  if (kind === 'ConfigMap' && (apiVersion === 'v1' || apiVersion === undefined)) return fromConfigMap(raw['data']);
  if (isExpansionConfig(raw)) {
    const spec = raw['spec'];
    if (spec === undefined || spec === null) return fromSpec({}, 'spec');
    if (!isRecord(spec)) return failed([error('wrong-type', `spec of the ExpansionConfig must be an object. ${acceptedKinds}`, { path: 'spec' })]);
    return fromSpec(spec, 'spec');
  }
  return failed([
    error('unsupported-config-kind', `Function configuration ${quote(`${String(kind)}.${String(apiVersion)}`)} is not supported. ${acceptedKinds}`, {
      path: 'kind',
      currentValue: kind,
    }),
  ]);
}

const acceptedKinds = `Use a ConfigMap with data keys (${Object.keys(configMapKeys).join(', ')}) or apiVersion: ${CONFIG_API_VERSION}, kind: ${CONFIG_KIND}.`;

function fromConfigMap(data: unknown): ConfigReading {
  if (data === undefined || data === null) return fromSpec({}, 'data');
  if (!isRecord(data)) return failed([error('wrong-type', `data of the ConfigMap must be a map of strings.`, { path: 'data' })]);
  const spec: MutableSpec = {};
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(data)) {
    const path = `data.${key}`;
    const apply = Object.hasOwn(configMapKeys, key) ? configMapKeys[key] : undefined;
    if (apply === undefined) {
      const routes = key === 'routes' ? ' Routes need the typed ExpansionConfig.' : '';
      findings.push(error('unknown-field', `${path} is not a known setting.${routes} Known keys: ${Object.keys(configMapKeys).join(', ')}.`, { path }));
    } else if (typeof value !== 'string' && typeof value !== 'boolean') {
      findings.push(error('wrong-type', `${path} must be a string.`, { path }));
    } else {
      apply(spec, String(value));
    }
  }
  if (findings.length > 0) return failed(findings);
  return fromSpec(spec, 'data', (path) => configMapPath(path));
}

/** Maps a spec path back to the ConfigMap key that set it. */
function configMapPath(specPath: string): string {
  const byField: Record<string, string> = {
    'terraform.providerConfigRef.name': 'terraformProviderConfig',
    'terraform.providerConfigRef.kind': 'terraformProviderConfigKind',
    'aws.providerConfigRef.name': 'awsProviderConfig',
    'aws.providerConfigRef.kind': 'awsProviderConfigKind',
  };
  return `data.${byField[specPath] ?? specPath}`;
}

function fromSpec(spec: Record<string, unknown>, prefix: string, rename?: (specPath: string) => string): ConfigReading {
  const normalized = normalize(spec, configSchema);
  const candidate = normalized.value as Record<string, unknown>;
  const findings: Finding[] = [...normalized.findings];
  if (!validateConfig(candidate)) {
    const raw = schemaFindings(validateConfig.errors ?? [], normalized, configSchema, [prefix]);
    for (const finding of raw) findings.push(rename ? renamePath(finding, prefix, rename) : finding);
  }
  if (hasErrors(findings)) return failed(findings);
  const parsed = candidate as unknown as ExpansionConfig;
  const routes = resolveRoutes(parsed.routes, prefix, findings);
  return { config: { ...parsed, routes }, findings: sortFindings(findings) };
}

function resolveRoutes(routes: readonly Route[], prefix: string, findings: Finding[]): Route[] {
  const names = new Set<string>();
  return routes.map((route, index) => {
    const path = formatPath([prefix, 'routes', index]);
    if (names.has(route.name)) {
      findings.push(error('duplicate-route', `${path}.name ${quote(route.name)} is used by another route; route names must be unique.`, { path: `${path}.name` }));
    }
    names.add(route.name);
    const resolved = resolveEventTypes(route.eventTypes, (i) => `${path}.eventTypes[${i}]`, 'strict');
    for (const finding of resolved.findings) findings.push(finding);
    return { ...route, eventTypes: resolved.types };
  });
}

function renamePath(finding: Finding, prefix: string, rename: (specPath: string) => string): Finding {
  if (finding.path === undefined || !finding.path.startsWith(`${prefix}.`)) return finding;
  const renamed = rename(finding.path.slice(prefix.length + 1));
  return { ...finding, path: renamed, message: finding.message.replaceAll(finding.path, renamed) };
}

function failed(findings: Finding[]): ConfigReading {
  const fallback = readConfig(undefined).config;
  return { config: fallback, findings: sortFindings(findings) };
}

function providerRef(spec: MutableSpec, provider: 'terraform' | 'aws'): MutableSpec {
  const section = (spec[provider] ??= {}) as MutableSpec;
  return (section['providerConfigRef'] ??= {}) as MutableSpec;
}

function parseBoolean(value: string): unknown {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0|)$/i.test(value)) return false;
  return value;
}

