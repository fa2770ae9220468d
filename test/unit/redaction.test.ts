/**
 * Redaction, where findings are made: a URL's userinfo, query and fragment never reach a message, a currentValue
 * or a proposedValue, nor does anything under a secret field, whichever rule builds the finding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quote, report } from '../../src/core/findings.js';
import { RULES } from '../../src/core/rules.js';
import { HIDDEN, redactText, redactUrlsIn, redactValue, SECRET_FIELD_NAMES } from '../../src/core/redaction.js';
import { SEED, secretValue } from '../hostile/arbitraries.js';
import { SECRET_PLACEMENTS, textHolds } from '../hostile/leaks.js';
import { recordCount } from '../hostile/summary.js';

/** URL-ish texts with the secret in the userinfo, the query or the fragment, with and without a scheme. */
const secretInUrl = fc.tuple(
  secretValue,
  fc.constantFrom(
    (s: string) => `http://hook:${s}@hooks.example.com/in?api_token=${s}`,
    (s: string) => `https://${s}@hooks.example.com/in`,
    (s: string) => `https://hook:${s}@hooks.example.com/in`,
    (s: string) => `https://hooks.example.com/in?design=1&key=${s}&x=2`,
    (s: string) => `https://hooks.example.com/in#access_token=${s}`,
    (s: string) => `hook:${s}@hooks.example.com/in`,
    (s: string) => `hooks.example.com/in?${s}`,
    (s: string) => `see https://u:${s}@h.example.com/x for details`,
    (s: string) => `ftp://a@b/c?d=${s}@e`,
  ),
);

describe('redactText', () => {
  it.each([
    ['http://hook:PASSWORD@hooks.example.com/in?api_token=TOKEN', `http://${HIDDEN}@hooks.example.com/in?${HIDDEN}`],
    ['https://hooks.example.com/in#frag', `https://hooks.example.com/in#${HIDDEN}`],
    ['hook:pw@hooks.example.com', `${HIDDEN}@hooks.example.com`],
    ['https://h.example.com/in?q=a@b', `https://${HIDDEN}`],
    ['https://hooks.example.com/auth0', 'https://hooks.example.com/auth0'],
    ['user.created', 'user.created'],
    ['what?', 'what?'],
  ])('%s → %s', (text, want) => {
    expect(redactText(text)).toBe(want);
  });

  it('never keeps a secret placed in a URL, and quote() and report() never show it', () => {
    fc.assert(
      fc.property(secretInUrl, ([secret, place]) => {
        const value = place(secret);
        expect(textHolds(redactText(value), secret)).toBe(false);
        expect(textHolds(quote(value), secret)).toBe(false);
        const finding = report(RULES['invalid-value'], `x is ${quote(value)}`, { path: 'x', currentValue: value, proposedValue: [value, { nested: value }] });
        expect(textHolds(JSON.stringify(finding), secret)).toBe(false);
        expect(textHolds(JSON.stringify(report(RULES['inline-credential'], 'm', { currentValue: { list: [value] } })), secret)).toBe(false);
        // A URL written into a message without quote() is caught too, as far as it can be told where it ends.
        if (/^[a-z]+:\/\//.test(value) && !/[\s"'`)>]/.test(value)) expect(textHolds(report(RULES['invalid-value'], `x is ${value}.`).message, secret)).toBe(false);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    recordCount('property cases: secrets in URLs through the finding builder', 3000);
    recordCount('secret placements in the leak tests (all three modes)', SECRET_PLACEMENTS.length);
  });
});

describe('redactValue', () => {
  it('hides every value under a secret field (the schema marks them writeOnly), in both spellings, at any depth', () => {
    expect([...SECRET_FIELD_NAMES].sort()).toStrictEqual(['headerValue', 'header_value', 'password', 'token']);
    expect(redactValue([{ method: 'bearer', token: 's3cr3t' }, { deeper: { headerValue: ['x'] } }])).toStrictEqual([
      { method: 'bearer', token: HIDDEN },
      { deeper: { headerValue: HIDDEN } },
    ]);
    expect(quote({ password: 's3cr3t-pw' })).not.toContain('s3cr3t-pw');
  });

  it('keeps findings small: long strings are cut, large lists and objects are left out', () => {
    expect((redactValue('a'.repeat(5000)) as string).length).toBe(1024);
    expect(redactValue(Array(1000).fill('user.created'))).toBeUndefined();
    expect(report(RULES['invalid-value'], 'm', { currentValue: Array(1000).fill('user.created') })).not.toHaveProperty('currentValue');
  });
});

describe('redactUrlsIn', () => {
  it('leaves messages without URLs and URLs without credentials as they are', () => {
    for (const message of ['Auth0 only delivers to https:// endpoints.', 'write it as https://host/path.', 'did you mean user.created?']) {
      expect(redactUrlsIn(message)).toBe(message);
    }
  });
});
