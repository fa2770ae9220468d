/**
 * Bad input, one class per row, in ResourceList mode and in kustomize's legacy plugin mode: every one is
 * answered by a valid ResourceList with an error result and exit code 1 — never a bare stack trace, never an
 * empty stdout (kpt would delete the package), never exit 0 with an error. Two classes must simply work: CRLF
 * line endings, and anchors with merge keys (read as YAML 1.1 does).
 */
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { cliPath, requireBuiltCli } from '../support/tools.js';
import { recordCount } from './summary.js';

const list = (items: string) => `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`;
const streamItem = (spec: string) => `- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata:\n    name: s\n  spec:\n${spec}`;
const validSpec =
  '    destination_type: webhook\n    subscriptions: [user.created]\n    webhook_configuration:\n      webhook_endpoint: https://x.example.com\n      webhook_authorization: {method: bearer, token_secret_ref: {name: a, key: b}}\n';
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Nine levels of nine aliases each: 9^8 ≈ 43 million nodes from a few hundred bytes. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefgh';
  for (let i = 1; i < names.length; i++)
    lines.push(
      `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(',')}]`,
    );
  return `${lines.join('\n')}\n`;
}

interface HostileCase {
  readonly name: string;
  readonly input: () => Uint8Array;
  /** `error`: answered with an error result and exit 1; `works`: processed normally. */
  readonly outcome: 'error' | 'works';
  /** What the error message must say (the user's way to the fix). */
  readonly says?: RegExp;
  /** Where the legacy plugin (bare documents, no envelope) answers differently. */
  readonly legacy?: { readonly outcome: 'error' | 'works'; readonly says?: RegExp };
  /** For `works`: what the output must show. */
  readonly shows?: RegExp;
}

