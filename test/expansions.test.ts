/**
 * Golden expansions: each directory under test/expansions holds the items a user writes (`input.yaml`), an
 * optional functionConfig (`_fnconfig.yaml`) and the whole expected answer (`_expected.yaml`: exit code and
 * stderr as comments, then the ResourceList). `UPDATE_GOLDEN=1` rewrites the expectation and fails the test,
 * so a rewrite is never silent. Every passing case is also run again on its own output, which must not change.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runResourceList } from '../src/krm/run.js';
import { repoRoot, updateGolden } from './support/tools.js';

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

describe.each(cases)('test/expansions/%s', (name) => {
  const dir = join(root, name);

  it('expands to _expected.yaml', () => {
    const { text } = render(resourceList(dir));
    const expected = join(dir, '_expected.yaml');
    if (updateGolden || !existsSync(expected)) {
      writeFileSync(expected, text);
      throw new Error(`rewrote ${expected}; review it and commit it`);
    }
    expect(text).toBe(readFileSync(expected, 'utf8'));
  });

  it('changes nothing when run on its own output', () => {
    const first = render(resourceList(dir));
    if (first.exitCode !== 0) return;
    expect(render(first.stdout).stdout).toBe(first.stdout);
  });
});
