/**
 * Integration tests skipped outside CI (a tool or ../shared/crds is missing) are counted per test file and listed
 * at the end of the run by test/global-setup.ts, so a skip is never silent. In CI a missing prerequisite fails
 * instead (see checkTool and sharedCrdsAvailable).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, expect, type RunnerTask } from 'vitest';
import { SUMMARY_DIR_ENV } from '../hostile/summary.js';

export const SKIPS_SUBDIR = 'skips';

export interface SkipRecord {
  readonly reason: string;
  readonly file: string;
  /** Skipped tests in the file; `all` when the whole file was skipped (it then runs no hook to count them). */
  readonly skipped: number | 'all';
}

/**
 * Records the skip when a test file is collected (a file whose tests are all skipped runs no hooks), and the
 * number of its skipped tests once it has run.
 */
export function recordSkip(reason: string, root: string): void {
  const dir = process.env[SUMMARY_DIR_ENV];
  const testPath = expect.getState().testPath;
  if (dir === undefined || testPath === undefined) return;
  const target = join(dir, SKIPS_SUBDIR, `${createHash('sha256').update(`${testPath}\0${reason}`).digest('hex').slice(0, 16)}.json`);
  const write = (skipped: number | 'all') => {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify({ reason, file: relative(root, testPath), skipped } satisfies SkipRecord));
  };
  write('all');
  afterAll((_context, suite) => write(countSkipped(suite.tasks)));
}

function countSkipped(tasks: readonly RunnerTask[]): number {
  return tasks.reduce((sum, task) => sum + (task.type === 'suite' ? countSkipped(task.tasks) : task.mode === 'skip' || task.result?.state === 'skip' ? 1 : 0), 0);
}
