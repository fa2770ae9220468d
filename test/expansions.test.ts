/**
 * Golden expansions: each directory under test/expansions holds the items a user writes (`input.yaml`), an
 * optional functionConfig (`_fnconfig.yaml`) and the whole expected answer of each adapter: `_expected.yaml`
 * for kpt (exit code and stderr as comments, then the ResourceList), `_crossplane.yaml` for Crossplane (each
 * stream as an XR, the functionConfig as the step input, the whole RunFunctionResponse). `UPDATE_GOLDEN=1`
 * rewrites the expectations and fails the test, so a rewrite is never silent. Every passing case is also run
 * again on its own output, which must not change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load, loadAll } from 'js-yaml';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../src/crossplane/compose.js';
import { runResourceList } from '../src/krm/run.js';
import { expectGolden } from './support/golden.js';
import { repoRoot } from './support/tools.js';

const root = join(repoRoot, 'test', 'expansions');
const cases = readdirSync(root)
  .filter((name) => existsSync(join(root, name, 'input.yaml')))
  .sort();

/** The ResourceList kpt would send for the case: items annotated with their file and index. */
function resourceList(dir: string): string {
  const items = (loadAll(readFileSync(join(dir, 'input.yaml'), 'utf8')) as Array<{ metadata: { annotations?: Record<string, string> } }>).map((item, index) => ({
    ...item,
    metadata: {
      ...item.metadata,
      annotations: { ...item.metadata.annotations, 'internal.config.kubernetes.io/path': 'input.yaml', 'internal.config.kubernetes.io/index': String(index) },
    },
  }));
  const configFile = join(dir, '_fnconfig.yaml');
  const functionConfig = existsSync(configFile) ? load(readFileSync(configFile, 'utf8')) : undefined;
  return dump({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...(functionConfig ? { functionConfig } : {}) }, { noRefs: true, lineWidth: -1 });
}

function render(stdin: string): { text: string; stdout: string; exitCode: number } {
  const output = runResourceList(Buffer.from(stdin));
  const stderr = output.stderr.map((line) => `#   ${line}`);
  const text = [`# exit code: ${output.exitCode}`, '# stderr:', ...stderr, output.stdout].join('\n');
  return { text, stdout: output.stdout, exitCode: output.exitCode };
}

/** What Crossplane answers for each stream of the case, as the XR of one request, with the functionConfig as the step input. */
function crossplaneAnswers(dir: string): string {
  const items = loadAll(readFileSync(join(dir, 'input.yaml'), 'utf8')) as Array<{ kind?: unknown; metadata: { name: string; namespace?: string } }>;
  const configFile = join(dir, '_fnconfig.yaml');
  const input = existsSync(configFile) ? (load(readFileSync(configFile, 'utf8')) as Record<string, unknown>) : undefined;
  return items
    .filter((item) => item.kind === 'Auth0EventStream')
    .map((item) => {
      const request = RunFunctionRequest.fromPartial({ meta: { tag: 'golden' }, observed: { composite: { resource: item } }, ...(input ? { input } : {}) });
      const xr = `${item.metadata.namespace ?? ''}/${item.metadata.name}`;
      return dump({ xr, response: RunFunctionResponse.toJSON(runFunction(request)) }, { noRefs: true, lineWidth: -1 });
    })
    .join('---\n');
}

describe.each(cases)('test/expansions/%s', (name) => {
  const dir = join(root, name);

  it('expands to _expected.yaml', () => {
    const { text } = render(resourceList(dir));
    expectGolden(join(dir, '_expected.yaml'), text);
  });

  it('composes in Crossplane to _crossplane.yaml', () => {
    expectGolden(join(dir, '_crossplane.yaml'), crossplaneAnswers(dir));
  });

  it('changes nothing when run on its own output', () => {
    const first = render(resourceList(dir));
    if (first.exitCode !== 0) return;
    expect(render(first.stdout).stdout).toBe(first.stdout);
  });
});
