/**
 * What the examples render, judged the way a cluster would judge `kpt live apply` or `kubectl apply -k`: after
 * dropping the items marked `config.kubernetes.io/local-config: "true"` (which kpt skips and kustomize leaves
 * out), no Auth0EventStream or ExpansionConfig is left, and every item validates against the real CRDs in
 * ../shared/crds or is a valid built-in object. Through real kpt and real `kubectl kustomize`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { clusterErrors, sharedCrdsAvailable } from '../support/openapi.js';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';

type Item = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } } & Record<string, unknown>;

const crds = sharedCrdsAvailable();
const kpt = checkTool('kpt');
const kubectl = checkTool('kubectl', ['version', '--client']);
const kptExamples = readdirSync(join(repoRoot, 'examples', 'kpt')).filter((name) => existsSync(join(repoRoot, 'examples', 'kpt', name, 'Kptfile')));

/** The items a cluster would be asked to take: everything not marked as local configuration. */
function applied(items: readonly Item[]): Item[] {
  return items.filter((item) => item.metadata.annotations?.['config.kubernetes.io/local-config'] !== 'true');
}

function judge(items: readonly Item[]): Record<string, string[]> {
  return Object.fromEntries(items.map((item) => [`${item.apiVersion}/${item.kind} ${item.metadata.name}`, clusterErrors(item)]));
}

/** Every document of every YAML file (and the Kptfile) of a package directory. */
function packageItems(dir: string): Item[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && (entry.name === 'Kptfile' || /\.ya?ml$/.test(entry.name)) && !entry.parentPath.includes('.expected'),
  );
  return files.flatMap((entry) => loadAll(readFileSync(join(entry.parentPath, entry.name), 'utf8')) as Item[]).filter((item) => item !== null);
}

describe.skipIf(!crds || !kpt.available)('kpt examples, rendered and judged as a cluster would', () => {
  it.each(kptExamples)('examples/kpt/%s', (example) => {
    const pkg = join(mkdtempSync(join(tmpdir(), `judge-${example}-`)), example);
    cpSync(join(repoRoot, 'examples', 'kpt', example), pkg, { recursive: true, filter: (src) => !src.includes('.expected') });
    const render = spawnSync('kpt', ['fn', 'render', pkg, '--allow-exec'], { encoding: 'utf8', env: envWithFunction() });
    expect(render.status, render.stderr).toBe(0);

    const items = packageItems(pkg);
    const left = applied(items);
    expect(items.filter((item) => item.kind === 'Auth0EventStream').length, 'the package has streams').toBeGreaterThan(0);
    expect(left.filter((item) => item.kind === 'Auth0EventStream' || item.kind === 'ExpansionConfig' || item.kind === 'Kptfile')).toStrictEqual([]);
    expect(left.some((item) => item.kind === 'Workspace')).toBe(true);
    const verdicts = judge(left);
    expect(verdicts).toStrictEqual(Object.fromEntries(Object.keys(verdicts).map((key) => [key, []])));
  });
});

describe.skipIf(!crds || !kubectl.available)('examples/kustomize, built by kubectl kustomize and judged as a cluster would', () => {
  it('leaves only valid objects, and no Auth0EventStream', () => {
    const example = join(repoRoot, 'examples', 'kustomize');
    const output = execFileSync('kubectl', ['kustomize', '--enable-alpha-plugins', example], {
      encoding: 'utf8',
      env: envWithFunction({ KUSTOMIZE_PLUGIN_HOME: join(example, 'plugin') }),
    });
    const items = (loadAll(output) as Item[]).filter((item) => item !== null);
    expect(items.length).toBeGreaterThan(0);
    expect(items.filter((item) => item.kind === 'Auth0EventStream')).toStrictEqual([]);
    const verdicts = judge(applied(items));
    expect(verdicts).toStrictEqual(Object.fromEntries(Object.keys(verdicts).map((key) => [key, []])));
  });
});

describe.skipIf(!crds)('the judgement itself', () => {
  it('refuses what a cluster refuses: an unknown kind, a field the CRD does not have, metadata that is not ObjectMeta, a non-string ConfigMap value', () => {
    expect(
      Object.values(
        judge([
          { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata: { name: 'a' }, spec: {} },
          {
            apiVersion: 'cloudwatchevents.aws.m.upbound.io/v1beta1',
            kind: 'Rule',
            metadata: { name: 'r', namespace: 'n' },
            spec: { forProvider: { region: 'eu-west-1', bogus: 1 } },
          },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', org: 'acme' } as Item['metadata'], data: { a: 1 } },
        ]),
      ).map((errors) => errors.length > 0),
    ).toStrictEqual([true, true, true]);
  });
});
