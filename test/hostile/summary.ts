/**
 * Counts the hostile-input and property tests report about themselves ("bad-input classes: 17"). Each count is
 * printed and recorded for test/global-setup.ts, which checks them against the table in CONTRIBUTING.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUMMARY_DIR_ENV = 'AUTH0_EVENTSTREAM_FN_SUMMARY_DIR';

export function recordCount(label: string, count: number): void {
  console.log(`hostile-summary: ${label}: ${count}`);
  const dir = process.env[SUMMARY_DIR_ENV];
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.json`), JSON.stringify({ label, count }));
}
