/**
 * dist/ on its own is the runtime: the Docker image copies nothing else. Run from a copy far from any
 * node_modules, the function must still work in both modes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyYaml } from '../src/krm/yaml.js';
import { checkHealth } from './support/health-client.js';
import { eventbridgeSpec, resourceList, stream } from './support/krm.js';
import { repoRoot, requireBuiltCli } from './support/tools.js';

let copy: string;
let bin: string;
beforeAll(() => {
  requireBuiltCli();
  copy = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-dist-'));
  cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  bin = join(copy, 'dist', 'auth0-eventstream-fn.cjs');
  for (let dir = copy; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules is reachable from ${copy}; the copy would not prove dist/ self-contained`);
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('dist/ alone, as the image holds it', () => {
  it('runs the KRM function', () => {
    const input = stringifyYaml(resourceList([stream('tenant', { namespace: 'identity', spec: eventbridgeSpec() })]));
    const run = spawnSync(process.execPath, [bin], { input, encoding: 'utf8', cwd: copy, env: { PATH: process.env['PATH'] ?? '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('kind: Workspace');
  });

  it('serves gRPC, reports SERVING, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--insecure', '--address', '127.0.0.1:0'], { cwd: copy, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const match = /"msg":"serving".*?"port":(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(await checkHealth(port)).toBe(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
