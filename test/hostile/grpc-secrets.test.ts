/**
 * No secret leaks in Crossplane mode, over generated XRs against the real server (`serve --debug`): a webhook
 * secret given inline, through the pipeline step credentials, or even pasted into the endpoint URL appears in
 * the response only inside a composed Secret's stringData — never in results, conditions, the desired XR, other
 * composed resources, or the server's logs.
 */
import fc from 'fast-check';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { call, sharedServer, type RequestInit } from '../support/grpc.js';
import { configSpec, secretValue, SEED, validStreamBody } from './arbitraries.js';
import type { Json, JsonObject } from './arbitraries.js';
import { leaksOf, textHolds, type Path } from './leaks.js';
import { recordCount } from './summary.js';

const RUNS = 2000;
const PLACEHOLDER = '\u0000secret\u0000';

const shared = sharedServer(['--insecure', '--debug']);

/** How the secret reaches the function. */
type Route = 'inline' | 'step-credentials' | 'endpoint-query' | 'endpoint-userinfo';

const SECRET_KEY_OF_METHOD: Record<string, string> = { bearer: 'token', basic: 'password', custom_header: 'header_value' };

function substituted(value: Json, secret: string): Json {
  if (value === PLACEHOLDER) return secret;
  if (Array.isArray(value)) return value.map((child) => substituted(child, secret));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, substituted(child, secret)]));
}

/** The request for one case; the secret goes where `route` says. */
function requestFor(secret: string, body: JsonObject, route: Route, config: JsonObject): RequestInit {
  const spec = structuredClone(body['spec']) as JsonObject;
  const webhook = spec['webhook_configuration'] as JsonObject | undefined;
  const authorization = webhook?.['webhook_authorization'] as JsonObject | undefined;
  const credentials: NonNullable<RequestInit['credentials']> = {};
  let inputSpec: JsonObject = config;
  if (webhook !== undefined && authorization !== undefined) {
    const method = String(authorization['method']);
    if (route === 'step-credentials') {
      for (const key of Object.keys(authorization)) if (key !== 'method' && key !== 'username' && key !== 'header_key') delete authorization[key];
      credentials['webhook'] = { credentialData: { data: { [SECRET_KEY_OF_METHOD[method]!]: Buffer.from(secret, 'utf8') } } };
      inputSpec = { ...config, webhookCredentials: 'webhook' };
    } else if (route === 'endpoint-query') {
      webhook['webhook_endpoint'] = `https://hooks.example.com/in?api_key=${secret}`;
    } else if (route === 'endpoint-userinfo') {
      webhook['webhook_endpoint'] = `https://hook:${secret}@hooks.example.com/in`;
    }
  }
  const xr = substituted({ apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata: { name: 'hooks', namespace: 'identity' }, spec }, secret);
  return {
    observed: { composite: { resource: xr as never } },
    input: { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: inputSpec } as never,
    credentials,
  };
}

/** A composed Secret's stringData is the one place a secret may be. */
function allowedInResponse(path: Path, root: unknown): boolean {
  if (path[0] !== 'desired' || path[1] !== 'resources' || path[3] !== 'resource' || path[4] !== 'stringData' || path.length !== 6) return false;
  const resource = (root as { desired: { resources: Record<string, { resource: { kind?: unknown } }> } }).desired.resources[String(path[2])]!.resource;
  return resource.kind === 'Secret';
}

describe('secrets in Crossplane mode', () => {
  it('reach the response only inside a composed Secret, and never the logs, even with --debug', async () => {
    const cases = fc.tuple(
      secretValue,
      validStreamBody(fc.option(fc.constant(PLACEHOLDER), { nil: undefined })),
      fc.constantFrom<Route>('inline', 'step-credentials', 'endpoint-query', 'endpoint-userinfo'),
      configSpec,
    );
    const secrets: string[] = [];
    let fatal = 0;
    await fc.assert(
      fc.asyncProperty(cases, async ([secret, body, route, config]) => {
        secrets.push(secret);
        const response = await call(shared.client, requestFor(secret, body, route, config));
        if (response.results.some((result) => result.severity === Severity.SEVERITY_FATAL)) fatal += 1;
        expect(leaksOf(secret, response, allowedInResponse)).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    recordCount('property cases: secret leaks (Crossplane gRPC mode)', RUNS);
    // Both outcomes were exercised: streams that compose, and streams refused with a fatal result.
    expect(fatal).toBeGreaterThan(RUNS / 10);
    expect(fatal).toBeLessThan(RUNS - RUNS / 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logs = shared.server.stderr();
    expect(logs).toContain('"msg":"RunFunction"');
    expect(secrets.filter((secret) => textHolds(logs, secret))).toStrictEqual([]);
  });
});
