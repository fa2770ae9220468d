/**
 * Normalization copies input whose keys are all spelled canonically without recording paths; whatever the
 * input, it answers exactly as the normalization that records every path the user wrote: the same value,
 * findings and spelling, and the same user path for any canonical path, present or missing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema, expandStream, readConfig, streamSchema } from '../../src/core/index.js';
import { validateConfig, validateStream } from '../../src/core/schema/index.js';
import { normalize, respelled, userPath } from '../../src/core/normalize.js';
import { camelToSnake, snakeToCamel } from '../../src/core/paths.js';
import { SEED } from '../hostile/arbitraries.js';
import { eventbridgeSpec, stream, webhookSpec } from '../support/krm.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const names = ['metadata', 'name', 'annotations', 'labels', 'spec', 'destination_type', 'subscriptions', 'webhook_configuration', 'webhook_endpoint', 'webhook_authorization'];
const configNames = ['scope', 'eventTypes', 'writeDefaults', 'routes', 'eventBridge', 'providerConfigRef', 'terraform'];
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...names, ...configNames) },
  { weight: 2, arbitrary: fc.constantFrom(...names.map(snakeToCamel), ...configNames.map(camelToSnake)) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'a.b', 'x[0]', '', 'config.kubernetes.io/index') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));
const path = fc.array(fc.oneof(key, fc.nat(3)), { maxLength: 4 });

describe('normalize', () => {
  it('answers as the normalization that records every path, for any input', () => {
    fc.assert(
      fc.property(fc.constantFrom(streamSchema, configSchema), value, fc.array(path, { maxLength: 6 }), (schema, input, paths) => {
        const fast = normalize(input, schema);
        const full = respelled(input, schema);
        expect({ value: fast.value, findings: fast.findings, spelling: fast.spelling }).toStrictEqual({ value: full.value, findings: full.findings, spelling: full.spelling });
        for (const canonical of [...paths, ...(full.userPaths === undefined ? [] : [...full.userPaths.keys()].map((known) => [known]))]) {
          expect(userPath(fast, canonical)).toBe(userPath(full, canonical));
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('records no paths for input spelled canonically, and the user’s paths otherwise', () => {
    expect(normalize({ spec: { destination_type: 'webhook' } }, streamSchema).userPaths).toBeUndefined();
    const camel = normalize({ spec: { destinationType: 'webhook' } }, streamSchema);
    expect(camel.value).toStrictEqual({ spec: { destination_type: 'webhook' } });
    expect(userPath(camel, ['spec', 'destination_type'])).toBe('spec.destinationType');
    expect(userPath(camel, ['spec', 'webhook_configuration'])).toBe('spec.webhookConfiguration');
  });

  it('answers the same for keys met after a node stopped remembering keys, and for keys too long to remember', () => {
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`note-${index}`, 'x']));
    const long = `a${'_b'.repeat(400)}`;
    for (const input of [
      { metadata: { annotations: many, labels: many } },
      { metadata: { annotations: { ...many, 'auth0.openmcf.org/adopt-stream-id': 'est_1' } }, spec: { destinationType: 'webhook' } },
      { spec: { [long]: 1, destination_type: 'webhook' } },
      { spec: { [long]: 1, destinationType: 'webhook', constructor: 2 } },
    ]) {
      const fast = normalize(input, streamSchema);
      const full = respelled(input, streamSchema);
      expect({ value: fast.value, findings: fast.findings, spelling: fast.spelling }).toStrictEqual({ value: full.value, findings: full.findings, spelling: full.spelling });
    }
    expect(normalize({ spec: { destinationType: 'webhook' } }, streamSchema).userPaths?.get('spec.destination_type')).toBe('spec.destinationType');
  });

  it('shares with its input only what validation never writes into', () => {
    fc.assert(
      fc.property(value, (input) => {
        // Validation writes defaults; into a frozen input that would throw (the validators are strict code).
        validateStream(normalize(deepFreeze(structuredClone(input)), streamSchema).value);
        validateConfig(normalize(deepFreeze(structuredClone(input)), configSchema).value);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    const { config } = readConfig(undefined);
    for (const item of [stream('orders', { spec: webhookSpec() }), stream('billing', { spec: eventbridgeSpec(), status: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe' } } })]) {
      expect(expandStream(deepFreeze(structuredClone(item)), config)).toStrictEqual(expandStream(item, config));
    }
  });
});
