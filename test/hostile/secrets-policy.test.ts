/**
 * The secrets policy end to end, through the built CLI as kpt runs it: inline credentials are a warning by
 * default, an error with `inlineCredentials: deny`, silent with `allow`; the generated Secret always uses
 * stringData and carries the managed-by label; the Workspace reads the value from it; endpoints that carry
 * credentials are errors. No message ever shows the value.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MANAGED_BY } from '../../src/core/index.js';
import type { KubeObject } from '../../src/core/index.js';
import { parseYaml, stringifyYaml } from '../../src/krm/yaml.js';
import { cliPath, requireBuiltCli } from '../support/tools.js';

const SECRET = 'Zk8-pr0d-s3cr3t-value';

const methods = [
  { method: 'bearer', field: 'token', extra: {} },
  { method: 'basic', field: 'password', extra: { username: 'auth0' } },
  { method: 'custom_header', field: 'header_value', extra: { header_key: 'X-Api-Key' } },
] as const;

function streamWith(authorization: Record<string, unknown>, endpoint = 'https://hooks.example.com/auth0'): KubeObject {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name: 'orders', namespace: 'shop', annotations: { 'internal.config.kubernetes.io/path': 'orders.yaml', 'internal.config.kubernetes.io/index': '0' } },
    spec: { destination_type: 'webhook', subscriptions: ['user.created'], webhook_configuration: { webhook_endpoint: endpoint, webhook_authorization: authorization } },
  };
}

interface CliRun {
  readonly exitCode: number | null;
  readonly items: KubeObject[];
  readonly results: Array<{ severity: string; message: string; field?: { path: string } }>;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(stream: KubeObject, inlineCredentials?: string): CliRun {
  requireBuiltCli();
  const functionConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: inlineCredentials === undefined ? {} : { inlineCredentials } };
  const run = spawnSync(process.execPath, [cliPath], {
    input: stringifyYaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [stream], functionConfig }),
    encoding: 'utf8',
  });
  const output = parseYaml(run.stdout) as { items: KubeObject[]; results?: CliRun['results'] };
  return { exitCode: run.status, items: output.items, results: output.results ?? [], stdout: run.stdout, stderr: run.stderr };
}

/** Everything the user reads: results and stderr; the value must be in neither. */
function expectNoValueInMessages(run: CliRun): void {
  expect(JSON.stringify(run.results)).not.toContain(SECRET);
  expect(run.stderr).not.toContain(SECRET);
}

describe.each(methods)('an inline $field ($method)', ({ method, field, extra }) => {
  const stream = streamWith({ method, ...extra, [field]: SECRET });
  const path = `spec.webhook_configuration.webhook_authorization.${field}`;

  it('by default: a warning naming the field, exit 0, and the value only in the generated Secret', () => {
    const run = runCli(stream);
    expect(run.exitCode).toBe(0);
    expect(run.results.map((result) => [result.severity, result.field?.path])).toStrictEqual([['warning', path]]);
    expect(run.results[0]!.message).toMatch(new RegExp(`${field}.*_secret_ref`));
    expectNoValueInMessages(run);
    const secret = run.items.find((item) => item.kind === 'Secret')!;
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      type: 'Opaque',
      stringData: { [field]: SECRET },
      metadata: { name: 'orders-webhook-credentials', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
    });
    expect(secret).not.toHaveProperty('data');
    const workspace = run.items.find((item) => item.kind === 'Workspace')!;
    expect(JSON.stringify(workspace)).not.toContain(SECRET);
    expect((workspace['spec'] as { forProvider: { env: unknown } }).forProvider.env).toStrictEqual([
      { name: `TF_VAR_webhook_${field}`, secretKeyRef: { name: 'orders-webhook-credentials', key: field } },
    ]);
  });

  it('inlineCredentials: deny → an error naming the field, exit 1, no Secret and no Workspace', () => {
    const run = runCli(stream, 'deny');
    expect(run.exitCode).toBe(1);
    expect(run.results.map((result) => [result.severity, result.field?.path])).toStrictEqual([['error', path]]);
    expect(run.items.map((item) => item.kind)).toStrictEqual(['Auth0EventStream']);
    expectNoValueInMessages(run);
  });

  it('inlineCredentials: allow → no result, and the same Secret', () => {
    const run = runCli(stream, 'allow');
    expect(run.exitCode).toBe(0);
    expect(run.results).toStrictEqual([]);
    expect(run.items.find((item) => item.kind === 'Secret')).toMatchObject({ stringData: { [field]: SECRET } });
  });
});

describe('endpoints that carry credentials', () => {
  const byReference = { method: 'bearer', token_secret_ref: { name: 'hook', key: 'token' } };

  it('user:password in the URL → an error that does not repeat the value', () => {
    const run = runCli(streamWith(byReference, `https://hook:${SECRET}@hooks.example.com/auth0`));
    expect(run.exitCode).toBe(1);
    expect(run.results).toMatchObject([{ severity: 'error', field: { path: 'spec.webhook_configuration.webhook_endpoint' }, tags: { rule: 'webhook-endpoint-credentials' } }]);
    expectNoValueInMessages(run);
  });

  it.each(['token', 'api_key', 'client_secret', 'password', 'sig', 'X-Amz-Signature'])(
    'a query parameter named %s → a warning (an error with inlineCredentials: deny, nothing with allow) that does not repeat the value',
    (name) => {
      const stream = streamWith(byReference, `https://hooks.example.com/auth0?a=1&${name}=${SECRET}`);
      const rule = { field: { path: 'spec.webhook_configuration.webhook_endpoint' }, tags: { rule: 'webhook-endpoint-secret-query' } };
      for (const [policy, severity, exitCode] of [
        [undefined, 'warning', 0],
        ['deny', 'error', 1],
      ] as const) {
        const run = runCli(stream, policy);
        expect(run.exitCode).toBe(exitCode);
        expect(run.results).toMatchObject([{ severity, ...rule }]);
        expect(run.results[0]!.message).toContain(`(${name})`);
        expectNoValueInMessages(run);
      }
      expect(runCli(stream, 'allow').results).toStrictEqual([]);
    },
  );

  it.each(['design', 'signal', 'keyword', 'author', 'monkey', 'tokens_left', 'sigma'])('a query parameter named %s is not taken for a secret', (name) => {
    const run = runCli(streamWith(byReference, `https://hooks.example.com/auth0?${name}=1`));
    expect(run.exitCode).toBe(0);
    expect(run.results).toStrictEqual([]);
  });
});
