import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dnsLabel, generatedFileStem, labelValue, resourceName, shortHash } from '../../src/core/names.js';
import { SEED } from '../hostile/arbitraries.js';

describe('resourceName', () => {
  it.each([
    ['orders', 'auth0-stream', 'orders-auth0-stream'],
    ['crm-user-sync', 'partner-bus', 'crm-user-sync-partner-bus'],
  ])('%s + %s → %s', (stream, suffix, want) => {
    expect(resourceName(stream, suffix)).toBe(want);
  });

  it('cuts a long name to 63 characters with a hash that keeps different streams apart', () => {
    const a = resourceName('a'.repeat(100), 'auth0-stream');
    const b = resourceName(`${'a'.repeat(99)}b`, 'auth0-stream');
    expect(a).toMatch(/^a+-[0-9a-f]{8}-auth0-stream$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });

  it('keeps names that only differ in characters it must replace apart', () => {
    expect(resourceName('Orders', 'events')).not.toBe(resourceName('orders', 'events'));
    expect(resourceName('Orders', 'events')).toMatch(/^orders-[0-9a-f]{8}-events$/);
  });
});

describe('labelValue', () => {
  it('keeps a valid value and shortens a long one with a hash', () => {
    expect(labelValue('orders')).toBe('orders');
    expect(labelValue('x'.repeat(128))).toMatch(/^x{54}-[0-9a-f]{8}$/);
  });
});

describe('names of any text', () => {
  // The names as the regular expressions they replaced made them (for text short enough for those to finish).
  const referenceDnsLabel = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '');
  const referenceLabelValue = (text: string) => {
    const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (cleaned.length <= 63 && cleaned === text) return cleaned;
    return `${cleaned.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '')}-${shortHash(text)}`;
  };
  const text = fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[a-zA-Z0-9._\- /]{0,80}$/), fc.string({ unit: 'grapheme', maxLength: 30 }));

  it('are what they always were', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(dnsLabel(value)).toBe(referenceDnsLabel(value));
        expect(labelValue(value)).toBe(referenceLabelValue(value));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('hash as they always did: the last 8 hex digits of cyrb53', () => {
    const referenceHash = (value: string) => {
      let h1 = 0xdeadbeef;
      let h2 = 0x41c6ce57;
      for (let i = 0; i < value.length; i++) {
        h1 = Math.imul(h1 ^ value.charCodeAt(i), 2654435761);
        h2 = Math.imul(h2 ^ value.charCodeAt(i), 1597334677);
      }
      h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
      h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
      return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0').slice(-8);
    };
    fc.assert(
      fc.property(text, (value) => {
        expect(shortHash(value)).toBe(referenceHash(value));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(shortHash('')).toBe(referenceHash(''));
  });

  it('take one pass over a long run of separators in the middle (a pattern anchored at the end takes quadratic time there)', () => {
    const org = `a${'._-'.repeat(400_000)}b`;
    expect(labelValue(org)).toMatch(/^a-[0-9a-f]{8}$/);
    expect(dnsLabel(`a${'-'.repeat(1_000_000)}b`)).toBe('a-b');
    expect(resourceName(`a${'.'.repeat(1_000_000)}b`, 'events')).toMatch(/^a-b-[0-9a-f]{8}-events$/);
  });

  it('are never a Windows device name, whatever follows the dot', () => {
    for (const name of ['con', 'NUL', 'aux', 'Com7', 'lpt1', 'prn']) {
      expect(generatedFileStem(name).split('.')[0]).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i);
      expect(generatedFileStem(name)).not.toBe(generatedFileStem(name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase()));
    }
  });
});
