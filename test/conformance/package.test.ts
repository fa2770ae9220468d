/**
 * The Crossplane packages and install manifests, checked the way Crossplane's package linter (`crossplane xpkg
 * build`) and the API server would check them: what each package may hold, the XRD and input CRD against
 * Kubernetes' structural-schema rules and the real CRDs, the names that tie Configuration, Composition and Function
 * together, and every install manifest against the pkg.crossplane.io and provider-terraform CRDs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { crdErrors, sharedCrdsAvailable, structuralErrors, toAjv } from '../support/openapi.js';
import { checkTool, repoRoot } from '../support/tools.js';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string } & Record<string, any> } & Record<string, any>;

const available = sharedCrdsAvailable();
const read = (path: string) => load(readFileSync(join(repoRoot, path), 'utf8')) as Manifest;

/** Every YAML document under a package root, as `crossplane xpkg build` reads them (recursively, .yaml and .yml). */
function packageObjects(root: string): Array<{ file: string; object: Manifest }> {
  const dir = join(repoRoot, root);
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .flatMap((file) => (loadAll(readFileSync(join(dir, file), 'utf8')) as Manifest[]).filter((object) => object !== null).map((object) => ({ file: join(root, file), object })));
}

const group = (object: Manifest) => object.apiVersion.split('/')[0]!;
/** Crossplane's xpkg linters: exactly one meta object of the package's kind, and only these kinds beside it. */
function lintErrors(root: string, metaKind: 'Function' | 'Configuration', allowed: (object: Manifest) => boolean): string[] {
  const objects = packageObjects(root);
  const metas = objects.filter(({ object }) => group(object) === 'meta.pkg.crossplane.io');
  const errors = metas.length === 1 ? [] : [`${root}: ${metas.length} meta objects, want exactly one`];
  for (const { file, object } of metas) if (object.kind !== metaKind) errors.push(`${file}: meta kind ${object.kind}, want ${metaKind}`);
  for (const { file, object } of objects) {
    if (group(object) !== 'meta.pkg.crossplane.io' && !allowed(object)) errors.push(`${file}: ${object.apiVersion} ${object.kind} is not allowed in a ${metaKind} package`);
  }
  return errors;
}

/** A semver constraint of the form Crossplane's package manager accepts, e.g. `>=v2.0.0` (comparators joined by `, `). */
const semverConstraint = /^(\s*(>=|<=|>|<|=|!=|~|\^)?\s*v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?\s*,?)+$/;

