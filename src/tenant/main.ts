/**
 * Entry of the tenant commands (dist/tenant.mjs, loaded by the executable only for them): import, status, test
 * and redeliver. Sets the exit code; prints through the redacting output only.
 */
import { fstatSync } from 'node:fs';
import { redeliverCommand, testCommand } from './actions-command.js';
import type { CommandContext } from './args.js';
import { TenantError } from './errors.js';
import { importCommand } from './import-command.js';
import { Redactor, redactingOutput, type Output } from './output.js';
import { statusCommand } from './status-command.js';

/** Replaced with the package.json version by scripts/build.mjs. */
declare const __AUTH0_EVENTSTREAM_FN_VERSION__: string;

export const TENANT_COMMANDS = ['import', 'status', 'test', 'redeliver'] as const;
export type TenantCommand = (typeof TENANT_COMMANDS)[number];

export async function tenantMain(command: TenantCommand, args: readonly string[]): Promise<void> {
  const redactor = new Redactor();
  const output = redactingOutput(redactor, (fd, text) => (fd === 1 ? process.stdout : process.stderr).write(text));
  const context: CommandContext = {
    env: process.env,
    redactor,
    version: typeof __AUTH0_EVENTSTREAM_FN_VERSION__ === 'string' ? __AUTH0_EVENTSTREAM_FN_VERSION__ : 'dev',
    now: () => new Date(),
    stdin: readStdinUnlessTerminal,
  };
  const code = await run(command, args, context, output);
  // Exit explicitly: when a request fails, the SDK leaves its per-call timer running (up to minutes).
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}

async function run(command: TenantCommand, args: readonly string[], context: CommandContext, output: Output): Promise<number> {
  try {
    switch (command) {
      case 'import':
        return await importCommand(args, context, output);
      case 'status':
        return await statusCommand(args, context, output);
      case 'test':
        return await testCommand(args, context, output);
      case 'redeliver':
        return await redeliverCommand(args, context, output);
    }
  } catch (error) {
    // Every command exits 2 on bad usage and 1 on an error it could not turn into a result.
    if (error instanceof TenantError) {
      output.err(`auth0-eventstream-fn ${command}: ${error.message}${error.kind === 'usage' ? ` (see auth0-eventstream-fn ${command} --help)` : ''}\n`);
      return error.kind === 'usage' ? 2 : 1;
    }
    const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    output.err(`auth0-eventstream-fn ${command}: internal error (please report it): ${message}\n`);
    return 1;
  }
}

/** All of stdin, unless it is a terminal (nobody is piping a package in). */
async function readStdinUnlessTerminal(): Promise<Uint8Array | undefined> {
  try {
    if (fstatSync(0).isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
