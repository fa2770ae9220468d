#!/usr/bin/env node
// Builds dist/ for Node 20, minified (start-up is mostly parse and compile time):
//   auth0-eventstream-fn.cjs  the executable (src/bin.cts): `serve` → serve.mjs, anything else → krm.cjs
//   krm.cjs                   the KRM command line (src/cli.ts) with the core: everything the KRM path runs
//   krm.cjs.cache             V8's code cache for krm.cjs, from one run over the examples
//   serve.mjs                 the Crossplane gRPC server (src/crossplane/serve.ts), loaded only by `serve`
//   chunks/serve-*.mjs        what the server loads later: the tenant client and the auth0 SDK (delivery health)
//   tenant.mjs                import, status, test, redeliver (src/tenant/main.ts) with the auth0 SDK, loaded only by them
// The build fails when a package that must stay off the KRM path shows up in krm.cjs, or the auth0 SDK in
// what serve.mjs loads at start-up.
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { dump, load, loadAll } from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const entryName = 'auth0-eventstream-fn';
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Packages the KRM path (the entry file and what it imports statically) must not contain. */
const OFF_KRM_PATH = ['auth0', 'yaml', '@grpc/grpc-js', '@crossplane-org/function-sdk-typescript'];
/** Packages the server's start-up (serve.mjs and what it imports statically) must not contain. */
const OFF_SERVE_START = ['auth0'];

rmSync(outdir, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __AUTH0_EVENTSTREAM_FN_VERSION__: JSON.stringify(version) },
};

await build({ ...common, format: 'cjs', entryPoints: ['src/bin.cts'], outfile: join(outdir, `${entryName}.cjs`), banner: { js: '#!/usr/bin/env node' } });
const result = await build({ ...common, format: 'cjs', entryPoints: ['src/cli.ts'], outfile: join(outdir, 'krm.cjs'), metafile: true });
// CommonJS dependencies bundled into ESM call require() for Node built-ins.
const esmRequire = { js: "import { createRequire as __auth0EsFnCreateRequire } from 'node:module';\nconst require = __auth0EsFnCreateRequire(import.meta.url);" };
// Split, so that what the server loads only when asked to (the tenant client and the auth0 SDK, for delivery
// health) stays in chunks of its own.
const serve = await build({
  ...common,
  format: 'esm',
  entryPoints: { serve: 'src/crossplane/serve.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/serve-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: esmRequire,
  metafile: true,
});
await build({ ...common, format: 'esm', entryPoints: ['src/tenant/main.ts'], outfile: join(outdir, 'tenant.mjs'), banner: esmRequire });

const entryFile = join(outdir, `${entryName}.cjs`);
const offending = offPath(result.metafile, 'krm.cjs', OFF_KRM_PATH);
if (offending.length > 0) {
  console.error(`build: these modules must not be on the KRM path (only behind a dynamic import):\n  ${offending.join('\n  ')}`);
  process.exit(1);
}
const offServe = offPath(serve.metafile, 'serve.mjs', OFF_SERVE_START);
if (offServe.length > 0) {
  console.error(`build: these modules must not be loaded when the server starts (only behind a dynamic import):\n  ${offServe.join('\n  ')}`);
  process.exit(1);
}
chmodSync(entryFile, 0o755);
writeCodeCache();

/**
 * Runs the function once over every example stream (and one invalid one), as kpt sends them — a ResourceList
 * with file annotations — so that the cache holds what a render compiles.
 */
function writeCodeCache() {
  const examples = join(root, 'examples', 'kpt');
  const documents = readdirSync(examples).flatMap((pkg) =>
    readdirSync(join(examples, pkg))
      .filter((file) => file === 'streams.yaml' || file === 'configmap.yaml')
      .flatMap((file) => loadAll(readFileSync(join(examples, pkg, file), 'utf8')).map((item, index) => withFileAnnotations(item, `${pkg}/${file}`, index))),
  );
  documents.push({
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name: 'broken' },
    spec: { destinationType: 'kafka', subscriptions: ['user.blocked'] },
  });
  const functionConfig = load(readFileSync(join(examples, 'eventbridge-stream', 'fn-config.yaml'), 'utf8'));
  const run = spawnSync(process.execPath, [entryFile], {
    input: dump({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: documents, functionConfig }, { lineWidth: -1 }),
    env: { ...process.env, AUTH0_EVENTSTREAM_FN_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 1 || !run.stdout.includes('kind: Workspace')) {
    console.error(`build: the warm-up run for the code cache did not behave (exit ${run.status}):\n${run.stderr}`);
    process.exit(1);
  }
}

function withFileAnnotations(item, path, index) {
  const annotations = { ...item.metadata.annotations, 'internal.config.kubernetes.io/path': path, 'internal.config.kubernetes.io/index': String(index) };
  return { ...item, metadata: { ...item.metadata, annotations } };
}

/** The inputs of `bundle` (a file in dist/) and its static imports that belong to one of `packages`. */
function offPath(metafile, bundle, packages) {
  return krmPathInputs(metafile, relative(root, join(outdir, bundle))).filter((input) => packages.some((pkg) => input.includes(`node_modules/${pkg}/`)));
}

/** Every source file in `entry` and in the chunks it imports statically, transitively. */
function krmPathInputs(metafile, entry) {
  const seen = new Set();
  const inputs = new Set();
  const visit = (output) => {
    if (seen.has(output)) return;
    seen.add(output);
    const meta = metafile.outputs[output];
    if (meta === undefined) throw new Error(`build: ${output} is not in the metafile`);
    for (const input of Object.keys(meta.inputs)) inputs.add(input);
    for (const imported of meta.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...inputs];
}
