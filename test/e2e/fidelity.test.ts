/**
 * Items the function does not own, through the real orchestrators: a file of values that a rewrite would
 * change (numbers past 2^53, 0o17, 0x1F, 1.10, quoting, timestamps, tags, a Makefile with tabs in a block
 * scalar) must come out of `kpt fn eval --exec auth0-eventstream-fn` exactly as out of `kpt fn eval --exec cat`,
 * and out of `kubectl kustomize` with the function as a transformer exactly as without it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';

const kpt = checkTool('kpt');
const kubectl = checkTool('kubectl', ['version', '--client']);

const FRAGILE = `# Settings that must survive untouched.
apiVersion: example.com/v1
kind: Example
metadata:
  name: fragile # keep me
spec:
  big: 12345678901234567890
  near: 9007199254740993
  octal: 0o17
  hex: 0x1F
  version: 1.10
  quoted: "eu"
  single: 'it''s'
  stamp: 2001-12-14t21:59:43.10-05:00
  binary: !!binary aGVsbG8=
  set: !!set {a, b}
  custom: !thing {k: v}
  makefile: |
    all:
    \techo "tab-indented recipe"
  folded: >-
    folded
    text
  flow: {a: 1.10, b: [0o17, "x"]}
`;

const STREAMS = `apiVersion: auth0.openmcf.org/v1
kind: Auth0EventStream
metadata:
  name: orders
spec:
  destination_type: webhook
  subscriptions: [user.created]
  webhook_configuration:
    webhook_endpoint: https://hooks.example.com/orders
    webhook_authorization: {method: bearer, token_secret_ref: {name: orders-webhook, key: token}}
`;

const KPTFILE = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: fidelity\n  annotations:\n    config.kubernetes.io/local-config: "true"\n';

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fidelity-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe.skipIf(!kpt.available)('kpt fn eval --exec (real kpt)', () => {
  it('leaves a file of fragile values exactly as `--exec cat` leaves it, and generates beside it', () => {
    const ours = directory({ Kptfile: KPTFILE, 'fragile.yaml': FRAGILE, 'streams.yaml': STREAMS });
    const baseline = mkdtempSync(join(tmpdir(), 'fidelity-cat-'));
    cpSync(ours, baseline, { recursive: true });
    const run = spawnSync('kpt', ['fn', 'eval', ours, '--exec', 'auth0-eventstream-fn'], { encoding: 'utf8', env: envWithFunction() });
    const cat = spawnSync('kpt', ['fn', 'eval', baseline, '--exec', 'cat'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(cat.status, cat.stderr).toBe(0);
    const written = readFileSync(join(ours, 'fragile.yaml'), 'utf8');
    expect(written).toBe(readFileSync(join(baseline, 'fragile.yaml'), 'utf8'));
    // Every line kpt itself keeps is the original line.
    for (const line of [
      '  big: 12345678901234567890',
      '  near: 9007199254740993',
      '  octal: 0o17',
      '  hex: 0x1F',
      '  version: 1.10',
      '  quoted: "eu"',
      '  binary: !!binary aGVsbG8=',
      '    \techo "tab-indented recipe"',
      '  flow: {a: 1.10, b: [0o17, "x"]}',
    ]) {
      expect(written).toContain(`${line}\n`);
    }
    expect(readFileSync(join(ours, 'orders.generated.yaml'), 'utf8')).toContain('kind: Workspace');
  });
});

describe.skipIf(!kubectl.available)('kubectl kustomize (real binary, legacy exec plugin)', () => {
  it('builds the fragile resource exactly as a build without the function does', () => {
    const build = (files: Record<string, string>, env?: NodeJS.ProcessEnv) => {
      const run = spawnSync('kubectl', ['kustomize', ...(env ? ['--enable-alpha-plugins'] : []), directory(files)], { encoding: 'utf8', ...(env && { env }) });
      expect(run.status, run.stderr).toBe(0);
      // Compared as text: parsed, 12345678901234567890 and 12345678901234567000 are the same number.
      return run.stdout.split(/^---\n/m);
    };
    const resources = 'resources:\n  - fragile.yaml\n  - streams.yaml\n';
    const config = readFileSync(join(repoRoot, 'examples', 'kustomize', 'expansion-config.yaml'), 'utf8');
    const without = build({ 'kustomization.yaml': resources, 'fragile.yaml': FRAGILE, 'streams.yaml': STREAMS });
    const withFunction = build(
      { 'kustomization.yaml': `${resources}transformers:\n  - expansion-config.yaml\n`, 'fragile.yaml': FRAGILE, 'streams.yaml': STREAMS, 'expansion-config.yaml': config },
      envWithFunction({ KUSTOMIZE_PLUGIN_HOME: join(repoRoot, 'examples', 'kustomize', 'plugin') }),
    );
    const example = (documents: string[]) => documents.find((document) => document.includes('kind: Example\n'));
    expect(example(withFunction)).toBe(example(without));
    expect(example(without)).toContain('big: 12345678901234567890\n');
    expect(withFunction.some((document) => document.includes('kind: Workspace\n'))).toBe(true);
  });
});
