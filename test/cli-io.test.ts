/**
 * The executable's own input and output: stdout closed early, stdin that cannot be read, and output larger
 * than any one write, which goes out in pieces and must come out whole.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runResourceList } from '../src/krm/run.js';
import { parseYaml } from '../src/krm/yaml.js';
import { resourceList as kptShapedList } from '../bench/generate.mjs';
import { cliPath, requireBuiltCli } from './support/tools.js';

requireBuiltCli();

describe('auth0-eventstream-fn I/O', () => {
  // 800 streams and 800 foreign items: about 4 MB of output, more than a pipe holds and several write pieces.
  const input = kptShapedList(800);

  it('writes a large output whole, in pieces, exactly as the adapter computes it', () => {
    const run = spawnSync(process.execPath, [cliPath], { input, maxBuffer: 1 << 30 });
    const expected = runResourceList(new TextEncoder().encode(input));
    expect({ status: run.status, stderr: run.stderr.toString(), same: run.stdout.toString() === expected.stdout }).toStrictEqual({ status: 0, stderr: '', same: true });
    expect(expected.stdout.length).toBeGreaterThan(3 * (1 << 20));
  });

  it('stops quietly when stdout is closed early (… | head -c 10): no stack, no "internal error", exit 141', async () => {
    const child = spawn(process.execPath, [cliPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.end(input);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect({ status, stderr }).toStrictEqual({ status: 141, stderr: '' });
  });

  it('answers a directory on stdin with one clear line and an error ResourceList, exit 1', () => {
    const dir = mkdtempSync(`${tmpdir()}/stdin-dir-`);
    const fd = openSync(dir, 'r');
    try {
      const run = spawnSync(process.execPath, [cliPath], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      const message = 'stdin is a directory; pipe a ResourceList into auth0-eventstream-fn (kpt fn source DIR | auth0-eventstream-fn), or let kpt run it';
      expect({ status: run.status, stderr: run.stderr, stdout: parseYaml(run.stdout) }).toStrictEqual({
        status: 1,
        stderr: `error: ${message}\n`,
        stdout: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results: [{ message, severity: 'error', tags: { rule: 'invalid-input' } }] },
      });
    } finally {
      closeSync(fd);
    }
  });

  it('refuses an input its heap could not hold once parsed, with the numbers and the way out, exit 1', () => {
    const big = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: big}\n  data: {x: ${'x'.repeat(40 << 20)}}\n`;
    const run = spawnSync(process.execPath, ['--max-old-space-size=128', cliPath], { input: big, encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: input is 40 MiB, more than this process can hold once parsed \(about 10× the input, and its heap is limited to \d+ MiB\); give it more with NODE_OPTIONS=--max-old-space-size=\d+, or run the function on parts of the package\n$/,
    );
    expect((parseYaml(run.stdout) as { items: unknown[] }).items).toStrictEqual([]);
  });

  it('stops quietly when stdout closes during --help too', async () => {
    const child = spawn(process.execPath, [cliPath, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect([0, 141]).toContain(status);
  });
});
