/**
 * The executable. `serve` loads the gRPC server bundle (dist/serve.mjs); `import`, `status`, `test` and
 * `redeliver` load the Management API bundle (dist/tenant.mjs, with the auth0 SDK); everything else runs the KRM bundle
 * (dist/krm.cjs) compiled from V8's code cache (dist/krm.cjs.cache, written at build time), which saves most
 * of the compile time a cold start would spend. A cache that does not match this Node.js is ignored by V8.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** Set by scripts/build.mjs: after the run, write the code cache of everything the run compiled. */
const WRITE_CACHE = 'AUTH0_EVENTSTREAM_FN_WRITE_CODE_CACHE';

/** Subcommands that talk to an Auth0 tenant. */
const TENANT_COMMANDS = new Set(['import', 'status', 'test', 'redeliver']);

const args = process.argv.slice(2);
if (args[0] !== undefined && TENANT_COMMANDS.has(args[0])) {
  const command = args[0];
  import(pathToFileURL(join(__dirname, 'tenant.mjs')).href)
    .then((tenant: { tenantMain(command: string, args: string[]): Promise<void> }) => tenant.tenantMain(command, args.slice(1)))
    .catch((error: unknown) => {
      process.stderr.write(`error: cannot run ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
} else if (args[0] === 'serve') {
  import(pathToFileURL(join(__dirname, 'serve.mjs')).href)
    .then((server: { serveMain(args: string[]): Promise<void> }) => server.serveMain(args.slice(1)))
    .catch((error: unknown) => {
      process.stderr.write(`error: cannot start the server: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
} else {
  runKrmBundle(join(__dirname, 'krm.cjs'));
}

function runKrmBundle(file: string): void {
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const bundle = { exports: {} };
  run.call(bundle.exports, bundle.exports, createRequire(file), bundle, file, __dirname);
  if (process.env[WRITE_CACHE] === '1') process.once('exit', () => writeFileSync(`${file}.cache`, script.createCachedData()));
}
