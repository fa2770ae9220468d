/**
 * Properties over thousands of generated inputs (fixed seed, so every run tries the same cases): the core
 * never throws and always answers with resources or an error; the KRM adapter loses nothing; its output is
 * a fixed point; foreign items come back as written; the order of streams changes nothing; and no secret
 * value escapes its Secret in KRM or legacy plugin mode. The gRPC side is in grpc-secrets.test.ts.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import type { KubeObject } from '../../src/core/index.js';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseYaml, parseYamlDocuments, stringifyYaml, stringifyYamlDocuments } from '../../src/krm/yaml.js';
import { anyMetadata, anySpec, anyStatus, configSpec, dnsName, foreignItemText, secretValue, SEED, streamItem, streamName, validStreamBody } from './arbitraries.js';
import type { Json, JsonObject } from './arbitraries.js';
import { allowedInKrmOutput, leaksOf, placeSecret, SECRET_PLACEMENTS, textHolds } from './leaks.js';
import { recordCount } from './summary.js';

const runs = new Map<string, number>();
afterAll(() => {
  for (const [label, count] of runs) recordCount(`property cases: ${label}`, count);
});

/** fc.assert with the shared seed, counting the cases it ran under `label`. */
function check<T>(label: string, numRuns: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  let count = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      count += 1;
      predicate(value);
    }),
    { seed: SEED, numRuns },
  );
  runs.set(label, numRuns);
  expect(count).toBeGreaterThanOrEqual(numRuns);
}

const encode = (text: string) => new TextEncoder().encode(text);
const configItem = (spec: JsonObject): JsonObject => ({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'expansion' }, spec });
const kptPath = (name: string, index: number) => ({
  'config.kubernetes.io/index': '0',
  'config.kubernetes.io/path': `streams/${index}.yaml`,
  'internal.config.kubernetes.io/index': '0',
  'internal.config.kubernetes.io/path': `streams/${index}.yaml`,
  'internal.config.kubernetes.io/id': String(index + 1),
  'config.k8s.io/id': String(index + 1),
  'example.com/stream': name,
});

interface Package {
  readonly streams: JsonObject[];
  readonly foreign: string[];
  readonly config: JsonObject;
}

/** Items as a kpt package holds them: the source text of a ResourceList, foreign items exactly as written. */
function packageText({ streams, foreign, config }: Package): string {
  const streamText = streams.length > 0 ? stringifyYaml(streams) : '';
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${streamText}${foreign.join('')}functionConfig:\n${indent(stringifyYaml(configItem(config)))}`;
}

const indent = (text: string) => text.replace(/^(?=.)/gm, '  ');

/** 1–4 valid streams with distinct names, with kpt's annotations on some; inline secrets from `value`. */
function validStreams(value: fc.Arbitrary<string | undefined> = fc.constant(undefined), minLength = 1): fc.Arbitrary<JsonObject[]> {
  const names = fc.uniqueArray(fc.tuple(streamName, fc.constantFrom('identity', 'payments'), fc.boolean()), {
    selector: ([name, namespace]) => `${namespace}/${name}`,
    minLength,
    maxLength: 4,
  });
  return fc
    .tuple(names, fc.array(validStreamBody(value), { minLength: 4, maxLength: 4 }))
    .map(([named, bodies]) =>
      named.map(([name, namespace, annotated], index) => streamItem({ name, namespace, ...(annotated && { annotations: kptPath(name, index) }) }, bodies[index]!)),
    );
}

const validPackage: fc.Arbitrary<Package> = fc.record({
  streams: validStreams(fc.option(secretValue, { nil: undefined })),
  foreign: fc.array(foreignItemText, { maxLength: 3 }),
  config: configSpec,
});

describe('the core', () => {
  it('never throws on any Auth0EventStream, and answers with resources or with an error finding', () => {
    const item = fc.record({ metadata: anyMetadata, spec: anySpec, status: anyStatus, config: configSpec });
    check('arbitrary specs through the core', 4000, item, ({ metadata, spec, status, config }) => {
      const reading = readConfig(configItem(config));
      expect(reading.findings.filter((finding) => finding.severity === 'error')).toStrictEqual([]);
      const stream = { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata, spec, ...(status !== undefined && { status }) };
      const expansion = expandStream(stream, reading.config);
      const errors = expansion.findings.filter((finding) => finding.severity === 'error');
      expect(expansion.ok).toBe(errors.length === 0);
      if (expansion.ok) expect(expansion.resources.length).toBeGreaterThan(0);
      else expect(expansion.resources).toStrictEqual([]);
      for (const finding of expansion.findings) expect(finding.message.length).toBeGreaterThan(20);
    });
  });
});

describe('the KRM adapter', () => {
  it('answers any list of items with a ResourceList that keeps every item it does not own, exit 1 exactly when there is an error', () => {
    const anyItem = fc.oneof(
      fc.record({ apiVersion: fc.constant('auth0.openmcf.org/v1'), kind: fc.constant('Auth0EventStream'), metadata: anyMetadata, spec: anySpec }),
      fc.record({
        apiVersion: fc.constant('v1'),
        kind: fc.constant('ConfigMap'),
        metadata: fc.record({ name: dnsName }),
        data: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string()),
      }),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    );
    check('arbitrary items through the KRM adapter', 1500, fc.tuple(fc.array(anyItem, { maxLength: 5 }), configSpec), ([items, config]) => {
      const run = runResourceList(encode(stringifyYaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig: configItem(config) })));
      const output = parseYaml(run.stdout) as { kind: string; items: unknown[]; results?: Array<{ severity: string }> };
      expect(output.kind).toBe('ResourceList');
      expect(run.exitCode).toBe((output.results ?? []).some((result) => result.severity === 'error') ? 1 : 0);
      expect(run.stderr.length).toBe((output.results ?? []).length);
      const foreign = items.filter((item) => (item as { kind?: unknown } | null)?.kind !== 'Auth0EventStream');
      for (const item of foreign) expect(output.items).toContainEqual(item);
    });
  });

  it('is idempotent: its output, run again, comes back byte for byte (stdout, stderr and exit code)', () => {
    check('idempotency f(f(x)) = f(x)', 2000, validPackage, (pkg) => {
      const first = runResourceList(encode(packageText(pkg)));
      const second = runResourceList(encode(first.stdout));
      expect(second).toStrictEqual(first);
    });
  });

  it('writes foreign items back exactly as they were written, comments and quoting included', () => {
    check('foreign items preserved byte for byte', 2000, validPackage, (pkg) => {
      const run = runResourceList(encode(packageText(pkg)));
      for (const text of pkg.foreign) expect(run.stdout).toContain(text);
    });
  });

  it('generates the same resources and results for each stream, whatever the order of the streams', () => {
    const permuted = fc.tuple(validStreams(fc.constant(undefined), 2), fc.array(fc.double({ noNaN: true }), { minLength: 4, maxLength: 4 }), configSpec).map(
      ([streams, keys, config]) =>
        [
          streams,
          streams
            .map((stream, index) => [keys[index]!, stream] as const)
            .sort(([a], [b]) => a - b)
            .map(([, stream]) => stream),
          config,
        ] as const,
    );
    check('stream order permutations', 2000, permuted, ([streams, shuffled, config]) => {
      const generated = (order: JsonObject[]) => {
        const run = runResourceList(encode(packageText({ streams: order, foreign: [], config })));
        const output = parseYaml(run.stdout) as { items: KubeObject[]; results?: unknown[] };
        const byName = new Map(output.items.map((item) => [`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, item]));
        return {
          items: new Map([...byName].sort(([a], [b]) => (a < b ? -1 : 1))),
          results: new Set((output.results ?? []).map((result) => JSON.stringify(result))),
          exitCode: run.exitCode,
        };
      };
      expect(generated(shuffled)).toStrictEqual(generated(streams));
    });
  });
});