const cases: HostileCase[] = [
  { name: 'empty stdin', input: () => bytes(''), outcome: 'error', says: /input is empty/ },
  { name: 'not YAML', input: () => bytes('{{{ : ['), outcome: 'error', says: /not valid YAML/ },
  {
    name: 'YAML that is a scalar',
    input: () => bytes('just words'),
    outcome: 'error',
    says: /expected a ResourceList/,
    legacy: { outcome: 'error', says: /documents\[0\] is a string, not a Kubernetes object/ },
  },
  {
    name: 'YAML that is not a ResourceList (a Deployment)',
    input: () => bytes('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n'),
    outcome: 'error',
    says: /not a ResourceList/,
    legacy: { outcome: 'works' },
  },
  {
    name: 'items that are not objects',
    input: () => bytes(list('- 1\n- "two"\n- [3]\n')),
    outcome: 'error',
    says: /items\[0\] is a number/,
    legacy: { outcome: 'error', says: /documents\[0\] is a number.*\n.*documents\[1\] is a string.*\n.*documents\[2\] is a list/ },
  },
  { name: 'an item without apiVersion, kind or metadata', input: () => bytes(list('- spec: {}\n')), outcome: 'error', says: /missing apiVersion, kind, metadata/ },
  {
    name: 'spec fields of the wrong type (list, number, object, null)',
    input: () => bytes(list(streamItem('    destination_type: [webhook]\n    subscriptions: user.created\n    webhook_configuration: 5\n    eventbridge_configuration: null\n'))),
    outcome: 'error',
    says: /must be a string, not a list/,
  },
  {
    name: 'spec that is a list',
    input: () => bytes(list('- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata:\n    name: s\n  spec: [1, 2]\n')),
    outcome: 'error',
    says: /spec must be an object, not a list/,
  },
  {
    name: 'spec that is null',
    input: () => bytes(list('- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata:\n    name: s\n  spec: null\n')),
    outcome: 'error',
    says: /spec must be an object, not null/,
  },
  {
    name: 'a very long string (2 MB event type)',
    input: () => bytes(list(streamItem(`    destination_type: webhook\n    subscriptions: ["${'a'.repeat(2_000_000)}"]\n`))),
    outcome: 'error',
    says: /"a{77}\.\.\." is not an Auth0 event type/,
  },
  {
    name: '150,000 subscriptions (2 MB list)',
    input: () => bytes(list(streamItem(`    destination_type: webhook\n    subscriptions: [${Array.from({ length: 150_000 }, (_, i) => `u${i}`).join(', ')}]\n`))),
    outcome: 'error',
    says: /spec\.subscriptions allows at most 256 items/,
  },
  {
    name: 'a wildcard with many stars (exponential for a backtracking RegExp)',
    input: () => bytes(list(streamItem(`    destination_type: webhook\n    subscriptions: ["${'*'.repeat(10_000)}x", "****************x"]\n`))),
    outcome: 'error',
    says: /matches no Auth0 event type/,
  },
  {
    name: '200,000 comment lines within an item',
    input: () =>
      bytes(
        list(
          `${streamItem(validSpec)}${streamItem(validSpec)
            .replace('name: s', 'name: t')
            .replace('  kind:', `${'#\n'.repeat(200_000)}  kind:`)}`,
        ),
      ),
    outcome: 'works',
    shows: /name: t-auth0-stream/,
  },
  {
    name: 'deep nesting (5,000 levels)',
    input: () => bytes(list(streamItem(`    destination_type: ${'['.repeat(5000)}${']'.repeat(5000)}\n`))),
    outcome: 'error',
    says: /nesting/,
  },
  {
    name: 'duplicate keys',
    input: () => bytes(list(streamItem('    destination_type: webhook\n    destination_type: eventbridge\n'))),
    outcome: 'error',
    says: /duplicated mapping key/,
  },
  {
    name: '__proto__ and constructor keys',
    input: () => bytes(list(streamItem(`    __proto__: {polluted: true}\n    constructor: {prototype: {polluted: true}}\n${validSpec}`))),
    outcome: 'error',
    says: /__proto__ is not a valid field name/,
  },
  {
    name: 'invalid UTF-8',
    input: () => Buffer.concat([bytes(list(streamItem('    destination_type: web'))), Buffer.from([0xff, 0xfe]), bytes('hook\n')]),
    outcome: 'error',
    says: /not valid UTF-8/,
  },
  { name: 'a YAML alias bomb ("billion laughs")', input: () => bytes(billionLaughs()), outcome: 'error', says: /aliases expand/ },
  {
    name: 'a label of 1.2 million separators (quadratic for a RegExp anchored at the end)',
    input: () => bytes(list(streamItem(validSpec).replace('    name: s\n', `    name: s\n    labels: {auth0.openmcf.org/org: "a${'._-'.repeat(400_000)}b"}\n`))),
    outcome: 'works',
    shows: /auth0\.openmcf\.org\/org: a-[0-9a-f]{8}\n/,
  },
  {
    name: 'a token pasted where the Secret reference belongs',
    input: () => bytes(list(streamItem(validSpec.replace('token_secret_ref: {name: a, key: b}', 'token_secret_ref: "pasted-t0ken-value"')))),
    outcome: 'error',
    says: /token_secret_ref must be an object, not another type/,
  },
  {
    name: 'compact JSON: 20,000 items on one line (quadratic when each item looks back for its line start)',
    input: () =>
      bytes(
        `${JSON.stringify({
          apiVersion: 'config.kubernetes.io/v1',
          kind: 'ResourceList',
          items: Array.from({ length: 20_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { n: '1.10' } })),
        })}\n`,
      ),
    outcome: 'works',
    // Each item as written, an entry of the list (a document in legacy plugin mode).
    shows: /(- |---\n)\{"apiVersion":"v1","kind":"ConfigMap","metadata":\{"name":"c19999"\},"data":\{"n":"1\.10"\}\}\n/,
  },
  { name: 'CRLF line endings', input: () => bytes(list(streamItem(validSpec)).replaceAll('\n', '\r\n')), outcome: 'works' },
  {
    name: 'anchors and merge keys in user items',
    input: () =>
      bytes(
        list(
          '- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata:\n    name: s\n    labels: &labels {team: payments}\n' +
            '    annotations:\n      <<: *labels\n  spec:\n    destination_type: webhook\n    subscriptions: &events [user.created]\n' +
            '    webhook_configuration:\n      <<: {webhook_endpoint: "https://merged.example.com/hook"}\n' +
            '      webhook_authorization: {method: bearer, token_secret_ref: {name: a, key: b}}\n',
        ),
      ),
    outcome: 'works',
    shows: /https:\/\/merged\.example\.com\/hook/,
  },
];

const legacyConfig = 'apiVersion: fn.auth0.openmcf.org/v1alpha1\nkind: ExpansionConfig\nmetadata:\n  name: c\n';

/** The legacy plugin reads bare documents: the same content without the ResourceList envelope. */
function asDocuments(input: Uint8Array): Uint8Array {
  const text = Buffer.from(input).toString('latin1');
  if (!text.startsWith('apiVersion: config.kubernetes.io/v1')) return input;
  const body = text.slice(text.indexOf('items:') + 'items:'.length).replace(/^\r?\n/, '');
  const documents = body.split(/\r?\n(?=- )/).map((item) => item.replace(/^- /, '').replace(/\r?\n {2}/g, (newline) => newline.slice(0, -2)));
  return Buffer.from(documents.join('\n---\n'), 'latin1');
}

