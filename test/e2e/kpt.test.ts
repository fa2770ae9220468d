/**
 * The kpt examples through the real kpt, as kpt's own e2e runner checks catalog functions: render (and eval)
 * a fresh git copy of the package, compare `git diff` with `.expected/diff.patch` and the results file with
 * `.expected/results.yaml`; then run again and require that nothing changes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden.js';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';

const kpt = checkTool('kpt');
const examplesDir = join(repoRoot, 'examples', 'kpt');
const examples = readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'Kptfile')));

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=none', '-c', 'user.email=none', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_DIFF_OPTS: '' },
  });
}

function freshCopy(example: string): { pkg: string; tmp: string } {
  const tmp = mkdtempSync(join(tmpdir(), `kpt-${example}-`));
  const pkg = join(tmp, example);
  cpSync(join(examplesDir, example), pkg, { recursive: true, filter: (src) => !src.includes('.expected') });
  git(pkg, 'init', '-q');
  git(pkg, 'add', '-A');
  git(pkg, 'commit', '-qm', 'first');
  return { pkg, tmp };
}

function kptRun(args: string[], cwd: string): { status: number | null; stderr: string } {
  const run = spawnSync('kpt', args, { cwd, encoding: 'utf8', env: envWithFunction() });
  return { status: run.status, stderr: run.stderr };
}

/** The change a run made to the package, as a patch; empty when it changed nothing. */
function commitAndDiff(pkg: string, message: string): string {
  git(pkg, 'add', '-A');
  git(pkg, 'commit', '-qm', message, '--allow-empty');
  return git(pkg, 'diff', 'HEAD~1', 'HEAD');
}

describe.skipIf(!kpt.available)('kpt (real binary)', () => {
  describe.each(examples)('examples/kpt/%s', (example) => {
    const expected = join(examplesDir, example, '.expected');

    it('kpt fn render --allow-exec produces the expected change and results, and a second render changes nothing', () => {
      const { pkg, tmp } = freshCopy(example);
      const resultsDir = join(tmp, 'results');
      const foreign = readFileSync(join(pkg, 'configmap.yaml'), 'utf8');

      const first = kptRun(['fn', 'render', pkg, '--allow-exec', '--results-dir', resultsDir], tmp);
      expect(first.stderr).not.toMatch(/internal error/);
      expect(first.status, first.stderr).toBe(0);
      expectGolden(join(expected, 'diff.patch'), commitAndDiff(pkg, 'render'));
      expectGolden(join(expected, 'results.yaml'), readFileSync(join(resultsDir, 'results.yaml'), 'utf8'));
      expect(readFileSync(join(pkg, 'configmap.yaml'), 'utf8'), 'comments and order of foreign items are kept').toBe(foreign);

      const second = kptRun(['fn', 'render', pkg, '--allow-exec', '--results-dir', resultsDir], tmp);
      expect(second.status, second.stderr).toBe(0);
      expect(commitAndDiff(pkg, 'render again')).toBe('');
    });

    it('kpt fn eval --exec gives the same files, and a second eval changes nothing', () => {
      const { pkg, tmp } = freshCopy(example);
      const evalArgs = ['fn', 'eval', pkg, '--exec', 'auth0-eventstream-fn', '--fn-config', join(pkg, 'fn-config.yaml')];

      const first = kptRun(evalArgs, tmp);
      expect(first.status, first.stderr).toBe(0);
      expect(commitAndDiff(pkg, 'eval')).toBe(readFileSync(join(expected, 'diff.patch'), 'utf8'));

      const second = kptRun(evalArgs, tmp);
      expect(second.status, second.stderr).toBe(0);
      expect(commitAndDiff(pkg, 'eval again')).toBe('');
    });
  });
  describe('an invalid stream', () => {
    /** The webhook example with a typo in one stream, and a non-stream item that must survive. */
    function brokenCopy(): { pkg: string; tmp: string } {
      const copy = freshCopy('webhook-stream');
      const streams = join(copy.pkg, 'streams.yaml');
      writeFileSync(streams, readFileSync(streams, 'utf8').replace('  destination_type: webhook\n', '  destination_type: webhooks\n'));
      git(copy.pkg, 'commit', '-qam', 'typo');
      return copy;
    }

    it.each([
      ['kpt fn render --allow-exec', (pkg: string) => ['fn', 'render', pkg, '--allow-exec']],
      ['kpt fn eval --exec', (pkg: string) => ['fn', 'eval', pkg, '--exec', 'auth0-eventstream-fn', '--fn-config', join(pkg, 'fn-config.yaml')]],
    ])('%s fails, names the field and the file, and leaves every file as it was', (_name, args) => {
      const { pkg, tmp } = brokenCopy();
      const run = kptRun(args(pkg), tmp);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/spec\.destination_type/);
      expect(run.stderr).toMatch(/webhooks/);
      expect(run.stderr).toMatch(/streams\.yaml/);
      expect(commitAndDiff(pkg, 'failed run')).toBe('');
      expect(git(pkg, 'status', '--porcelain')).toBe('');
    });
  });
});
