/**
 * The built executable under the real orchestrators: `kpt fn render` (exec mutator) and `kubectl kustomize`
 * (legacy exec plugin). Skipped where kpt or kubectl is not installed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import type { KubeObject } from '../../src/core/index.js';
import { parseYaml, parseYamlDocuments, stringifyYaml } from '../../src/krm/yaml.js';
import { configMap, expansionConfig, stream, webhookSpec } from '../support/krm.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'auth0-eventstream-fn.cjs');

function installed(tool: string): boolean {
  return spawnSync(tool, ['version', '--client'], { stdio: 'ignore' }).error === undefined;
}

let work = '';
let env: NodeJS.ProcessEnv = {};

beforeEach(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  work = mkdtempSync(join(tmpdir(), 'auth0-es-orchestrators-'));
  // kpt finds `exec: auth0-eventstream-fn` on PATH, as it would find the installed npm bin.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeExecutable(join(bin, 'auth0-eventstream-fn'), BIN);
  env = { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` };
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

function writeExecutable(path: string, target: string): void {
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
  chmodSync(path, 0o755);
}

function run(command: string, args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

/** Every file of a directory tree, by relative path, with its text. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
  }
  return files;
}

function generated(item: KubeObject, functionConfig?: unknown): KubeObject[] {
  return expandStream(item, readConfig(functionConfig).config).resources.map(({ object }) => object);
}

const KPTFILE = `apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: pkg
  annotations:
    config.kubernetes.io/local-config: "true"
pipeline:
  mutators:
    - exec: auth0-eventstream-fn
      configPath: fn-config.yaml
`;

describe.skipIf(!installed('kpt'))('kpt fn render --allow-exec', () => {
  const config = expansionConfig({ scope: 'Namespaced' }, { 'config.kubernetes.io/local-config': 'true' });
  // As after the first render, which marks the stream as local configuration.
  const orders = stream('orders', { namespace: 'shop', annotations: { 'config.kubernetes.io/local-config': 'true' } });
  const other = configMap('other', { flag: 'yes', date: '2024-01-01' });

  function writePackage(streams: string): string {
    const pkg = join(work, 'pkg');
    mkdirSync(join(pkg, 'streams'), { recursive: true });
    writeFileSync(join(pkg, 'Kptfile'), KPTFILE);
    writeFileSync(join(pkg, 'fn-config.yaml'), stringifyYaml(config));
    writeFileSync(join(pkg, 'streams', 'orders.yaml'), streams);
    return pkg;
  }

  const render = (pkg: string) => run('kpt', ['fn', 'render', '--allow-exec', '--truncate-output=false', '--results-dir', join(work, 'results')], pkg);

  it('writes the generated resources next to the stream, keeps the rest byte for byte, and is stable', () => {
    const source = `# Orders\n${stringifyYaml(orders)}---\n${stringifyYaml(other)}`;
    const pkg = writePackage(source);
    const first = render(pkg);
    const afterFirst = snapshot(pkg);
    const second = render(pkg);
    expect({
      status: [first.status, second.status],
      files: Object.keys(afterFirst).sort(),
      source: afterFirst['streams/orders.yaml'],
      generated: parseYamlDocuments(afterFirst['streams/orders.generated.yaml'] ?? ''),
      stable: snapshot(pkg),
    }).toStrictEqual({
      status: [0, 0],
      files: ['Kptfile', 'fn-config.yaml', 'streams/orders.generated.yaml', 'streams/orders.yaml'],
      source,
      generated: generated(orders, config),
      stable: afterFirst,
    });
  });

  it('fails an invalid stream, writes nothing, and reports the file and field in results.yaml', () => {
    const source = stringifyYaml(stream('orders', { namespace: 'shop', spec: webhookSpec(['user.blocked']) }));
    const pkg = writePackage(source);
    const before = snapshot(pkg);
    const result = render(pkg);
    const results = parseYaml(readFileSync(join(work, 'results', 'results.yaml'), 'utf8')) as { items: { results: Record<string, unknown>[] }[] };
    const [first] = results.items[0]?.results ?? [];
    expect({ status: result.status, files: snapshot(pkg), file: first?.['file'], field: (first?.['field'] as { path?: unknown })?.path }).toStrictEqual({
      status: 1,
      files: before,
      file: { path: 'streams/orders.yaml' },
      field: 'spec.subscriptions[0]',
    });
  });

  it('deletes the generated file once the stream is removed', () => {
    const pkg = writePackage(`${stringifyYaml(orders)}---\n${stringifyYaml(other)}`);
    expect(render(pkg).status).toBe(0);
    writeFileSync(join(pkg, 'streams', 'orders.yaml'), stringifyYaml(other));
    expect(render(pkg).status).toBe(0);
    expect(Object.keys(snapshot(pkg)).sort()).toStrictEqual(['Kptfile', 'fn-config.yaml', 'streams/orders.yaml']);
  });
});

describe.skipIf(!installed('kubectl'))('kubectl kustomize --enable-alpha-plugins (legacy exec plugin)', () => {
  const config = expansionConfig({ scope: 'Namespaced' });
  const orders = stream('orders', { namespace: 'shop' });

  function writeKustomization(streamItem: KubeObject): { dir: string; pluginHome: string } {
    const pluginHome = join(work, 'plugins');
    const pluginDir = join(pluginHome, 'fn.auth0.openmcf.org', 'v1alpha1', 'expansionconfig');
    mkdirSync(pluginDir, { recursive: true });
    writeExecutable(join(pluginDir, 'ExpansionConfig'), BIN);
    const dir = join(work, 'kust');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [stream.yaml]\ntransformers: [expander.yaml]\n');
    writeFileSync(join(dir, 'expander.yaml'), stringifyYaml(config));
    writeFileSync(join(dir, 'stream.yaml'), stringifyYaml(streamItem));
    return { dir, pluginHome };
  }

  it('adds the generated resources to the build, and leaves the stream (local configuration) out', () => {
    const { dir, pluginHome } = writeKustomization(orders);
    const result = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], work, { KUSTOMIZE_PLUGIN_HOME: pluginHome });
    const kinds = (documents: unknown[]) => documents.map((item) => `${(item as KubeObject).kind}/${(item as KubeObject).metadata.name}`).sort();
    expect({ status: result.status, kinds: kinds(parseYamlDocuments(result.stdout)) }).toStrictEqual({
      status: 0,
      kinds: kinds(generated(orders, config)),
    });
  });

  it('keeps the stream in the build with markLocalConfig: false', () => {
    const { dir, pluginHome } = writeKustomization(orders);
    writeFileSync(join(dir, 'expander.yaml'), stringifyYaml(expansionConfig({ markLocalConfig: false })));
    const result = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], work, { KUSTOMIZE_PLUGIN_HOME: pluginHome });
    expect(parseYamlDocuments(result.stdout).map((item) => (item as KubeObject).kind)).toContain('Auth0EventStream');
  });

  it('fails the build with the error on stderr', () => {
    const { dir, pluginHome } = writeKustomization(stream('orders', { namespace: 'shop', spec: webhookSpec(['user.blocked']) }));
    const result = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], work, { KUSTOMIZE_PLUGIN_HOME: pluginHome });
    expect({
      failed: result.status !== 0,
      stdout: result.stdout,
      shown: result.stderr.includes('error: Auth0EventStream/shop/orders spec.subscriptions[0]: "user.blocked"'),
    }).toStrictEqual({
      failed: true,
      stdout: '',
      shown: true,
    });
  });
});
