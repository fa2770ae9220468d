/**
 * No secret leaks from the function configuration, in all three modes: a secret written where the name of
 * pipeline credentials belongs (as a list, as an object, as the credentials themselves), as a URL with the
 * secret in its userinfo or query in settings and route fields, in a ConfigMap as in an ExpansionConfig. The
 * configuration comes back as it was (the functionConfig of a ResourceList, the ExpansionConfig item); the
 * secret is in no result, no stderr line, and nothing in a Crossplane response.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLegacyPlugin, runResourceList } from '../../src/krm/run.js';
import { parseYaml, parseYamlDocuments, stringifyYaml } from '../../src/krm/yaml.js';
import { call, sharedServer } from '../support/grpc.js';
import { eventbridgeXr, PARTNER_SOURCE } from '../support/xr.js';
import { secretValue, SEED } from './arbitraries.js';
import type { JsonObject } from './arbitraries.js';
import { leaksOf, textHolds } from './leaks.js';
import { recordCount } from './summary.js';

const RUNS = 400;

export const CONFIG_SECRET_PLACEMENTS = [
  'credentials-as-list',
  'credentials-as-object',
  'credentials-url-snake',
  'health-credentials-as-object',
  'health-credentials-as-list',
  'route-streams-url',
  'route-streams-url-with-space',
  'route-target-url',
  'provider-config-kind-url',
  'config-map-flag-url',
  'config-map-credentials-as-list',
] as const;
type ConfigPlacement = (typeof CONFIG_SECRET_PLACEMENTS)[number];

const route = (extra: JsonObject): JsonObject => ({ name: 'r', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:sqs:us-east-1:123456789012:q' }], ...extra });

/** The functionConfig (or step input) with `secret` placed as `where` says. */
function configWith(secret: string, where: ConfigPlacement): JsonObject {
  const url = `https://hook:${secret}@hooks.example.com/in?token=${secret}`;
  const typed = (spec: JsonObject): JsonObject => ({ apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'expansion' }, spec });
  const configMap = (data: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data });
  switch (where) {
    case 'credentials-as-list':
      return typed({ webhookCredentials: [secret] });
    case 'credentials-as-object':
      return typed({ webhookCredentials: { token: secret } });
    case 'credentials-url-snake':
      return typed({ webhook_credentials: [url] });
    case 'health-credentials-as-object':
      return typed({ deliveryHealth: { credentials: { domain: 'acme.eu.auth0.com', client_id: 'client', client_secret: secret } } });
    case 'health-credentials-as-list':
      return typed({ delivery_health: { credentials: [secret], intervalSeconds: 30 } });
    case 'route-streams-url':
      return typed({ routes: [route({ streams: [url] })] });
    case 'route-streams-url-with-space':
      return typed({ routes: [route({ streams: [`https://hook:pass ${secret}@hooks.example.com/`] })] });
    case 'route-target-url':
      return typed({ routes: [route({ targets: [{ arn: url }] })] });
    case 'provider-config-kind-url':
      return typed({ terraform: { providerConfigRef: { kind: url } } });
    case 'config-map-flag-url':
      return configMap({ writeDefaults: url });
    case 'config-map-credentials-as-list':
      return configMap({ webhookCredentials: [secret] });
  }
}

const stream = (): JsonObject => {
  const xr = eventbridgeXr({ status: { outputs: { id: 'est_jmj7QpymGFqmysiCpWAcZe', aws_partner_event_source: PARTNER_SOURCE } } }) as JsonObject;
  const { crossplane: _machinery, ...spec } = xr['spec'] as JsonObject;
  return { ...xr, spec };
};

const cases = fc.tuple(secretValue, fc.constantFrom(...CONFIG_SECRET_PLACEMENTS));

/** In KRM output the configuration itself is echoed (the functionConfig, or the plugin's config is not); nothing else holds the secret. */
const exceptConfig = (path: ReadonlyArray<string | number>) => path[0] === 'functionConfig';

describe('secrets in the function configuration', () => {
  it('ResourceList mode: only in the functionConfig echoed back', () => {
    fc.assert(
      fc.property(cases, ([secret, where]) => {
        const run = runResourceList(
          new TextEncoder().encode(stringifyYaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [stream()], functionConfig: configWith(secret, where) })),
        );
        expect(run.exitCode === 1 || where.startsWith('route-streams') || where === 'config-map-flag-url').toBe(true);
        expect(leaksOf(secret, parseYaml(run.stdout), exceptConfig)).toStrictEqual([]);
        expect(run.stderr.filter((line) => textHolds(line, secret))).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    recordCount('property cases: secrets in the function configuration (ResourceList mode)', RUNS);
  });

  it('legacy plugin mode: nowhere in the output', () => {
    fc.assert(
      fc.property(cases, ([secret, where]) => {
        const run = runLegacyPlugin(stringifyYaml(configWith(secret, where)), new TextEncoder().encode(stringifyYaml(stream())));
        expect(leaksOf(secret, parseYamlDocuments(run.stdout))).toStrictEqual([]);
        expect(run.stderr.filter((line) => textHolds(line, secret))).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    recordCount('property cases: secrets in the function configuration (legacy plugin mode)', RUNS);
  });

  const shared = sharedServer(['--insecure', '--debug']);

  it('Crossplane gRPC mode: nowhere in the response or the logs', async () => {
    const secrets: string[] = [];
    await fc.assert(
      fc.asyncProperty(cases, async ([secret, where]) => {
        secrets.push(secret);
        const response = await call(shared.client, { observed: { composite: { resource: eventbridgeXr() } }, input: configWith(secret, where) });
        expect(leaksOf(secret, response)).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    recordCount('property cases: secrets in the function configuration (Crossplane gRPC mode)', RUNS);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secrets.filter((secret) => textHolds(shared.server.stderr(), secret))).toStrictEqual([]);
  });
});