/** The name Crossplane's dependency resolver gives a package it installs: the repository path as a DNS label. */
function dependencyObjectName(packageRef: string): string {
  const repository = packageRef.split('/').slice(1).join('/');
  return repository
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

const functionMeta = read('package/function/crossplane.yaml');
const configurationMeta = read('package/configuration/crossplane.yaml');
const xrd = read('package/configuration/xrd.yaml');
const inputCrd = read('package/function/input/fn.auth0.openmcf.org_expansionconfigs.yaml');
const packageComposition = read('package/configuration/composition.yaml');
const exampleComposition = read('examples/crossplane/composition.yaml');
const installFunction = read('examples/crossplane/install/function.yaml');
const installConfiguration = read('examples/crossplane/install/configuration.yaml');
const runtimeConfig = read('examples/crossplane/install/runtime-config.yaml');
const terraformProviderConfig = read('examples/crossplane/install/terraform-provider-config.yaml');
const functionDependency = (configurationMeta['spec'].dependsOn as Array<Record<string, string>>).find((dependency) => dependency['kind'] === 'Function')!;

describe('Crossplane packages: what each may hold', () => {
  it('the Function package holds its metadata and CustomResourceDefinitions only', () => {
    expect(lintErrors('package/function', 'Function', (object) => group(object) === 'apiextensions.k8s.io' && object.kind === 'CustomResourceDefinition')).toStrictEqual([]);
    expect(packageObjects('package/function').map(({ object }) => object.kind)).toStrictEqual(['Function', 'CustomResourceDefinition']);
  });

  it('the Configuration package holds its metadata, the XRD and the Composition only', () => {
    const allowed = (object: Manifest) =>
      (object.apiVersion === 'apiextensions.crossplane.io/v2' || object.apiVersion === 'apiextensions.crossplane.io/v1') &&
      (object.kind === 'CompositeResourceDefinition' || object.kind === 'Composition');
    expect(lintErrors('package/configuration', 'Configuration', allowed)).toStrictEqual([]);
    expect(
      packageObjects('package/configuration')
        .map(({ object }) => object.kind)
        .sort(),
    ).toStrictEqual(['CompositeResourceDefinition', 'Composition', 'Configuration']);
  });

  it('the linter rejects what the old single package shipped: an XRD in a Function package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-package-'));
    writeFileSync(join(dir, 'crossplane.yaml'), readFileSync(join(repoRoot, 'package/function/crossplane.yaml')));
    writeFileSync(join(dir, 'xrd.yaml'), readFileSync(join(repoRoot, 'package/configuration/xrd.yaml')));
    const root = relative(repoRoot, dir);
    expect(lintErrors(root, 'Function', (object) => object.kind === 'CustomResourceDefinition')).toStrictEqual([
      `${join(root, 'xrd.yaml')}: apiextensions.crossplane.io/v2 CompositeResourceDefinition is not allowed in a Function package`,
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('both packages declare a Crossplane version constraint the package manager parses', () => {
    for (const meta of [functionMeta, configurationMeta]) expect(meta['spec'].crossplane.version).toMatch(semverConstraint);
    expect(functionMeta['spec'].capabilities).toStrictEqual(['composition']);
  });

  it('the Configuration depends on the Function package by apiVersion, kind and a fully qualified package, with a version constraint', () => {
    expect(functionDependency).toStrictEqual({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      package: expect.stringMatching(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9/-]+$/),
      version: expect.stringMatching(semverConstraint),
    });
  });

  it('the Composition calls the Function by the name Crossplane installs it under, and the install manifest and crossplane render use that name', () => {
    const name = dependencyObjectName(functionDependency['package']!);
    expect(name).toBe('openmcf-function-auth0-eventstream');
    expect(packageComposition['spec'].pipeline.map((step: { functionRef: { name: string } }) => step.functionRef.name)).toStrictEqual([name]);
    expect(exampleComposition['spec'].pipeline.map((step: { functionRef: { name: string } }) => step.functionRef.name)).toStrictEqual([name]);
    expect(installFunction.metadata.name).toBe(name);
    expect(read('examples/crossplane/functions.yaml').metadata.name).toBe(name);
    expect(installFunction['spec'].package.split(':')[0]).toBe(functionDependency['package']);
  });

  it("the XRD's default Composition is the one the Configuration ships, and the example Composition has a name of its own", () => {
    expect(xrd['spec'].defaultCompositionRef).toStrictEqual({ name: packageComposition.metadata.name });
    expect(exampleComposition.metadata.name).not.toBe(packageComposition.metadata.name);
    for (const composition of [packageComposition, exampleComposition]) {
      expect(composition['spec'].compositeTypeRef).toStrictEqual({ apiVersion: `${xrd['spec'].group}/${xrd['spec'].versions[0].name}`, kind: xrd['spec'].names.kind });
    }
  });
});

describe.skipIf(!available)('Crossplane packages against the real CRDs', () => {
  it('the XRD is a valid apiextensions.crossplane.io/v2 CompositeResourceDefinition, namespaced', () => {
    expect(crdErrors(xrd)).toStrictEqual([]);
    expect(xrd['spec'].scope).toBe('Namespaced');
  });

  it("the XRD's schema is structural", () => {
    expect(structuralErrors(xrd['spec'].versions[0].schema.openAPIV3Schema)).toStrictEqual([]);
  });

  it('the XRD carries the CEL rules for the destination block and immutability', () => {
    const rules = xrd['spec'].versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] as Array<{ rule: string; message: string }>;
    expect(rules.map((rule) => rule.message)).toStrictEqual([
      'destination_type eventbridge needs eventbridge_configuration and no webhook_configuration or action_configuration',
      'destination_type webhook needs webhook_configuration and no eventbridge_configuration or action_configuration',
      'destination_type action needs action_configuration and no eventbridge_configuration or webhook_configuration',
      'destination_type is immutable: delete the stream and create it again',
      'eventbridge_configuration is immutable: delete the stream and create it again',
      'action_configuration is immutable: delete the stream and create it again',
    ]);
    expect(rules.filter((rule) => rule.rule.includes('oldSelf'))).toHaveLength(3);
  });

  it('the input CRD is structural and both Compositions validate', () => {
    expect(structuralErrors(inputCrd['spec'].versions[0].schema.openAPIV3Schema)).toStrictEqual([]);
    expect(crdErrors(packageComposition)).toStrictEqual([]);
    expect(crdErrors(exampleComposition)).toStrictEqual([]);
  });

  it("the Compositions' step inputs validate against the input CRD", () => {
    const validate = new Ajv({ strict: false }).compile(toAjv(inputCrd['spec'].versions[0].schema.openAPIV3Schema));
    for (const composition of [packageComposition, exampleComposition]) {
      expect(validate(composition['spec'].pipeline[0].input), `${composition.metadata.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('the example XRs validate against the XRD schema', () => {
    const validate = new Ajv({ strict: false }).compile(toAjv({ type: 'object', properties: { spec: xrd['spec'].versions[0].schema.openAPIV3Schema.properties.spec } }));
    for (const file of ['xr-webhook.yaml', 'xr-eventbridge.yaml', 'xr-action.yaml']) {
      const xr = read(`examples/crossplane/${file}`);
      expect(validate({ spec: xr['spec'] }), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.each([
    ['function.yaml', installFunction],
    ['configuration.yaml', installConfiguration],
    ['runtime-config.yaml', runtimeConfig],
    ['terraform-provider-config.yaml', terraformProviderConfig],
  ])('examples/crossplane/install/%s validates against its CRD', (_file, manifest) => {
    expect(crdErrors(manifest)).toStrictEqual([]);
  });

  it('the Function runs with the DeploymentRuntimeConfig, whose container is the one Crossplane runs and whose args start with serve', () => {
    expect(installFunction['spec'].runtimeConfigRef).toStrictEqual({ name: runtimeConfig.metadata.name });
    const deployment = runtimeConfig['spec'].deploymentTemplate.spec;
    expect(deployment.replicas).toBeGreaterThan(1);
    expect(deployment.template.spec.containers.map((container: { name: string }) => container.name)).toStrictEqual(['package-runtime']);
    for (const container of deployment.template.spec.containers) if (container.args) expect(container.args[0]).toBe('serve');
  });

  it('the package Composition uses the provider-terraform ClusterProviderConfig the install manifests define', () => {
    expect(packageComposition['spec'].pipeline[0].input.spec.terraform.providerConfigRef).toStrictEqual({
      kind: terraformProviderConfig.kind,
      name: terraformProviderConfig.metadata.name,
    });
  });
});

const terraform = checkTool('terraform', ['version']);

describe.skipIf(!terraform.available)('the provider-terraform ClusterProviderConfig with the real terraform', () => {
  it('its configuration and the Workspace module load together: the auth0 provider once, from the module, no duplicate required_providers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-tf-'));
    const module = readFileSync(join(repoRoot, 'test/expansions/webhook-bearer-inline/_expected.yaml'), 'utf8');
    const workspace = (loadAll(module) as Array<Record<string, any>>)
      .flatMap((document) => (document['items'] as Array<Record<string, any>> | undefined) ?? [document])
      .find((item) => item['kind'] === 'Workspace')!;
    writeFileSync(join(dir, 'main.tf.json'), workspace['spec'].forProvider.module);
    // provider-terraform writes the configuration as its own file; the backend needs a cluster, so it is left out here.
    const configuration = (terraformProviderConfig['spec'].configuration as string).replace(/terraform \{\s*backend "kubernetes" \{[^}]*\}\s*\}\n/, '');
    expect(configuration).not.toMatch(/backend/);
    writeFileSync(join(dir, 'crossplane-provider-config.tf'), configuration);
    writeFileSync(join(dir, 'auth0.auto.tfvars.json'), JSON.stringify({ auth0_domain: 'acme.eu.auth0.com', auth0_client_id: 'id', auth0_client_secret: 'secret' }));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    const providers = spawnSync('terraform', ['providers', '-no-color'], { cwd: dir, encoding: 'utf8', env });
    expect(providers.stderr).toBe('');
    expect(providers.stdout).toContain('provider[registry.terraform.io/auth0/auth0] >= 1.29.0');
    const format = spawnSync('terraform', ['fmt', '-check', '-no-color', 'crossplane-provider-config.tf'], { cwd: dir, encoding: 'utf8', env });
    expect(format.status, format.stdout + format.stderr).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
