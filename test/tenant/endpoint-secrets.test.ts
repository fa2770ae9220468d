/**
 * Credentials in what Auth0 returns, against the fake Management API: endpoints with a userinfo (white space
 * in it too), a secret query or fragment, user names with `user:password`, and delivery errors that quote such
 * URLs. `import` writes the manifests as Auth0 holds the streams (that is the configuration), but no summary,
 * table, JSON report, drift line or error line of `import` and `status` shows the credentials.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../hostile/arbitraries.js';
import { textHolds } from '../hostile/leaks.js';
import { recordCount } from '../hostile/summary.js';
import { READER } from '../support/auth0-fixtures.js';
import { FakeAuth0, type ApiDelivery, type ApiStream } from '../support/fake-auth0.js';
import { runCli, type CliRun } from '../support/tenant-cli.js';
import { requireBuiltCli } from '../support/tools.js';

/** Secrets as they would be pasted into a URL or a user name: printable, white space and quotes included. */
const secretText = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{8}$/), fc.stringMatching(/^[A-Za-z0-9 "'\t!$&*+,;=~-]{0,16}$/), fc.stringMatching(/^[A-Za-z0-9]{8}$/))
  .map(([head, body, tail]) => `${head}${body}${tail}`);

const PLACES = [
  (s: string) => ({ endpoint: `https://hook:${s}@hooks.example.com/in` }),
  (s: string) => ({ endpoint: `https://${s}@hooks.example.com/in` }),
  (s: string) => ({ endpoint: `https://hooks.example.com/in?api_token=${encodeURIComponent(s)}` }),
  (s: string) => ({ endpoint: `https://hooks.example.com/in#sig=${s}` }),
  (s: string) => ({ endpoint: 'https://hooks.example.com/in', username: `hook:${s}` }),
  (s: string) => ({ endpoint: 'https://hooks.example.com/in', error: `POST https://hook:${s}@hooks.example.com/in?token=${encodeURIComponent(s)} failed: 401` }),
] as const;

const STREAM_COUNT = 36;
const cases = fc.sample(fc.tuple(secretText, fc.nat(PLACES.length - 1)), { seed: SEED, numRuns: STREAM_COUNT });

const NOW = Date.parse('2026-03-01T12:00:00Z');

function tenant(): { streams: ApiStream[]; deliveries: Record<string, ApiDelivery[]>; secrets: string[] } {
  const streams: ApiStream[] = [];
  const deliveries: Record<string, ApiDelivery[]> = {};
  cases.forEach(([secret, place], index) => {
    const id = `est_${String(index).padStart(22, 'A')}`;
    const { endpoint, username, error } = { username: undefined, error: undefined, ...PLACES[place]!(secret) };
    streams.push({
      id,
      name: `hook-${index}`,
      status: 'enabled',
      subscriptions: [{ event_type: 'user.created' }],
      destination: {
        type: 'webhook',
        configuration: { webhook_endpoint: endpoint, webhook_authorization: username === undefined ? { method: 'bearer' } : { method: 'basic', username } },
      },
      created_at: '2026-01-16T08:50:33.955Z',
      updated_at: '2026-01-16T08:50:33.955Z',
    });
    if (error !== undefined) {
      const at = new Date(NOW - 60_000).toISOString();
      deliveries[id] = [
        {
          id: `dlv_${String(index).padStart(22, 'B')}`,
          event_stream_id: id,
          status: 'failed',
          event_type: 'user.created',
          attempts: [{ status: 'failed', timestamp: at, error_message: error }],
        },
      ];
    }
  });
  return { streams, deliveries, secrets: cases.map(([secret]) => secret) };
}

let fake: FakeAuth0;
const dirs: string[] = [];
beforeAll(async () => {
  requireBuiltCli();
  fake = await FakeAuth0.start({ clients: [READER], streams: [] });
});
afterAll(async () => {
  await fake.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The parts of each secret a reader could use: its runs of letters and digits of 8 or more. */
function shownParts(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((secret) => (secret.match(/[A-Za-z0-9]{8,}/g) ?? []).filter((part) => textHolds(text, part)));
}

function expectNoCredentials(run: CliRun, secrets: readonly string[], where: 'stdout and stderr' | 'stderr'): void {
  expect(shownParts(run.stderr, secrets), 'stderr').toStrictEqual([]);
  if (where === 'stdout and stderr') expect(shownParts(run.stdout, secrets), 'stdout').toStrictEqual([]);
}

describe('credentials in what Auth0 returns', () => {
  it('stay in the manifests import writes, and out of every line import and status print', async () => {
    const { streams, deliveries, secrets } = tenant();
    fake.setTenant(streams, deliveries);
    const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-endpoint-secrets-'));
    dirs.push(dir);

    const listed = await runCli(['import'], fake, { client: READER });
    expectNoCredentials(listed, secrets, 'stderr');
    // The manifests are the streams' configuration: their endpoints are as Auth0 holds them.
    expect(textHolds(listed.stdout, streams[0]!.destination.configuration['webhook_endpoint'] as string)).toBe(true);

    const written = await runCli(['import', '--dir', dir, '--namespace', 'identity'], fake, { client: READER });
    expectNoCredentials(written, secrets, 'stdout and stderr');
    expect(readFileSync(join(dir, 'hook-0.yaml'), 'utf8')).toContain('webhook_endpoint');

    for (const args of [
      ['status', dir, '--since', '7d'],
      ['status', dir, '--since', '7d', '--output', 'json'],
    ]) {
      expectNoCredentials(await runCli(args, fake, { client: READER }), secrets, 'stdout and stderr');
    }

    // Every endpoint and user name changed in Auth0: the drift is reported, without the credentials.
    fake.setTenant(
      streams.map((stream, index) => {
        const configuration = stream.destination.configuration;
        const authorization = configuration['webhook_authorization'] as Record<string, unknown>;
        const secret = secrets[(index + 1) % secrets.length]!;
        return {
          ...stream,
          destination: {
            ...stream.destination,
            configuration: {
              webhook_endpoint: `https://other:${secret}@hooks.example.com/v2?key=${encodeURIComponent(secret)}`,
              webhook_authorization: authorization['username'] === undefined ? authorization : { ...authorization, username: `other:${secret}` },
            },
          },
        };
      }),
      deliveries,
    );
    for (const args of [
      ['status', dir, '--since', '7d'],
      ['status', dir, '--since', '7d', '--output', 'json'],
    ]) {
      const run = await runCli(args, fake, { client: READER });
      // Manifests whose endpoint holds a userinfo are refused by the function (exit 1); the others drifted.
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/webhook_endpoint/);
      expectNoCredentials(run, secrets, 'stdout and stderr');
    }
    recordCount('secrets in endpoints, user names and delivery errors from Auth0 (import, status)', STREAM_COUNT);
  });
});
