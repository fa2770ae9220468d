/**
 * The auth0 SDK ships only in dist/tenant.mjs: the KRM path and the server's start-up never load it, and the
 * bundle works from dist/ alone, as the image holds it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER, STREAMS } from '../support/auth0-fixtures.js';
import { FakeAuth0 } from '../support/fake-auth0.js';
import { runCli } from '../support/tenant-cli.js';
import { AUTH0_SDK_MARK, copyOfDistAlone, repoRoot, requireBuiltCli } from '../support/tools.js';

let copy: string;
let fake: FakeAuth0;
beforeAll(async () => {
  requireBuiltCli();
  copy = copyOfDistAlone('auth0-eventstream-fn-tenant-dist-');
  fake = await FakeAuth0.start({ clients: [READER], streams: STREAMS });
});
afterAll(async () => {
  rmSync(copy, { recursive: true, force: true });
  await fake.close();
});

describe('where the auth0 SDK is', () => {
  it('in tenant.mjs only', () => {
    expect(readFileSync(join(repoRoot, 'dist', 'tenant.mjs'), 'utf8')).toContain(AUTH0_SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'krm.cjs'), 'utf8')).not.toContain(AUTH0_SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'serve.mjs'), 'utf8')).not.toContain(AUTH0_SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'auth0-eventstream-fn.cjs'), 'utf8')).not.toContain(AUTH0_SDK_MARK);
  });

  it('import runs from a copy of dist/ far from node_modules', async () => {
    const run = await runCli(['import'], fake, { client: READER, cwd: copy, bin: join(copy, 'dist', 'auth0-eventstream-fn.cjs') });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('kind: ResourceList');
  });
});
