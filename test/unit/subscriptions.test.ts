import { describe, expect, it } from 'vitest';
import { expandWildcard, KNOWN_EVENT_TYPES } from '../../src/core/subscriptions.js';

describe('event types', () => {
  it('come from the auth0 SDK: 25 types in four families', () => {
    expect(KNOWN_EVENT_TYPES).toHaveLength(25);
    expect([...new Set(KNOWN_EVENT_TYPES.map((type) => type.split('.')[0]))].sort()).toStrictEqual(['connection', 'group', 'organization', 'user']);
  });

  it.each([
    ['user.*', ['user.created', 'user.deleted', 'user.updated']],
    ['organization.member.role.*', ['organization.member.role.assigned', 'organization.member.role.deleted']],
    ['*.created', ['connection.created', 'group.created', 'organization.created', 'user.created']],
    ['billing.*', []],
  ])('%s expands to %j', (pattern, want) => {
    expect([...expandWildcard(pattern)].sort()).toStrictEqual(want);
  });

  it('* is every type', () => {
    expect(expandWildcard('*')).toStrictEqual([...KNOWN_EVENT_TYPES]);
  });
});
