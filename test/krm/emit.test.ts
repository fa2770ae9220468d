/**
 * The fast writer (src/krm/emit.ts) must give exactly what js-yaml gives: arbitrary plain data, strings made
 * of the characters that decide scalar styles, and the resources the function generates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import { SourceScalar, TaggedValue, stringifyYaml, stringifyYamlWithJsYaml } from '../../src/krm/yaml.js';
import { SEED } from '../hostile/arbitraries.js';
import { eventbridgeSpec, expansionConfig, stream, webhookSpec } from '../support/krm.js';
import { PARTNER_SOURCE } from '../support/xr.js';

const decisive = fc.constantFrom(
  '',
  ' ',
  '\t',
  '\n',
  '\r',
  ':',
  '#',
  '-',
  '?',
  ',',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '=',
  '<<',
  '~',
  'y',
  'Y',
  'yes',
  'n',
  'off',
  'True',
  'FALSE',
  'On',
  'NO',
  'null',
  'true',
  'False',
  '0',
  '0o17',
  '0x1F',
  '1_000',
  '1:20',
  '_:1',
  '.5',
  '1e3',
  'e1',
  '.inf',
  '.NaN',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  'é',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udc00',
  '😀',
  '\u0000',
  '\u001b',
  '\\',
  'a',
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(decisive, { maxLength: 6 }).map((parts) => parts.join('')),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(text, tie('node'), { maxKeys: 4 }),
  ),
})).node;

describe('stringifyYaml', () => {
  it('writes any plain data exactly as js-yaml does', () => {
    fc.assert(
      fc.property(value, (data) => {
        expect(stringifyYaml(data)).toBe(stringifyYamlWithJsYaml(data));
        expect(stringifyYaml([data])).toBe(stringifyYamlWithJsYaml([data]));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('writes generated resources exactly as js-yaml does', () => {
    const config = readConfig(expansionConfig({ routes: [{ name: 'r', eventTypes: ['user.*'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] }] })).config;
    const streams = [
      stream('orders', {
        spec: { ...webhookSpec(), webhook_configuration: { webhook_endpoint: 'https://x.example/h', webhook_authorization: { method: 'bearer', token: 't0k' } } },
      }),
      stream('events', { namespace: 'identity', spec: eventbridgeSpec(), status: { outputs: { id: 'est_1', aws_partner_event_source: PARTNER_SOURCE } } }),
    ];
    for (const item of streams) {
      const resources = expandStream(item, config).resources.map((resource) => resource.object);
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.map((resource) => stringifyYaml([resource]))).toStrictEqual(resources.map((resource) => stringifyYamlWithJsYaml([resource])));
    }
  });

  it('leaves to js-yaml what it does not write itself: source spellings, tags, long keys', () => {
    const data = { n: new SourceScalar('0o17'), t: new TaggedValue('tag:yaml.org,2002:binary', 'aGk='), [`k${'x'.repeat(1100)}`]: 1 };
    expect(stringifyYaml(data)).toBe(stringifyYamlWithJsYaml(data));
    expect(stringifyYaml(data)).toContain('"n": 0o17\nt: !!binary aGk=\n? k');
  });
});
