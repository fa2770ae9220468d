// The core's own tables (rules, destinations), read from its TypeScript source as the build sees it. The
// generated files the core imports are taken from this run, not from disk, so a stale or missing one cannot
// change what is generated.
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * @param root the repository
 * @param generated generated files by repository path (`src/core/schema/generated/...`), used instead of the files on disk
 */
export async function loadCore(root, generated) {
  const inMemory = {
    name: 'generated-in-memory',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]src[\\/]core[\\/]schema[\\/]generated[\\/]/ }, (args) => {
        const key = [...generated.keys()].find((path) => args.path.endsWith(join(path)));
        if (key === undefined) return undefined;
        return { contents: generated.get(key), loader: key.endsWith('.json') ? 'json' : key.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/core/index.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [inMemory],
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}
