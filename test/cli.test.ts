/** The built executable, run as kpt and kustomize run it: bytes on stdin, bytes and an exit code back. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_MAP_KEYS } from '../src/core/config.js';
import { configSchema } from '../src/core/schema/index.js';
import { runLegacyPlugin, runResourceList } from '../src/krm/run.js';
import { parseYaml, stringifyYaml, stringifyYamlDocuments } from '../src/krm/yaml.js';
import { KPT_EMPTY_FUNCTION_CONFIG, configMap, expansionConfig, kptAnnotations, resourceList, stream, webhookSpec } from './support/krm.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'auth0-eventstream-fn.cjs');
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], stdin: string | Uint8Array = '', env: Record<string, string> = {}): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` before the tests (npm test does)`);
});

describe('auth0-eventstream-fn (KRM function)', () => {
  const orders = stream('orders', { namespace: 'shop', annotations: kptAnnotations('streams/orders.yaml', 0, 2) });
  const other = configMap('other', { flag: 'yes' }, kptAnnotations('streams/orders.yaml', 1, 3));

  it('expands a valid package: exactly what the adapter computes, on stdout only, exit 0', () => {
    const input = stringifyYaml(resourceList([orders, other], KPT_EMPTY_FUNCTION_CONFIG));
    const expected = runResourceList(bytes(input));
    expect(expected.exitCode).toBe(0);
    expect(cli([], input)).toStrictEqual({ status: 0, stdout: expected.stdout, stderr: '' });
  });

  it('rejects an invalid stream: exit 1, the full ResourceList printed, the result pointing at file and field', () => {
    const LOCATED = 'error: streams.yaml[0] Auth0EventStream/orders spec.subscriptions[1]: "user.blocked"';
    const bad = stream('orders', {
      spec: webhookSpec(['user.created', 'user.blocked']),
      annotations: { ...kptAnnotations('streams.yaml', 0, 1), 'config.kubernetes.io/local-config': 'true' },
    });
    const input = stringifyYaml(resourceList([bad, other]));
    const expected = runResourceList(bytes(input));
    const run = cli([], input);
    const output = parseYaml(run.stdout) as Record<string, unknown>;
    const results = output['results'] as Record<string, unknown>[];
    expect({
      run,
      items: output['items'],
      where: results.map((result) => [result['severity'], result['file'], (result['field'] as { path?: unknown } | undefined)?.path]),
      firstLine: run.stderr.slice(0, LOCATED.length),
    }).toStrictEqual({
      run: { status: 1, stdout: expected.stdout, stderr: expected.stderr.map((line) => `${line}\n`).join('') },
      items: [bad, other],
      where: [['error', { path: 'streams.yaml', index: 0 }, 'spec.subscriptions[1]']],
      firstLine: LOCATED,
    });
  });

  it('answers empty stdin with a clear error and a valid, empty ResourceList, exit 1', () => {
    const message =
      'input is empty; expected a ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList) as run by `kpt fn eval --exec` ' +
      'or `kpt fn render`; for kustomize legacy exec plugins, pass the plugin config file as the first argument';
    const run = cli([], '');
    expect({ ...run, stdout: parseYaml(run.stdout) }).toStrictEqual({
      status: 1,
      stdout: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results: [{ message, severity: 'error', tags: { rule: 'invalid-input' } }] },
      stderr: `error: ${message}\n`,
    });
  });

  it('answers garbage with a clear error and a valid, empty ResourceList, exit 1', () => {
    const run = cli([], new Uint8Array([0x00, 0x01, 0x02, 0xff, 0xfe]));
    const message = 'input is not valid UTF-8: byte 0xff at line 1 (byte offset 3); save the files as UTF-8';
    expect({ ...run, stdout: parseYaml(run.stdout) }).toStrictEqual({
      status: 1,
      stdout: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results: [{ message, severity: 'error', tags: { rule: 'invalid-input' } }] },
      stderr: `error: ${message}\n`,
    });
  });

  it('writes a large ResourceList out in full through a pipe', () => {
    const streams = Array.from({ length: 1000 }, (_, index) => stream(`stream-${index}`, { namespace: 'shop', annotations: kptAnnotations(`streams/${index % 10}.yaml`, index) }));
    const input = stringifyYaml(resourceList(streams));
    const expected = runResourceList(bytes(input));
    const run = cli([], input);
    expect({ status: run.status, same: run.stdout === expected.stdout, length: run.stdout.length }).toStrictEqual({
      status: expected.exitCode,
      same: true,
      length: expected.stdout.length,
    });
  });
});

describe('auth0-eventstream-fn CONFIG_FILE (kustomize legacy exec plugin)', () => {
  let dir = '';
  const config = expansionConfig({ scope: 'Namespaced' });
  const kustomizeId = { 'kustomize.config.k8s.io/id': 'group: auth0.openmcf.org\nkind: Auth0EventStream\nname: orders\nnamespace: shop\nversion: v1\n' };
  const stdin = stringifyYamlDocuments([stream('orders', { namespace: 'shop', annotations: kustomizeId }), configMap('other', { a: '1' })]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth0-es-cli-'));
    writeFileSync(join(dir, 'config.yaml'), stringifyYaml(config));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the config file and answers multi-document YAML (extra arguments ignored)', () => {
    const expected = runLegacyPlugin(stringifyYaml(config), bytes(stdin));
    expect(cli([join(dir, 'config.yaml'), 'one', 'two'], stdin)).toStrictEqual({ status: 0, stdout: expected.stdout, stderr: '' });
  });

  it('falls back to KUSTOMIZE_PLUGIN_CONFIG_STRING when the file is gone', () => {
    const expected = runLegacyPlugin(stringifyYaml(config), bytes(stdin));
    expect(cli([join(dir, 'missing.yaml')], stdin, { KUSTOMIZE_PLUGIN_CONFIG_STRING: stringifyYaml(config) })).toStrictEqual({
      status: 0,
      stdout: expected.stdout,
      stderr: '',
    });
  });

  it('says so when there is no config at all', () => {
    const missing = join(dir, 'missing.yaml');
    expect(cli([missing], stdin)).toStrictEqual({
      status: 1,
      stdout: '',
      stderr:
        `error: cannot read the plugin config file ${missing} (it does not exist) and KUSTOMIZE_PLUGIN_CONFIG_STRING is not set; ` +
        'run auth0-eventstream-fn as a kustomize exec plugin, or without arguments with a ResourceList on stdin\n',
    });
    expect(cli([dir], stdin).stderr).toMatch(new RegExp(`^error: cannot read the plugin config file ${dir} \\(it is a directory\\)`));
  });

  it('refuses a config file that is not UTF-8, naming the byte, as it refuses such input (no value is changed silently)', () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(stringifyYaml(config)), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const run = cli([file], stdin);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: plugin config is not valid UTF-8: byte 0xe9 at line \d+/);
  });
});

describe('auth0-eventstream-fn --help, --version and bad usage', () => {
  it('--version prints the package version', () => {
    expect(cli(['--version'])).toStrictEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help describes the modes and every configuration field', () => {
    const run = cli(['--help']);
    const fields = Object.keys(configSchema.properties ?? {}).map((name) => `spec.${name}`);
    const mentions = [
      `auth0-eventstream-fn ${version}:`,
      'USAGE',
      'kpt fn eval DIR --exec auth0-eventstream-fn',
      'auth0-eventstream-fn CONFIG_FILE',
      'auth0-eventstream-fn serve',
      'EXIT STATUS',
      'FUNCTION CONFIG',
      ...fields,
      ...CONFIG_MAP_KEYS,
    ];
    expect({ status: run.status, stderr: run.stderr, missing: mentions.filter((text) => !run.stdout.includes(text)) }).toStrictEqual({
      status: 0,
      stderr: '',
      missing: [],
    });
  });

  it('refuses an unknown option with usage on stderr, exit 2', () => {
    const run = cli(['--bogus']);
    expect({ status: run.status, stdout: run.stdout, start: run.stderr.split('\n').slice(0, 3) }).toStrictEqual({
      status: 2,
      stdout: '',
      start: [
        'auth0-eventstream-fn: unknown option --bogus',
        '',
        `auth0-eventstream-fn ${version}: expands Auth0EventStream (auth0.openmcf.org/v1) resources into provider-terraform`,
      ],
    });
  });
});
