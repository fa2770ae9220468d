/**
 * The `import` block of an adopted stream, as the real `terraform` binary reads it. No provider can be downloaded
 * here, so the auth0 resource is swapped for `terraform_data` (Terraform's built-in provider, which supports
 * import): the block itself is the one the module builder writes — first built directly with `importBlock`, then
 * taken from the Workspace the function generates for an adopting stream — and `terraform plan` must plan to
 * import it. A block of the wrong shape fails, which shows that Terraform really reads it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADOPT_ANNOTATION, expandStream, readConfig } from '../../src/core/index.js';
import { importBlock, literal, moduleJson, type ModuleObject } from '../../src/core/expand/terraform-module.js';
import { checkTool } from '../support/tools.js';
import { webhook } from '../support/streams.js';

const terraform = checkTool('terraform');
const ID = 'est_jmj7QpymGFqmysiCpWAcZe';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Plan {
  readonly ok: boolean;
  /** `{add, change, import, remove}` from the plan's change summary. */
  readonly changes?: Record<string, number>;
  readonly errors: readonly string[];
}

/** `terraform init` and `terraform plan -json` on a module; the change summary or the error summaries. */
function plan(moduleText: string): Plan {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-import-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'main.tf.json'), moduleText);
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const init = spawnSync('terraform', ['init', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) return { ok: false, errors: [init.stderr] };
  const run = spawnSync('terraform', ['plan', '-json', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  const messages = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; changes?: Record<string, number>; diagnostic?: { severity: string; summary: string } });
  const summary = messages.find((message) => message.type === 'change_summary');
  const errors = messages.filter((message) => message.diagnostic?.severity === 'error').map((message) => message.diagnostic!.summary);
  return { ok: run.status === 0, errors, ...(summary?.changes ? { changes: summary.changes } : {}) };
}

/** A module whose one resource is `terraform_data.this`, with the given import blocks. */
function dataModule(imports: readonly ModuleObject[]): string {
  return moduleJson({ import: imports, resource: { terraform_data: { this: { input: literal('adopted') } } } });
}

describe.skipIf(!terraform.available)('the import block under the real terraform binary', () => {
  it('importBlock() gives a block Terraform plans to import', () => {
    const result = plan(dataModule([importBlock('terraform_data', 'this', ID)]));
    expect(result.errors).toStrictEqual([]);
    expect(result.changes).toMatchObject({ import: 1, add: 0, remove: 0 });
  });

  it('the Workspace generated for an adopting stream carries that block, which Terraform plans to import', () => {
    const item = webhook('crm', {}, { metadata: { name: 'crm', namespace: 'identity', annotations: { [ADOPT_ANNOTATION]: ID } } });
    const expansion = expandStream(item, readConfig(undefined).config);
    const workspace = expansion.resources.find((resource) => resource.role === 'workspace')!.object as unknown as { spec: { forProvider: { module: string } } };
    const module = JSON.parse(workspace.spec.forProvider.module) as { import: Array<{ to: string; id: string }> };
    expect(module.import).toStrictEqual([{ to: 'auth0_event_stream.this', id: ID }]);
    // The same block, with the address of the built-in resource that stands in for auth0_event_stream.
    const blocks = module.import.map((block) => ({ ...block, to: block.to.replace(/^auth0_event_stream\./, 'terraform_data.') }));
    const result = plan(JSON.stringify({ import: blocks, resource: { terraform_data: { this: { input: 'adopted' } } } }));
    expect(result.errors).toStrictEqual([]);
    expect(result.changes).toMatchObject({ import: 1, add: 0 });
  });

  it('refuses blocks of the wrong shape, so the passing ones were really read', () => {
    const withoutId = plan(JSON.stringify({ import: [{ to: 'terraform_data.this' }], resource: { terraform_data: { this: { input: 'x' } } } }));
    expect(withoutId.ok).toBe(false);
    expect(withoutId.errors.join('\n')).toContain('Missing required argument');
    const noTarget = plan(dataModule([importBlock('terraform_data', 'missing', ID)]));
    expect(noTarget.ok).toBe(false);
    expect(noTarget.errors.join('\n')).toContain('Configuration for import target does not exist');
  });

  it('without an adoption, no import block', () => {
    const expansion = expandStream(webhook('crm'), readConfig(undefined).config);
    const workspace = expansion.resources[0]!.object as unknown as { spec: { forProvider: { module: string } } };
    expect(JSON.parse(workspace.spec.forProvider.module)).not.toHaveProperty('import');
  });
});
