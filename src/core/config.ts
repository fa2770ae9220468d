/**
 * Reads the function's configuration from whatever the orchestrator hands over: nothing, kpt's empty
 * placeholder, a ConfigMap with string data, or a typed ExpansionConfig (KRM functionConfig or Crossplane
 * step input). Every shape ends as one fully defaulted `ExpansionConfig`; a broken one as the best that can be
 * salvaged from it (every setting that is valid on its own, defaults for the rest), so that the adapters can
 * still validate the streams and report every problem at once.
 */
import type { ConfigReading } from './api.js';
import type { ExpansionConfig, Route } from './schema/index.js';
import { STREAM_PARTS, routeParts, type EventBridgePart } from './destinations/index.js';
import { hasErrors, quote, report, sortFindings } from './findings.js';
import { closest, suggestionBudget } from './suggest.js';
import { RULES } from './rules.js';
import { normalize } from './normalize.js';
import { formatPath, snakeToCamel } from './paths.js';
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
  writeDefaults: (spec, value) => (spec['writeDefaults'] = value),
  markLocalConfig: (spec, value) => (spec['markLocalConfig'] = value),
  webhookCredentials: (spec, value) => (spec['webhookCredentials'] = value),
  terraformProviderConfig: (spec, value) => (providerRef(spec, 'terraform')['name'] = value),
  terraformProviderConfigKind: (spec, value) => (providerRef(spec, 'terraform')['kind'] = value),
  awsProviderConfig: (spec, value) => (providerRef(spec, 'aws')['name'] = value),
  awsProviderConfigKind: (spec, value) => (providerRef(spec, 'aws')['kind'] = value),
};

/** ConfigMap keys whose value is a boolean written as a string. */
const booleanKeys: ReadonlySet<string> = new Set(['writeDefaults', 'markLocalConfig']);

/** Where each ConfigMap key lands in the spec, for naming the key in findings about that spec field. */
const specPathOfKey: Readonly<Record<string, string>> = {
  terraformProviderConfig: 'terraform.providerConfigRef.name',
  terraformProviderConfigKind: 'terraform.providerConfigRef.kind',
  awsProviderConfig: 'aws.providerConfigRef.name',
  awsProviderConfigKind: 'aws.providerConfigRef.kind',
};

/** The ConfigMap keys, for help texts. */
export const CONFIG_MAP_KEYS: readonly string[] = Object.keys(configMapKeys);

/** Top-level fields of each configuration shape; anything else is a mistake worth saying (e.g. `routes:` beside `spec`). */
const EXPANSION_CONFIG_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;
const CONFIG_MAP_FIELDS = ['apiVersion', 'kind', 'metadata', 'data', 'immutable'] as const;

type MutableSpec = Record<string, unknown>;

export function isExpansionConfig(obj: unknown): boolean {
  return isRecord(obj) && obj['apiVersion'] === CONFIG_API_VERSION && obj['kind'] === CONFIG_KIND;
}

export function readConfig(raw: unknown): ConfigReading {
  if (raw === undefined || raw === null) return fromSpec({}, 'spec');
  if (!isRecord(raw)) {
    return defaultsWith([report(RULES['invalid-config'], `The function configuration must be an object, not ${quote(raw)}. ${acceptedKinds}`)]);
  }
  const { apiVersion, kind } = raw;
  if (apiVersion === undefined && kind === undefined && Object.keys(raw).length === 0) return fromSpec({}, 'spec');
  if (kind === 'ConfigMap' && (apiVersion === 'v1' || apiVersion === undefined)) {
    return withFindings(fromConfigMap(raw['data']), unknownTopLevelFields(raw, CONFIG_MAP_FIELDS, 'data', CONFIG_MAP_KEYS));
  }
  if (isExpansionConfig(raw)) {
    const unknown = unknownTopLevelFields(raw, EXPANSION_CONFIG_FIELDS, 'spec', Object.keys(configSchema.properties ?? {}));
    const spec = raw['spec'];
    if (spec === undefined || spec === null) return withFindings(fromSpec({}, 'spec'), unknown);
    if (!isRecord(spec)) {
      return defaultsWith([...unknown, report(RULES['wrong-type'], `spec of the ExpansionConfig must be an object. ${acceptedKinds}`, { path: 'spec' })]);
    }
    return withFindings(fromSpec(spec, 'spec'), unknown);
  }
  return defaultsWith([
    report(RULES['unsupported-config-kind'], `Function configuration ${quote(`${String(kind)}.${String(apiVersion)}`)} is not supported. ${acceptedKinds}`, {
      path: 'kind',
      currentValue: kind,
    }),
  ]);
}

