/**
 * Around the whole run: collects the counts the hostile-input and property tests record, and checks the table
 * in CONTRIBUTING.md ("Hostile-input tests") against them. `UPDATE_GOLDEN=1` rewrites the table and fails, like every golden.
 * Lists the tests skipped for a missing tool or ../shared/crds after the summary.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUMMARY_DIR_ENV } from './hostile/summary.js';
import { SKIPS_SUBDIR, type SkipRecord } from './support/skips.js';
import { repoRoot, updateGolden } from './support/tools.js';

const START = '<!-- generated:hostile-summary -->';
const END = '<!-- /generated:hostile-summary -->';

export function setup(): void {
  process.env[SUMMARY_DIR_ENV] = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-summary-'));
}

export function teardown(): void {
  const dir = process.env[SUMMARY_DIR_ENV]!;
  const recorded = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { label: string; count: number });
  reportSkips(join(dir, SKIPS_SUBDIR));
  rmSync(dir, { recursive: true, force: true });
  if (recorded.length === 0) return;
  const readmePath = join(repoRoot, 'CONTRIBUTING.md');
  const readme = readFileSync(readmePath, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`CONTRIBUTING.md has no ${START} section for the hostile-input counts`);
  const rows = new Map(
    readme
      .slice(from + START.length, to)
      .split('\n')
      .map((line) => /^\| (.+?) \| (\d+) \|$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, Number(match[2])]),
  );
  const stale = recorded.filter(({ label, count }) => rows.get(label) !== count);
  if (stale.length === 0) return;
  if (updateGolden) {
    for (const { label, count } of recorded) rows.set(label, count);
    const table = ['| what the tests tried | count |', '| --- | --- |', ...[...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([label, count]) => `| ${label} | ${count} |`)].join(
      '\n',
    );
    writeFileSync(readmePath, `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
    fail('rewrote the hostile-input table in CONTRIBUTING.md; review it and commit it');
    return;
  }
  fail(`CONTRIBUTING.md's hostile-input table is stale (${stale.map(({ label, count }) => `${label}: ${count}`).join(', ')}); run the tests with UPDATE_GOLDEN=1`);
}

/** Prints, after vitest's summary, which tests were skipped and why (outside CI a missing tool skips, silently otherwise). */
function reportSkips(dir: string): void {
  if (!existsSync(dir)) return;
  const byReason = new Map<string, string[]>();
  for (const file of readdirSync(dir).sort()) {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SkipRecord;
    const what = record.skipped === 'all' ? `every test of ${record.file}` : `${record.skipped} tests of ${record.file}`;
    byReason.set(record.reason, [...(byReason.get(record.reason) ?? []), what]);
  }
  if (byReason.size === 0) return;
  const lines = [...byReason].map(([reason, skipped]) => `  ${skipped.sort().join(', ')}: ${reason}`);
  console.warn(`\nSKIPPED (in CI, where CI=true, these fail instead; CONTRIBUTING.md "Tests" says what they need):\n${lines.join('\n')}\n`);
}

/** vitest reports an error thrown from teardown but still exits 0; the run must fail. */
function fail(message: string): void {
  console.error(`\nFAIL ${message}\n`);
  process.exitCode = 1;
}
