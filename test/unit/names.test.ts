import { describe, expect, it } from 'vitest';
import { labelValue, resourceName } from '../../src/core/names.js';

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
