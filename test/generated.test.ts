/** Everything generated from the schemas and the auth0 SDK (validators, XRD, input CRD, README tables) is committed up to date. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './support/tools.js';

it('generated files match their sources (npm run generate leaves the tree unchanged)', () => {
  const check = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate.mjs'), '--check'], { encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
});
