/** What no output of a tenant command may contain: the client secret (in any form) and the access tokens. */
import { expect } from 'vitest';
import type { FakeAuth0 } from '../support/fake-auth0.js';
import type { CliRun } from '../support/tenant-cli.js';
import { CLIENT_SECRET } from '../support/auth0-fixtures.js';

export function expectNoSecrets(run: CliRun, fake: FakeAuth0, files: readonly string[] = []): void {
  const forms = [CLIENT_SECRET, JSON.stringify(CLIENT_SECRET).slice(1, -1), encodeURIComponent(CLIENT_SECRET), ...fake.issuedTokens];
  for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr], ...files.map((file, index) => [`file ${index}`, file])] as const) {
    for (const secret of forms) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
  }
}

/** Read-only commands: the token request is the only POST, and nothing is ever PATCHed, PUT or DELETEd. */
export function expectReadOnly(fake: FakeAuth0): void {
  const mutating = fake.requests.filter((request) => request.method !== 'GET' && !(request.method === 'POST' && request.path === '/oauth/token'));
  expect(mutating.map((request) => `${request.method} ${request.path}`)).toEqual([]);
}