/** `value` with every string equal to `from` replaced by `to`. */
function replaced(value: Json, from: string, to: string): Json {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((child) => replaced(child, from, to));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, replaced(child, from, to)]));
}

describe('secrets in KRM and legacy plugin mode', () => {
  /**
   * Packages with inline secrets in every method, and the same secret placed in each stream in one of the ways
   * of SECRET_PLACEMENTS (endpoint userinfo, query and fragment, URLs in other fields, secret fields of the wrong
   * shape or place), under every policy: many different rules fire on the secret's value.
   */
  const placeholder = '\u0000secret\u0000';
  const secretPackage = fc
    .tuple(
      secretValue,
      validStreams(fc.option(fc.constant(placeholder), { nil: undefined })),
      fc.array(fc.constantFrom(...SECRET_PLACEMENTS), { minLength: 4, maxLength: 4 }),
      configSpec,
    )
    .map(([secret, streams, placements, config]) => {
      const placed = streams.map((stream, index) => placeSecret(replaced(stream, placeholder, secret) as JsonObject, secret, placements[index]!));
      return [secret, placed, config] as const;
    });

  /** Rule ids seen in the results, to show that the cases make many different rules fire. */
  const rulesSeen = { resourceList: new Set<string>(), legacy: new Set<string>() };
  const noteRules = (seen: Set<string>, results: unknown) => {
    for (const result of (results ?? []) as Array<{ tags?: { rule?: string } }>) if (result.tags?.rule) seen.add(result.tags.rule);
  };

  it('ResourceList mode: the value is only in the source item, the generated Secret and the endpoint the user wrote, never in results or stderr', () => {
    check('secret leaks (ResourceList mode)', 1500, secretPackage, ([secret, streams, config]) => {
      const run = runResourceList(encode(packageText({ streams, foreign: [], config })));
      const output = parseYaml(run.stdout) as { results?: unknown };
      noteRules(rulesSeen.resourceList, output.results);
      expect(leaksOf(secret, output, allowedInKrmOutput(1, secret))).toStrictEqual([]);
      expect(run.stderr.filter((line) => textHolds(line, secret))).toStrictEqual([]);
    });
    expect(rulesSeen.resourceList.size).toBeGreaterThanOrEqual(20);
  });

  it('legacy plugin mode: the same, with the config from the plugin file and the items as documents', () => {
    check('secret leaks (legacy plugin mode)', 1500, secretPackage, ([secret, streams, config]) => {
      const run = runLegacyPlugin(stringifyYaml(configItem(config)), encode(stringifyYamlDocuments(streams)));
      const documents = parseYamlDocuments(run.stdout);
      const [first] = documents as Array<{ kind?: unknown; results?: unknown }>;
      const [tree, itemsAt] = run.exitCode === 1 && first?.kind === 'ResourceList' ? [first, 1] : [documents, 0];
      expect(run.exitCode === 1).toBe(first?.kind === 'ResourceList');
      noteRules(rulesSeen.legacy, first?.results);
      expect(leaksOf(secret, tree, allowedInKrmOutput(itemsAt, secret))).toStrictEqual([]);
      expect(run.stderr.filter((line) => textHolds(line, secret))).toStrictEqual([]);
    });
    expect(rulesSeen.legacy.size).toBeGreaterThanOrEqual(20);
  });
});
