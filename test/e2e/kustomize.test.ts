/**
 * examples/kustomize through the real `kubectl kustomize`, with the function installed as a legacy exec plugin —
 * the only exec path kubectl and Argo CD have.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden.js';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';

const kubectl = checkTool('kubectl', ['version', '--client']);
const example = join(repoRoot, 'examples', 'kustomize');

function kustomize(dir: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
    encoding: 'utf8',
    env: envWithFunction({ KUSTOMIZE_PLUGIN_HOME: join(example, 'plugin') }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(!kubectl.available)('kubectl kustomize (real binary, legacy exec plugin)', () => {
  it('builds examples/kustomize into the streams plus their Workspaces', () => {
    const build = kustomize(example);
    expect(build.status, build.stderr).toBe(0);
    expectGolden(join(example, '.expected', 'output.yaml'), build.stdout);
  });

  it('fails the build with the field path on stderr when a stream is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kustomize-invalid-'));
    cpSync(example, dir, { recursive: true });
    const streams = readFileSync(join(dir, 'streams.yaml'), 'utf8');
    writeFileSync(join(dir, 'streams.yaml'), streams.replace('awsRegion: us-east-1', 'awsRegion: us-east-9'));
    const build = kustomize(dir);
    expect(build.status).not.toBe(0);
    expect(build.stdout).toBe('');
    expect(build.stderr).toContain('spec.eventbridgeConfiguration.awsRegion');
    expect(build.stderr).toContain('us-east-1');
  });
});
