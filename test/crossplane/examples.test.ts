/**
 * examples/crossplane as `crossplane render` would run it: the Composition's step input, each example XR, and
 * the observed resources of phase 2, through runFunction (the server adds only transport, tested elsewhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { repoRoot } from '../support/tools.js';

const dir = join(repoRoot, 'examples', 'crossplane');
const read = (file: string) => load(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
const composition = read('composition.yaml') as {
  spec: { compositeTypeRef: { apiVersion: string; kind: string }; pipeline: Array<{ functionRef: { name: string }; input: unknown }> };
};
const functions = read('functions.yaml') as { metadata: { name: string; annotations: Record<string, string> } };

function renderRequest(xrFile: string, observedFile?: string) {
  const observed = observedFile
    ? Object.fromEntries(
        (loadAll(readFileSync(join(dir, observedFile), 'utf8')) as Array<{ metadata: { annotations: Record<string, string> } }>).map((object) => [
          object.metadata.annotations['crossplane.io/composition-resource-name']!,
          { resource: object },
        ]),
      )
    : {};
  return RunFunctionRequest.fromPartial({
    observed: { composite: { resource: read(xrFile) }, resources: observed },
    input: composition.spec.pipeline[0]!.input as Record<string, unknown>,
  });
}

describe('examples/crossplane', () => {
  it('points the Composition at the function and the XR type, and runs the function locally for crossplane render', () => {
    expect(composition.spec.compositeTypeRef).toStrictEqual({ apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream' });
    expect(composition.spec.pipeline[0]!.functionRef.name).toBe(functions.metadata.name);
    expect(functions.metadata.annotations['render.crossplane.io/runtime']).toBe('Development');
  });

  it.each([
    ['xr-webhook.yaml', undefined, ['workspace']],
    ['xr-action.yaml', undefined, ['workspace']],
    ['xr-eventbridge.yaml', undefined, ['workspace']],
    ['xr-eventbridge.yaml', 'observed/eventbridge-stream-created.yaml', ['workspace', 'bus', 'rule', 'route-new-users', 'route-new-users-target-0', 'permission-new-users-0']],
  ])('%s (observed: %s) composes %j', (xrFile, observedFile, roles) => {
    const response = runFunction(renderRequest(xrFile, observedFile));
    expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
    expect(Object.keys(response.desired?.resources ?? {})).toStrictEqual(roles);
  });
});
