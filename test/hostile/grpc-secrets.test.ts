/**
 * No secret leaks in Crossplane mode, over generated XRs against the real server (`serve --debug`): a webhook
 * secret given inline or through the pipeline step credentials, and the same secret placed in the XR in one of
 * the ways of SECRET_PLACEMENTS (endpoint userinfo, query, fragment, URLs in other fields, secret fields of the
 * wrong shape or place), appears in the response only inside a composed Secret's stringData and in the endpoint
 * the user wrote — never in results, conditions, the desired XR, other composed resources, or the server's logs.
 */
import fc from 'fast-check';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { call, sharedServer, type RequestInit } from '../support/grpc.js';
import { configSpec, secretValue, SEED, validStreamBody } from './arbitraries.js';
import type { Json, JsonObject } from './arbitraries.js';
import { leaksOf, onlyInModuleEndpoint, placeSecret, SECRET_PLACEMENTS, textHolds, type Path, type SecretPlacement } from './leaks.js';
import { recordCount } from './summary.js';

const RUNS = 2000;
const PLACEHOLDER = '\u0000secret\u0000';

const shared = sharedServer(['--insecure', '--debug']);

/** How the secret reaches the function, besides where it is placed in the XR. */
type Route = 'inline' | 'step-credentials';

const SECRET_KEY_OF_METHOD: Record<string, string> = { bearer: 'token', basic: 'password', custom_header: 'header_value' };

function substituted(value: Json, secret: string): Json {
  if (value === PLACEHOLDER) return secret;
  if (Array.isArray(value)) return value.map((child) => substituted(child, secret));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, substituted(child, secret)]));
}

/** The request for one case; the secret goes where `route` says. */
function requestFor(secret: string, body: JsonObject, route: Route, placement: SecretPlacement, config: JsonObject): RequestInit {
  const spec = structuredClone(body['spec']) as JsonObject;
  const webhook = spec['webhook_configuration'] as JsonObject | undefined;
  const authorization = webhook?.['webhook_authorization'] as JsonObject | undefined;
  const credentials: NonNullable<RequestInit['credentials']> = {};
  let inputSpec: JsonObject = config;
  if (webhook !== undefined && authorization !== undefined) {
    const method = authorization['method'] as string;
    if (route === 'step-credentials') {
      for (const key of Object.keys(authorization)) if (key !== 'method' && key !== 'username' && key !== 'header_key') delete authorization[key];
      credentials['webhook'] = { credentialData: { data: { [SECRET_KEY_OF_METHOD[method]!]: Buffer.from(secret, 'utf8') } } };
      inputSpec = { ...config, webhookCredentials: 'webhook' };
    }
  }
  const xr = placeSecret(
    substituted({ apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata: { name: 'hooks', namespace: 'identity' }, spec }, secret) as JsonObject,
    secret,
    placement,
  );
  return {
    observed: { composite: { resource: xr } },
    input: { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: inputSpec },
    credentials,
  };
}

/** A composed Secret's stringData is the one place a secret may be, besides the endpoint URL the user wrote. */
function allowedInResponse(secret: string): (path: Path, root: unknown) => boolean {
  return (path, root) => {
    if (path[0] !== 'desired' || path[1] !== 'resources' || path[3] !== 'resource') return false;
    const resource = (root as { desired: { resources: Record<string, { resource: { kind?: unknown; spec?: { forProvider?: { module?: string } } } }> } }).desired.resources[
      String(path[2])
    ]!.resource;
    if (resource.kind === 'Secret') return path[4] === 'stringData' && path.length === 6;
    return resource.kind === 'Workspace' && path.slice(4).join('.') === 'spec.forProvider.module' && onlyInModuleEndpoint(resource.spec!.forProvider!.module!, secret);
  };
}

describe('secrets in Crossplane mode', () => {
  it('reach the response only inside a composed Secret, and never the logs, even with --debug', async () => {
    const cases = fc.tuple(
      secretValue,
      validStreamBody(fc.option(fc.constant(PLACEHOLDER), { nil: undefined })),
      fc.constantFrom<Route>('inline', 'step-credentials'),
      // Half the XRs keep the secret in its field only, so that both composing and refusing are exercised.
      fc.oneof(fc.constant<SecretPlacement>('none'), fc.constantFrom(...SECRET_PLACEMENTS)),
      configSpec,
    );
    const reasons = new Set<string>();
    const secrets: string[] = [];
    let fatal = 0;
    await fc.assert(
      fc.asyncProperty(cases, async ([secret, body, route, placement, config]) => {
        secrets.push(secret);
        const response = await call(shared.client, requestFor(secret, body, route, placement, config));
        if (response.results.some((result) => result.severity === Severity.SEVERITY_FATAL)) fatal += 1;
        for (const result of response.results) reasons.add(result.reason ?? '');
        expect(leaksOf(secret, response, allowedInResponse(secret))).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    recordCount('property cases: secret leaks (Crossplane gRPC mode)', RUNS);
    // Both outcomes were exercised: streams that compose, and streams refused with a fatal result.
    expect(fatal).toBeGreaterThan(RUNS / 10);
    expect(fatal).toBeLessThan(RUNS - RUNS / 10);
    expect(reasons.size).toBeGreaterThanOrEqual(15);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logs = shared.server.stderr();
    expect(logs).toContain('"msg":"RunFunction"');
    expect(secrets.filter((secret) => textHolds(logs, secret))).toStrictEqual([]);
  });
});