const acceptedKinds = `Use a ConfigMap with data keys (${Object.keys(configMapKeys).join(', ')}) or apiVersion: ${CONFIG_API_VERSION}, kind: ${CONFIG_KIND}.`;

/**
 * Top-level fields a configuration shape does not have. A setting written beside `spec` (or `data`) instead of
 * under it is named with its right place; anything else gets the closest known field.
 */
function unknownTopLevelFields(raw: Record<string, unknown>, known: readonly string[], settingsField: string, settings: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const budget = suggestionBudget();
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const setting = settings.includes(key) ? key : settings.find((candidate) => candidate === snakeToCamel(key));
    const suggestion = setting !== undefined ? `${settingsField}.${setting}` : closest(key, known, undefined, budget);
    const fix =
      setting !== undefined
        ? `did you mean ${suggestion}? Settings go under ${settingsField}.`
        : suggestion !== undefined
          ? `did you mean ${suggestion}?`
          : `known fields: ${known.join(', ')}.`;
    findings.push(
      report(RULES['unknown-field'], `${key} is not a field of the function configuration; ${fix}`, { path: key, ...(suggestion ? { proposedValue: suggestion } : {}) }),
    );
  }
  return findings;
}

function fromConfigMap(data: unknown): ConfigReading {
  if (data === undefined || data === null) return fromSpec({}, 'data');
  if (!isRecord(data)) return defaultsWith([report(RULES['wrong-type'], `data of the ConfigMap must be a map of strings.`, { path: 'data' })]);
  const spec: MutableSpec = {};
  const findings: Finding[] = [];
  /** The key as the user wrote it, by the key it stands for (`event_types` → `eventTypes`). */
  const spelledAs = new Map<string, string>();
  const budget = suggestionBudget();
  for (const [written, value] of Object.entries(data)) {
    const path = `data.${written}`;
    const key = Object.hasOwn(configMapKeys, written) ? written : snakeToCamel(written);
    const apply = Object.hasOwn(configMapKeys, key) ? configMapKeys[key] : undefined;
    if (apply === undefined) {
      const routes = written === 'routes' ? ' Routes need the typed ExpansionConfig.' : '';
      const suggestion = closest(written, CONFIG_MAP_KEYS, undefined, budget);
      const hint = suggestion !== undefined ? ` Did you mean ${suggestion}?` : '';
      findings.push(
        report(RULES['unknown-field'], `${path} is not a known setting.${routes}${hint} Known keys: ${CONFIG_MAP_KEYS.join(', ')}.`, {
          path,
          ...(suggestion ? { proposedValue: suggestion } : {}),
        }),
      );
      continue;
    }
    const earlier = spelledAs.get(key);
    if (earlier !== undefined) {
      findings.push(report(RULES['mixed-spelling'], `data.${earlier} and ${path} are the same setting spelled two ways; keep one of them.`, { path }));
      continue;
    }
    spelledAs.set(key, written);
    if (booleanKeys.has(key)) {
      const flag = typeof value === 'boolean' ? value : typeof value === 'string' ? parseBoolean(value) : undefined;
      if (flag === undefined) {
        findings.push(
          report(RULES['invalid-value'], `${path} must be "true" or "false" (ConfigMap values are strings), not ${quote(value)}.`, {
            path,
            currentValue: value,
          }),
        );
      } else {
        spec[key] = flag;
      }
    } else if (typeof value !== 'string') {
      findings.push(report(RULES['wrong-type'], `${path} must be a string (ConfigMap values are strings), not ${quote(value)}.`, { path, currentValue: value }));
    } else {
      apply(spec, value);
    }
  }
  const keyOfSpecPath = new Map([...spelledAs].map(([key, written]) => [specPathOfKey[key] ?? key, written]));
  return withFindings(
    fromSpec(spec, 'data', (specPath) => `data.${keyOfSpecPath.get(specPath) ?? specPath}`),
    findings,
  );
}

function fromSpec(spec: Record<string, unknown>, prefix: string, rename?: (specPath: string) => string): ConfigReading {
  const normalized = normalize(spec, configSchema);
  const candidate = normalized.value as Record<string, unknown>;
  const findings: Finding[] = [...normalized.findings];
  if (!validateConfig(candidate)) {
    const raw = schemaFindings(validateConfig.errors ?? [], normalized, configSchema, [prefix]);
    for (const finding of raw) findings.push(rename ? renamePath(finding, prefix, rename) : finding);
    return { config: salvage(candidate, prefix), findings: sortFindings(findings) };
  }
  const routes = resolveRoutes(candidate.routes, prefix, findings);
  for (const clash of routeClashes(routes, prefix)) findings.push(clash);
  return { config: { ...candidate, routes }, findings: sortFindings(findings) };
}

