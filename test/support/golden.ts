/**
 * Golden files: `UPDATE_GOLDEN=1` rewrites a golden file with what the test produced and fails the test, so a
 * rewrite is never silent; otherwise the output must equal the file byte for byte.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { updateGolden } from './tools.js';

/** Compares `actual` with the golden `file`; writes it (and fails) when asked to, or when the file is missing. */
export function expectGolden(file: string, actual: string): void {
  if (updateGolden || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    throw new Error(`wrote ${file}; review it and commit it`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
