/** A bug in the core must not cost the user their package: the input comes back unchanged with an error. */
import { describe, expect, it, vi } from 'vitest';
import type * as Core from '../../src/core/index.js';
import { runResourceList } from '../../src/krm/run.js';
import { stringifyYaml } from '../../src/krm/yaml.js';
import { KPT_EMPTY_FUNCTION_CONFIG, configMap, kptAnnotations, parsed, resourceList, stream } from '../support/krm.js';

// The only test double of the core: a failure injected to reach the adapter's last line of defence.
vi.mock('../../src/core/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof Core>()),
  expandStream: () => {
    throw new TypeError('boom');
  },
}));

describe('runResourceList when the expansion throws', () => {
  it('prints the input items unchanged with an internal error result, and exits 1', () => {
    const items = [stream('orders', { annotations: kptAnnotations('s.yaml', 0, 1) }), configMap('c', { a: '1' })];
    const run = parsed(runResourceList(new TextEncoder().encode(stringifyYaml(resourceList(items, KPT_EMPTY_FUNCTION_CONFIG)))));
    expect({ exitCode: run.exitCode, output: run.output, firstLines: run.stderr.slice(0, 2) }).toStrictEqual({
      exitCode: 1,
      output: {
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items,
        functionConfig: KPT_EMPTY_FUNCTION_CONFIG,
        results: [{ message: 'internal error: boom (please report this bug)', severity: 'error', tags: { rule: 'internal-error' } }],
      },
      firstLines: ['error: internal error: boom (please report this bug)', 'TypeError: boom'],
    });
  });
});
