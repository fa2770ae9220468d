/**
 * Redaction, where findings are made: a URL's userinfo, query and fragment never reach a message, a currentValue
 * or a proposedValue, nor does anything under a secret field, whichever rule builds the finding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quote, report } from '../../src/core/findings.js';
import { RULES } from '../../src/core/rules.js';
import { HIDDEN, redactAt, redactText, redactUrlsIn, redactValue, secretFieldNames } from '../../src/core/redaction.js';
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

describe('redactAt', () => {
  const auth = 'spec.webhook_configuration.webhook_authorization';

  it('hides whatever stands where a secret or a reference to a Secret belongs, in every spelling, from both schemas', () => {
    for (const path of [
      `${auth}.token`,
      `${auth}.token_secret_ref`,
      'spec.webhookConfiguration.webhookAuthorization.headerValueSecretRef',
      `${auth}.password_secret_ref.name`,
      `${auth}.header_value_secret_ref[0]`,
      'spec.webhookCredentials',
      'spec.webhook_credentials',
      'data.webhookCredentials',
      'spec.deliveryHealth.credentials',
      'spec.delivery_health.credentials.client_secret',
    ]) {
      expect(redactAt(path, 's3cr3t-value'), path).toBe(HIDDEN);
      expect(redactAt(path, ['s3cr3t-value']), path).toBe(HIDDEN);
    }
    expect(redactAt('spec.webhook_configuration.webhook_endpoint', 'https://h.example.com/in')).toBe('https://h.example.com/in');
    expect(redactAt(undefined, 'user.created')).toBe('user.created');
  });

  it('shows a user name up to its first colon: what follows is a password', () => {
    expect(redactAt(`${auth}.username`, 'hook:s3cr3t-value')).toBe(`hook:${HIDDEN}`);
    expect(redactAt('spec.webhookConfiguration.webhookAuthorization.username', 'hook')).toBe('hook');
    expect(redactValue({ username: 'hook:s3cr3t', token_secret_ref: 's3cr3t', tokenSecretRef: { name: 'n', key: 'k' } })).toStrictEqual({
      username: `hook:${HIDDEN}`,
      token_secret_ref: HIDDEN,
      tokenSecretRef: HIDDEN,
    });
  });

  it('takes the value out of a message that quotes it, whichever rule wrote the message', () => {
    const finding = report(RULES['wrong-type'], `${auth}.token_secret_ref must be an object, not a string (${quote('s3cr3t-value')}).`, {
      path: `${auth}.token_secret_ref`,
      currentValue: 's3cr3t-value',
    });
    expect(JSON.stringify(finding)).not.toContain('s3cr3t-value');
    expect(finding.message).toContain(`(${quote(HIDDEN)})`);
  });
});

describe('redactValue', () => {
  it('hides every value under a secret field (the schema marks them writeOnly), in both spellings, at any depth', () => {
    expect([...secretFieldNames()].sort()).toStrictEqual(['headerValue', 'header_value', 'password', 'token']);
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
  it('hides a userinfo with white space in it, written into a message without quote()', () => {
    const userinfo = fc.stringMatching(/^[A-Za-z0-9 \t._~!$&*+,;=:-]{1,30}$/).filter((text) => /[A-Za-z0-9]{6}/.test(text));
    fc.assert(
      fc.property(userinfo, fc.constantFrom('', '/in', '?x=1', '#top'), fc.constantFrom('', ' and more text', ' (see https://docs.example.com/x).'), (secret, rest, after) => {
        const message = `stream ${`https://${secret}@hooks.example.com${rest}`}${after}`;
        const shown = redactUrlsIn(message);
        for (const word of secret.split(/[\s:]+/).filter((part) => part.length >= 6)) expect(shown).not.toContain(word);
        expect(shown.endsWith(after)).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(redactUrlsIn('outputs: https://hook:pass word@h.example.com/x and more')).toBe(`outputs: https://${HIDDEN}@h.example.com/x and more`);
  });

  it('leaves messages without URLs and URLs without credentials as they are', () => {
    for (const message of ['Auth0 only delivers to https:// endpoints.', 'write it as https://host/path.', 'did you mean user.created?']) {
      expect(redactUrlsIn(message)).toBe(message);
    }
  });
});
