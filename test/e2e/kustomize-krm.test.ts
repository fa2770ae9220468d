/**
 * examples/kustomize-krm, the KRM exec transformer for standalone `kustomize build --enable-exec`. Standalone
 * kustomize is not among the tools the tests have; what can run for real here does:
 * - kubectl's kustomize loads the kustomization under kustomize's load restrictor (every file is inside the
 *   kustomization root; kubectl then skips the exec function itself, as it does with every exec function);
 * - the transformer config and run-function.sh, run through kpt's ResourceList runtime, expand the stream.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';

const kubectl = checkTool('kubectl', ['version', '--client']);
const kpt = checkTool('kpt');
const example = join(repoRoot, 'examples', 'kustomize-krm');

describe.skipIf(!kubectl.available)('examples/kustomize-krm under kubectl kustomize', () => {
  it('loads: kustomize finds every file inside the kustomization root', () => {
    const build = spawnSync('kubectl', ['kustomize', '--enable-alpha-plugins', example], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect((loadAll(build.stdout) as Array<{ kind: string; metadata: { name: string } }>).map((item) => `${item.kind}/${item.metadata.name}`)).toStrictEqual([
      'Auth0EventStream/support-desk',
    ]);
  });
});

describe.skipIf(!kpt.available)('examples/kustomize-krm through kpt', () => {
  it('transformer.yaml is a function config the function accepts, and run-function.sh runs it', () => {
    // The resources kustomize would hand the transformer: streams.yaml (kpt would read kustomization.yaml as one).
    const tmp = mkdtempSync(join(tmpdir(), 'kustomize-krm-'));
    const dir = join(tmp, 'resources');
    cpSync(join(example, 'streams.yaml'), join(dir, 'streams.yaml'));
    const run = spawnSync('kpt', ['fn', 'eval', dir, '--exec', join(example, 'run-function.sh'), '--fn-config', join(example, 'transformer.yaml')], {
      encoding: 'utf8',
      env: envWithFunction(),
    });
    expect(run.status, run.stderr).toBe(0);
    const generated = readdirSync(dir).filter((file) => file.endsWith('.generated.yaml'));
    expect(generated).toStrictEqual(['support-desk.generated.yaml']);
    const items = loadAll(readFileSync(join(dir, generated[0]!), 'utf8')) as Array<{ kind: string; metadata: { name: string } }>;
    expect(items.map((item) => `${item.kind}/${item.metadata.name}`)).toContain('Workspace/support-desk-auth0-stream');
  });
});
