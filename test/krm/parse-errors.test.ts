/**
 * A YAML syntax error names the line, the column and the problem, never the text: a token that begins with
 * `*` or `!` is read as an alias or a tag, and js-yaml's own messages would quote it. Secret-looking strings
 * in every position that makes such an error, in both KRM modes.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';

const RUNS = 1000;
afterAll(() => {
  recordCount('property cases: secrets in YAML syntax errors (ResourceList mode)', RUNS);
  recordCount('property cases: secrets in YAML syntax errors (legacy plugin mode)', RUNS);
});

const encode = (text: string) => new TextEncoder().encode(text);

/** Looks like a token or password: letters, digits and base64/URL punctuation, with a digit and a capital. */
const secret = fc.stringMatching(/^[A-Za-z0-9_+/=.~-]{12,40}$/).filter((text) => /[0-9]/.test(text) && /[A-Z]/.test(text));

/** Places where a secret makes the document unparsable, each as a `token:` line of a stream's spec. */
const broken: ReadonlyArray<(secret: string) => string> = [
  (s) => `token: *${s}`,
  (s) => `token: [*${s}]`,
  (s) => `token: &a x\n      other: *${s}`,
  (s) => `*${s}: x`,
  (s) => `token: !${s.replace(/[^A-Za-z-]/g, 'x')}!x y`,
  (s) => `token: !${s}{`,
  (s) => `token: !<${s}`,
  (s) => `token: "${s}`,
  (s) => `token: '${s}`,
  (s) => `token: ${s}\n      token: ${s}`,
  (s) => `token: ${s}\n     bad: ${s}`,
  (s) => `token: "${s}\\q"`,
  (s) => `token: &${s} x\n      other: &${s} &${s} y`,
  (s) => `token: ${s}: ${s}`,
  (s) => `token: !${s}\n  - ${s}`,
];

const streamWith = (line: string) =>
  `apiVersion: auth0.openmcf.org/v1\nkind: Auth0EventStream\nmetadata:\n  name: s\nspec:\n  destination_type: webhook\n  subscriptions: [user.created]\n` +
  `  webhook_configuration:\n    webhook_endpoint: https://hooks.example.com/x\n    webhook_authorization:\n      method: bearer\n      ${line}\n`;

const cases = fc.tuple(secret, fc.nat(broken.length - 1)).map(([value, index]) => ({ value, document: streamWith(broken[index]!(value)) }));

function assertSilent(run: { stdout: string; stderr: readonly string[]; exitCode: number }, value: string): void {
  expect(run.exitCode).toBe(1);
  expect(run.stderr.join('\n')).toMatch(/is not (valid|usable) YAML: .* at line \d+, column \d+/);
  expect(run.stdout).not.toContain(value);
  for (const line of run.stderr) expect(line).not.toContain(value);
}

describe('YAML syntax errors', () => {
  it('never quote input in ResourceList mode', () => {
    fc.assert(
      fc.property(cases, ({ value, document }) => {
        const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${document.replace(/^/gm, '  ').replace(/^ {2}/, '- ')}`;
        assertSilent(runResourceList(encode(list)), value);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never quote input in legacy plugin mode', () => {
    fc.assert(
      fc.property(cases, ({ value, document }) => {
        assertSilent(runLegacyPlugin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', encode(document)), value);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never quote the plugin config either', () => {
    fc.assert(
      fc.property(secret, (value) => {
        assertSilent(runLegacyPlugin(`apiVersion: v1\nkind: ConfigMap\ndata:\n  token: *${value}\n`, encode('')), value);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
