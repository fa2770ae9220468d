// The Crossplane manifests generated from the schemas: the XRD (Configuration package) and the step input CRD
// (Function package). The XRD's CEL rules come from the destination modules of the core.
import YAML from 'yaml';
import { toStructural } from './schema.mjs';

/**
 * CEL rules the API server enforces without the function: the configuration block of the destination type is
 * there and no other one is; destination_type and every destination block Auth0 fixes at creation never change.
 */
function celRules(destinations) {
  const blocks = destinations.map((destination) => destination.configField);
  const rules = destinations.map(({ type, configField }) => ({
    rule: `self.destination_type != '${type}' || (${[`has(self.${configField})`, ...blocks.filter((block) => block !== configField).map((block) => `!has(self.${block})`)].join(' && ')})`,
    message: `destination_type ${type} needs ${configField} and no ${blocks.filter((block) => block !== configField).join(' or ')}`,
  }));
  rules.push({ rule: 'self.destination_type == oldSelf.destination_type', message: 'destination_type is immutable: delete the stream and create it again' });
  for (const { configField, immutable } of destinations) {
    if (!immutable) continue;
    rules.push({
      rule: `!has(oldSelf.${configField}) || (has(self.${configField}) && self.${configField} == oldSelf.${configField})`,
      message: `${configField} is immutable: delete the stream and create it again`,
    });
  }
  return rules;
}

export function crossplaneManifests(stream, config, { destinations, banner }) {
  const spec = toStructural(stream.$defs.spec, stream);
  spec['x-kubernetes-validations'] = celRules(destinations);
  const outputsSchema = toStructural(stream.$defs.outputs, stream);
  const xrd = {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: 'auth0eventstreams.auth0.openmcf.org' },
    spec: {
      scope: 'Namespaced',
      group: 'auth0.openmcf.org',
      names: { kind: 'Auth0EventStream', plural: 'auth0eventstreams', singular: 'auth0eventstream', categories: ['crossplane', 'auth0'] },
      // The Configuration package's Composition, so an XR never lands on another Composition of the type by chance.
      defaultCompositionRef: { name: 'auth0eventstreams.auth0.openmcf.org' },
      versions: [
        {
          name: 'v1',
          served: true,
          referenceable: true,
          additionalPrinterColumns: [
            { name: 'DESTINATION', type: 'string', jsonPath: '.spec.destination_type' },
            { name: 'STREAM-ID', type: 'string', jsonPath: '.status.outputs.id' },
            { name: 'STATUS', type: 'string', jsonPath: '.status.outputs.status' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description:
                'An Auth0 event stream (OpenMCF Auth0EventStream). auth0-eventstream-fn composes a provider-terraform Workspace ' +
                'that creates it and, for EventBridge, the partner event bus, rules and targets. Fields use the snake_case spelling.',
              required: ['spec'],
              properties: {
                spec,
                status: { type: 'object', properties: { outputs: outputsSchema } },
              },
            },
          },
        },
      ],
    },
  };
  const inputCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'expansionconfigs.fn.auth0.openmcf.org' },
    spec: {
      group: 'fn.auth0.openmcf.org',
      names: { kind: 'ExpansionConfig', listKind: 'ExpansionConfigList', plural: 'expansionconfigs', singular: 'expansionconfig', categories: ['crossplane'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: `${config.description} This CRD documents the input schema; it is never installed.`,
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toStructural(config, config),
              },
            },
          },
        },
      ],
    },
  };
  const dump = (doc) => `# ${banner}\n` + YAML.stringify(doc, { lineWidth: 0, version: '1.1' });
  return { xrd: dump(xrd), inputCrd: dump(inputCrd) };
}
