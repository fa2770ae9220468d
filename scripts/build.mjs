#!/usr/bin/env node
// Bundles src/cli.ts into dist/auth0-eventstream-fn.mjs (an executable ESM file for Node 20). Code only
// reached through dynamic import() — the Crossplane gRPC server — goes to dist/chunks/, so the KRM path
// loads none of it. The build fails when a package that must stay off the KRM path shows up on it.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const entryName = 'auth0-eventstream-fn';
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Packages the KRM path (the entry file and what it imports statically) must not contain. */
const OFF_KRM_PATH = ['auth0', 'yaml', '@kubernetes/client-node', '@grpc/grpc-js', '@crossplane-org/function-sdk-typescript'];

rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { [entryName]: 'src/cli.ts' },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  define: { __AUTH0_EVENTSTREAM_FN_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies bundled into ESM call require() for Node built-ins.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __auth0EsFnCreateRequire } from 'node:module';",
      'const require = __auth0EsFnCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});

const entryFile = join(outdir, `${entryName}.mjs`);
const offending = krmPathInputs(result.metafile, relative(root, entryFile)).filter((input) =>
  OFF_KRM_PATH.some((pkg) => input.includes(`node_modules/${pkg}/`)),
);
if (offending.length > 0) {
  console.error(`build: these modules must not be on the KRM path (only behind a dynamic import):\n  ${offending.join('\n  ')}`);
  process.exit(1);
}
chmodSync(entryFile, 0o755);

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
