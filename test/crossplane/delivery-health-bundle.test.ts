/**
 * Where delivery health lives in dist/: the auth0 SDK is in a chunk the server loads on its first reading, not
 * in serve.mjs, and a copy of dist/ far from node_modules (as the image holds it) reads Auth0 all the same.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Status } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandStream, readConfig } from '../../src/core/index.js';
import { CLIENT_SECRET, READER, STREAMS } from '../support/auth0-fixtures.js';
import { FakeAuth0 } from '../support/fake-auth0.js';
import { call, functionClient, startServerCommand } from '../support/grpc.js';
import { AUTH0_SDK_MARK, copyOfDistAlone, repoRoot, requireBuiltCli } from '../support/tools.js';
import { observed, readyCondition, webhookXr } from '../support/xr.js';

let copy: string;
let fake: FakeAuth0;
beforeAll(async () => {
  requireBuiltCli();
  copy = copyOfDistAlone('auth0-eventstream-fn-serve-dist-');
  fake = await FakeAuth0.start({ clients: [READER], streams: STREAMS });
});
afterAll(async () => {
  rmSync(copy, { recursive: true, force: true });
  await fake.close();
});

describe('delivery health in dist/', () => {
  it('the auth0 SDK is in a chunk of its own, not in what the server loads at start-up', () => {
    expect(readFileSync(join(repoRoot, 'dist', 'serve.mjs'), 'utf8')).not.toContain(AUTH0_SDK_MARK);
    const chunks = readdirSync(join(repoRoot, 'dist', 'chunks'));
    const withSdk = chunks.filter((chunk) => readFileSync(join(repoRoot, 'dist', 'chunks', chunk), 'utf8').includes(AUTH0_SDK_MARK));
    expect(withSdk).toHaveLength(1);
    expect(readFileSync(join(repoRoot, 'dist', 'serve.mjs'), 'utf8')).not.toContain(withSdk[0]);
  });

  it('a copy of dist/ alone reads a stream', async () => {
    const server = await startServerCommand(process.execPath, [join(copy, 'dist', 'auth0-eventstream-fn.cjs'), 'serve', '--address', '127.0.0.1:0', '--insecure'], {
      PATH: process.env['PATH'] ?? '',
      NODE_EXTRA_CA_CERTS: fake.caFile,
    });
    const client = functionClient(server.port);
    try {
      const input = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: { deliveryHealth: { credentials: 'auth0' } } };
      const xr = webhookXr();
      const workspace = expandStream(xr, readConfig(input).config).resources.find((resource) => resource.role === 'workspace')!.object;
      const id = STREAMS[0]!.id;
      const response = await call(client, {
        observed: {
          composite: { resource: xr },
          resources: { workspace: observed(workspace, { atProvider: { outputs: { id } }, conditions: [readyCondition] }) },
        },
        input: input,
        credentials: { auth0: { credentialData: { data: { domain: Buffer.from(fake.domain), client_id: Buffer.from(READER.id), client_secret: Buffer.from(CLIENT_SECRET) } } } },
      });
      const health = response.conditions.find((condition) => condition.type === 'DeliveryHealthy');
      expect([health?.status, health?.reason]).toStrictEqual([Status.STATUS_CONDITION_TRUE, 'Delivering']);
      expect(fake.apiCalls()).toStrictEqual([`GET /event-streams/${id}`, `GET /event-streams/${id}/deliveries`]);
    } finally {
      client.close();
      expect(await server.stop()).toBe(0);
    }
  });
});
