/**
 * External tools the integration tests drive (kpt, kubectl, openssl). In CI (`CI=true`) a missing tool fails
 * the test; elsewhere the test is skipped with a printed reason.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordSkip } from './skips.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'auth0-eventstream-fn.cjs');

export interface ToolCheck {
  readonly available: boolean;
  readonly reason: string;
}

export function checkTool(command: string, args: readonly string[] = ['version']): ToolCheck {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return { available: true, reason: '' };
  const reason = `${command} is not installed or does not run (${probe.error?.message ?? `exit ${probe.status}`})`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}; CI needs it for the integration tests`);
  console.warn(`skipping ${command} integration tests: ${reason}`);
  recordSkip(reason, repoRoot);
  return { available: false, reason };
}

/** The built CLI must exist: `npm test` builds it first. */
export function requireBuiltCli(): void {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing; run \`npm run build\` first (npm test does).`);
}

let binDir: string | undefined;

/** A directory holding `auth0-eventstream-fn` (the built CLI), to put first on PATH as an installed binary would be. */
export function functionBinDir(): string {
  requireBuiltCli();
  if (binDir === undefined) {
    binDir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-bin-'));
    mkdirSync(binDir, { recursive: true });
    symlinkSync(cliPath, join(binDir, 'auth0-eventstream-fn'));
  }
  return binDir;
}

/** The environment for running tools that call the function by name. */
export function envWithFunction(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${functionBinDir()}:${process.env['PATH'] ?? ''}`, ...extra };
}

/** With `UPDATE_GOLDEN=1` a golden file is rewritten and the test fails, so a rewrite is never silent. */
export const updateGolden = process.env['UPDATE_GOLDEN'] === '1';

/** A string only the auth0 SDK's token handling holds: where it is found, the SDK is bundled. */
export const AUTH0_SDK_MARK = 'ManagementClient: token request failed';

/**
 * A copy of dist/ in a new temporary directory from which no node_modules is reachable, as the image holds it:
 * what runs from there runs on its bundles alone. The caller removes it.
 */
export function copyOfDistAlone(prefix: string): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(repoRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  for (let dir = copy; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules is reachable from ${copy}`);
  }
  return copy;
}
