/**
 * Secrets in YAML syntax: a secret field written as an alias to nothing (`token: *abc…`) makes the YAML reader
 * fail with a message that would quote the alias name — which is the secret. A tag (`token: !abc… x`) is read as
 * its content and kept on the item, which is the user's own text going back to the user's own file. Either way
 * no result and no stderr line may quote it, and a parse error leaves it out of stdout too, in ResourceList mode
 * and in legacy plugin mode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { SEED } from './arbitraries.js';
import { textHolds } from './leaks.js';

const FIELDS = ['token', 'password', 'header_value', 'headerValue'] as const;
/** Secrets that are valid alias and tag names, so the YAML reader gets as far as naming them. */
const secret = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{15,40}$/);
const shape = fc.constantFrom(
  (field: string, value: string) => `${field}: *${value}`,
  (field: string, value: string) => `${field}: !${value} x`,
  (field: string, value: string) => `${field}: !<tag:${value}> x`,
);

function stream(line: string): string {
  return (
    '- apiVersion: auth0.openmcf.org/v1\n  kind: Auth0EventStream\n  metadata:\n    name: hooks\n  spec:\n    destination_type: webhook\n' +
    '    subscriptions: [user.created]\n    webhook_configuration:\n      webhook_endpoint: https://hooks.example.com/in\n' +
    `      webhook_authorization:\n        method: bearer\n        ${line}\n`
  );
}

const cases = fc.tuple(secret, fc.constantFrom(...FIELDS), shape);

/** A parse error (the alias) quotes it nowhere; a kept tag stays on its item and out of every result and stderr line. */
function expectNoLeak(run: { stdout: string; stderr: readonly string[]; exitCode: number }, line: string, value: string): void {
  expect(run.stderr.filter((entry) => textHolds(entry, value))).toStrictEqual([]);
  const results = run.stdout.indexOf('\nresults:');
  if (line.includes(': *')) {
    expect(run.exitCode).toBe(1);
    expect(textHolds(run.stdout, value)).toBe(false);
  } else if (results >= 0) {
    expect(textHolds(run.stdout.slice(results), value)).toBe(false);
  }
}

describe('secrets in YAML parse errors', () => {
  it('ResourceList mode: the parse error does not quote an alias or tag that is a secret', () => {
    fc.assert(
      fc.property(cases, ([value, field, write]) => {
        const run = runResourceList(new TextEncoder().encode(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${stream(write(field, value))}`));
        expectNoLeak(run, write(field, value), value);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('legacy plugin mode: the same', () => {
    fc.assert(
      fc.property(cases, ([value, field, write]) => {
        const documents = stream(write(field, value))
          .replace(/^- /, '')
          .replace(/\n {2}/g, '\n');
        const run = runLegacyPlugin('apiVersion: fn.auth0.openmcf.org/v1alpha1\nkind: ExpansionConfig\nmetadata:\n  name: c\n', new TextEncoder().encode(documents));
        expectNoLeak(run, write(field, value), value);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