function checkReply(stdout: string, stderr: readonly string[], exitCode: number, hostile: HostileCase): void {
  expect(stdout.length, 'stdout is never empty').toBeGreaterThan(0);
  expect(`${stdout}\n${stderr.join('\n')}`, 'no stack trace').not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  if (hostile.outcome === 'works') {
    expect(exitCode, stderr.join('\n')).toBe(0);
    if (hostile.shows !== undefined) expect(stdout).toMatch(hostile.shows);
    return;
  }
  expect(exitCode).toBe(1);
  const reply = load(stdout) as { kind?: string; items?: unknown; results?: Array<{ severity: string; message: string }> };
  expect(reply.kind).toBe('ResourceList');
  expect(Array.isArray(reply.items)).toBe(true);
  const errors = (reply.results ?? []).filter((result) => result.severity === 'error');
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((result) => result.message).join('\n')).toMatch(hostile.says!);
  expect(stderr.join('\n')).toMatch(hostile.says!);
}

afterAll(() => {
  recordCount('bad-input classes (ResourceList mode)', cases.length);
  recordCount('bad-input classes (legacy plugin mode)', cases.filter((c) => c.name !== 'empty stdin').length);
});

describe('ResourceList mode', () => {
  it.each(cases)('$name', (hostile) => {
    const run = runResourceList(hostile.input());
    checkReply(run.stdout, run.stderr, run.exitCode, hostile);
  });
});

describe('kustomize legacy plugin mode', () => {
  // Empty stdin is a legitimate generator call there (kustomize sends nothing to generators).
  it.each(cases.filter((c) => c.name !== 'empty stdin'))('$name', (hostile) => {
    const run = runLegacyPlugin(legacyConfig, asDocuments(hostile.input()));
    checkReply(run.stdout, run.stderr, run.exitCode, { ...hostile, ...hostile.legacy });
  });

  it('treats empty stdin as a generator call: no resources, exit 0', () => {
    expect(runLegacyPlugin(legacyConfig, new Uint8Array())).toStrictEqual({ stdout: '', stderr: [], exitCode: 0 });
  });
});

describe('a configuration with 150,000 route event types', () => {
  const config = `apiVersion: fn.auth0.openmcf.org/v1alpha1\nkind: ExpansionConfig\nmetadata: {name: c}\nspec:\n  routes: [{name: r, targets: [{arn: "arn:aws:sqs:us-east-1:123456789012:q"}], eventTypes: [${Array(150_000).fill('user.created').join(', ')}]}]\n`;
  const says = /spec\.routes\[0\]\.eventTypes allows at most 256 items/;

  it('ResourceList mode: the too-many-items error, every item kept', () => {
    const run = runResourceList(bytes(`${list(streamItem(validSpec))}functionConfig:\n${config.replace(/^/gm, '  ')}`));
    checkReply(run.stdout, run.stderr, run.exitCode, { name: 'routes', input: () => new Uint8Array(), outcome: 'error', says });
  });

  it('legacy plugin mode: the same, from the plugin config file', () => {
    const run = runLegacyPlugin(config, asDocuments(bytes(list(streamItem(validSpec)))));
    checkReply(run.stdout, run.stderr, run.exitCode, { name: 'routes', input: () => new Uint8Array(), outcome: 'error', says });
  });
});

describe('the real process', () => {
  it.each(cases.filter((c) => ['empty stdin', 'not YAML', 'invalid UTF-8', 'a YAML alias bomb ("billion laughs")'].includes(c.name)))(
    '$name: a ResourceList on stdout, one line per result on stderr, exit 1',
    (hostile) => {
      requireBuiltCli();
      const run = spawnSync(process.execPath, [cliPath], { input: hostile.input(), encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect((load(run.stdout) as { kind: string }).kind).toBe('ResourceList');
      expect(run.stderr).toMatch(hostile.says!);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('a 50 MB ResourceList works within bounded memory (--max-old-space-size=512) and passes every item through', () => {
    requireBuiltCli();
    const items = Array.from({ length: 76_000 }, (_, i) => `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n  data:\n    payload: "${'x'.repeat(600)}"\n`);
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.join('')}`;
    expect(input.length).toBeGreaterThan(50_000_000);
    const run = spawnSync(process.execPath, ['--max-old-space-size=512', cliPath], { input, maxBuffer: 1 << 30 });
    expect(run.status, run.stderr.toString()).toBe(0);
    expect(run.stdout.length).toBe(input.length);
    recordCount('largest input (MB)', Math.floor(input.length / 1_000_000));
  }, 120_000);
});
