/** The Crossplane package: XRD, input CRD and example Composition against the real CRDs and Kubernetes' structural-schema rules. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { crdErrors, sharedCrdsAvailable, structuralErrors, toAjv } from '../support/openapi.js';
import { repoRoot } from '../support/tools.js';

const available = sharedCrdsAvailable();
const read = (path: string) => load(readFileSync(join(repoRoot, path), 'utf8')) as { apiVersion: string; kind: string } & Record<string, any>;
const xrd = read('package/xrd.yaml');
const inputCrd = read('package/input/fn.auth0.openmcf.org_expansionconfigs.yaml');
const composition = read('examples/crossplane/composition.yaml');
const functionMeta = read('package/crossplane.yaml');

describe.skipIf(!available)('Crossplane package', () => {
  it('the XRD is a valid apiextensions.crossplane.io/v2 CompositeResourceDefinition, namespaced', () => {
    expect(crdErrors(xrd)).toStrictEqual([]);
    expect(xrd['spec'].scope).toBe('Namespaced');
  });

  it("the XRD's schema is structural", () => {
    expect(structuralErrors(xrd['spec'].versions[0].schema.openAPIV3Schema)).toStrictEqual([]);
  });

  it('the XRD carries the CEL rules for the destination block and immutability', () => {
    const rules = xrd['spec'].versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'].map((rule: { rule: string }) => rule.rule);
    expect(rules).toHaveLength(4);
    expect(rules.filter((rule: string) => rule.includes('oldSelf'))).toHaveLength(2);
  });

  it('the input CRD is structural and the Composition validates', () => {
    expect(structuralErrors(inputCrd['spec'].versions[0].schema.openAPIV3Schema)).toStrictEqual([]);
    expect(crdErrors(composition)).toStrictEqual([]);
  });

  it("the Composition's step input validates against the input CRD", () => {
    const validate = new Ajv({ strict: false }).compile(toAjv(inputCrd['spec'].versions[0].schema.openAPIV3Schema));
    expect(validate(composition['spec'].pipeline[0].input), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the example XRs validate against the XRD schema', () => {
    const validate = new Ajv({ strict: false }).compile(toAjv({ type: 'object', properties: { spec: xrd['spec'].versions[0].schema.openAPIV3Schema.properties.spec } }));
    for (const file of ['xr-webhook.yaml', 'xr-eventbridge.yaml']) {
      const xr = read(`examples/crossplane/${file}`);
      expect(validate({ spec: xr['spec'] }), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('the package metadata declares a composition Function', () => {
    expect([functionMeta.apiVersion, functionMeta.kind, functionMeta['spec'].capabilities]).toStrictEqual(['meta.pkg.crossplane.io/v1', 'Function', ['composition']]);
  });
});
