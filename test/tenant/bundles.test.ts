/**
 * The auth0 SDK ships only in dist/tenant.mjs: the KRM path and the server's start-up never load it, and the
 * bundle works from dist/ alone, as the image holds it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER, STREAMS } from '../support/auth0-fixtures.js';
import { FakeAuth0 } from '../support/fake-auth0.js';
import { runCli } from '../support/tenant-cli.js';
import { repoRoot, requireBuiltCli } from '../support/tools.js';

/** A string only the SDK's token handling holds. */
const SDK_MARK = 'ManagementClient: token request failed';

let copy: string;
let fake: FakeAuth0;
beforeAll(async () => {
  requireBuiltCli();
  copy = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-tenant-dist-'));
  cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  for (let dir = copy; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules is reachable from ${copy}`);
  }
  fake = await FakeAuth0.start({ clients: [READER], streams: STREAMS });
});
afterAll(async () => {
  rmSync(copy, { recursive: true, force: true });
  await fake.close();
});

describe('where the auth0 SDK is', () => {
  it('in tenant.mjs only', () => {
    expect(readFileSync(join(repoRoot, 'dist', 'tenant.mjs'), 'utf8')).toContain(SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'krm.cjs'), 'utf8')).not.toContain(SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'serve.mjs'), 'utf8')).not.toContain(SDK_MARK);
    expect(readFileSync(join(repoRoot, 'dist', 'auth0-eventstream-fn.cjs'), 'utf8')).not.toContain(SDK_MARK);
  });

  it('import runs from a copy of dist/ far from node_modules', async () => {
    const run = await runCli(['import'], fake, { client: READER, cwd: copy, bin: join(copy, 'dist', 'auth0-eventstream-fn.cjs') });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('kind: ResourceList');
  });
});