/**
 * The defaults with every top-level setting of `candidate` that is valid on its own: what the streams are
 * validated against while the configuration itself is broken.
 */
function salvage(candidate: Record<string, unknown>, prefix: string): ExpansionConfig {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) {
    const probe: Record<string, unknown> = { [key]: structuredClone(value) };
    if (validateConfig(probe)) kept[key] = Reflect.get(probe, key);
  }
  // Each kept setting is valid on its own and the rest are defaults, so this cannot fail.
  if (!validateConfig(kept)) throw new Error('the salvaged configuration does not validate');
  const ignored: Finding[] = [];
  const routes = resolveRoutes(kept.routes, prefix, ignored);
  return { ...kept, routes: hasErrors(ignored) ? [] : routes };
}

function resolveRoutes(routes: readonly Route[], prefix: string, findings: Finding[]): Route[] {
  const names = new Set<string>();
  const budget = suggestionBudget();
  return routes.map((route, index) => {
    const path = formatPath([prefix, 'routes', index]);
    if (names.has(route.name)) {
      findings.push(report(RULES['duplicate-route'], `${path}.name ${quote(route.name)} is used by another route; route names must be unique.`, { path: `${path}.name` }));
    }
    names.add(route.name);
    const resolved = resolveEventTypes(route.eventTypes, (i) => `${path}.eventTypes[${i}]`, 'strict', budget);
    for (const finding of resolved.findings) findings.push(finding);
    return { ...route, eventTypes: resolved.types };
  });
}

/**
 * Routes whose generated resources would take the Crossplane role or the name of another generated resource of
 * the same stream (route `events` and the stream's own `<name>-events` Rule; routes `a` and `a-target-0`):
 * one error per clash, naming both.
 */
function routeClashes(routes: readonly Route[], prefix: string): Finding[] {
  const findings: Finding[] = [];
  const byRole = new Map<string, EventBridgePart>();
  const byName = new Map<string, EventBridgePart>();
  const claim = (part: EventBridgePart): EventBridgePart | undefined => {
    const nameKey = `${part.part}/${part.suffix}`;
    const clash = byRole.get(part.role) ?? byName.get(nameKey);
    if (clash !== undefined) return clash;
    byRole.set(part.role, part);
    byName.set(nameKey, part);
    return undefined;
  };
  for (const part of STREAM_PARTS) claim(part);
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    if (seen.has(route.name)) return; // a duplicate name is reported as such
    seen.add(route.name);
    const path = `${formatPath([prefix, 'routes', index])}.name`;
    for (const part of routeParts(route)) {
      const clash = claim(part);
      if (clash === undefined) continue;
      const shared = clash.role === part.role ? `the composition resource name ${quote(part.role)}` : `the name <stream>-${part.suffix}`;
      findings.push(
        report(RULES['generated-name-clash'], `${path}: ${part.origin} would get ${shared}, which ${clash.origin} already has; rename the route.`, {
          path,
          currentValue: route.name,
        }),
      );
    }
  });
  return findings;
}

function renamePath(finding: Finding, prefix: string, rename: (specPath: string) => string): Finding {
  if (finding.path === undefined || !finding.path.startsWith(`${prefix}.`)) return finding;
  const renamed = rename(finding.path.slice(prefix.length + 1));
  return { ...finding, path: renamed, message: finding.message.replaceAll(finding.path, renamed) };
}

function withFindings(reading: ConfigReading, findings: readonly Finding[]): ConfigReading {
  return findings.length === 0 ? reading : { config: reading.config, findings: sortFindings([...findings, ...reading.findings]) };
}

function defaultsWith(findings: Finding[]): ConfigReading {
  const fallback = readConfig(undefined).config;
  return { config: fallback, findings: sortFindings(findings) };
}

function providerRef(spec: MutableSpec, provider: 'terraform' | 'aws'): MutableSpec {
  const section = (spec[provider] ??= {}) as MutableSpec;
  return (section['providerConfigRef'] ??= {}) as MutableSpec;
}

function parseBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'yes' || lower === '1') return true;
  if (lower === 'false' || lower === 'no' || lower === '0' || lower === '') return false;
  return undefined;
}
