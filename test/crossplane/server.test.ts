/**
 * The real server process (`auth0-eventstream-fn serve`) over loopback: plaintext only with --insecure, mTLS
 * that requires a client certificate from the trusted CA, health, and graceful shutdown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import { Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionServer } from '../../src/crossplane/server.js';
import { makeCertificates, type TestCertificates } from '../support/certs.js';
import { call, functionClient, runToExit, startServer, type ServerProcess } from '../support/grpc.js';
import { checkHealth } from '../support/health-client.js';
import { checkTool } from '../support/tools.js';
import { webhookXr } from '../support/xr.js';

const openssl = checkTool('openssl', ['version']);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('serve --insecure', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--insecure']);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers RunFunction and echoes the request tag', async () => {
    const response = await call(functionClient(server.port), {
      meta: { tag: 'tag-42', capabilities: [] },
      observed: { composite: { resource: webhookXr(), connectionDetails: {} }, resources: {} },
    });
    expect(response.meta?.tag).toBe('tag-42');
    expect(response.meta?.ttl).toStrictEqual({ seconds: 60, nanos: 0 });
    expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
  });

  it('reports SERVING on the standard health service, for the server and the function service', async () => {
    expect(await checkHealth(server.port)).toBe(1);
    expect(await checkHealth(server.port, 'apiextensions.fn.proto.v1.FunctionRunnerService')).toBe(1);
  });

  it('logs JSON lines with a severity on stderr', () => {
    const lines = server.stderr().trim().split('\n');
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ severity: expect.any(String), msg: expect.any(String) });
  });
});

describe('serve without certificates', () => {
  it('refuses to start without --insecure, naming the directory, the files and the flag', async () => {
    const run = await runToExit(['serve', '--address', '127.0.0.1:0', '--tls-server-certs-dir', '/nonexistent/tls']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/nonexistent/tls');
    expect(run.stderr).toContain('tls.crt, tls.key, ca.crt');
    expect(run.stderr).toContain('--insecure');
  });

  it('refuses certificates that are not PEM with one line naming the directory, before it listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-badtls-'));
    try {
      for (const file of ['tls.crt', 'tls.key', 'ca.crt']) writeFileSync(join(dir, file), 'not a certificate\n');
      const run = await runToExit(['serve', '--address', '127.0.0.1:0', '--tls-server-certs-dir', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`the certificates in ${dir} cannot be used`);
      expect(run.stderr).not.toMatch(/cannot listen|serving/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the directory from TLS_SERVER_CERTS_DIR', async () => {
    const run = await runToExit(['serve', '--address', '127.0.0.1:0'], { ...process.env, TLS_SERVER_CERTS_DIR: '/from/env' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/from/env');
  });

  it('rejects an unknown flag with usage and exit code 2', async () => {
    const run = await runToExit(['serve', '--no-such-flag']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: auth0-eventstream-fn serve');
  });
});

describe.skipIf(!openssl.available)('serve with mTLS', () => {
  let certs: TestCertificates;
  let server: ServerProcess;
  beforeAll(async () => {
    certs = makeCertificates();
    server = await startServer(['--tls-server-certs-dir', certs.serverDir]);
  });
  afterAll(async () => {
    await server.stop();
  });
  const request = () => ({ meta: { tag: 'mtls', capabilities: [] }, observed: { composite: { resource: webhookXr(), connectionDetails: {} }, resources: {} } });

  it('answers a client with a certificate signed by the CA', async () => {
    const channel = credentials.createSsl(certs.ca, certs.client.key, certs.client.cert);
    const response = await call(functionClient(server.port, channel, 'localhost'), request());
    expect(response.meta?.tag).toBe('mtls');
  });

  it('rejects a client without a certificate', async () => {
    const channel = credentials.createSsl(certs.ca);
    await expect(call(functionClient(server.port, channel, 'localhost'), request(), 5_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
  });

  it('rejects a client whose certificate another CA signed', async () => {
    const channel = credentials.createSsl(certs.ca, certs.stranger.key, certs.stranger.cert);
    await expect(call(functionClient(server.port, channel, 'localhost'), request(), 5_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
  });

  it('rejects plaintext', async () => {
    await expect(call(functionClient(server.port), request(), 5_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
  });
});

describe('shutdown', () => {
  it('lets a slow in-flight call finish before the server stops, and takes no new calls meanwhile', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = await startFunctionServer({
      address: '127.0.0.1:0',
      credentials: ServerCredentials.createInsecure(),
      logger: silent,
      handler: async (request): Promise<RunFunctionResponse> => {
        await gate;
        return { meta: { tag: request.meta?.tag ?? '' }, desired: request.desired, results: [], conditions: [], requirements: undefined };
      },
    });
    const client = functionClient(running.port);
    const slow = call(client, { meta: { tag: 'slow', capabilities: [] } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let stopped = false;
    const stopping = running.shutdown(10_000).then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    await expect(call(functionClient(running.port), { meta: { tag: 'late', capabilities: [] } }, 2_000)).rejects.toBeDefined();
    release();
    expect((await slow).meta?.tag).toBe('slow');
    await stopping;
    expect(stopped).toBe(true);
    client.close();
  });

  it('turns a handler exception into a fatal result and keeps serving', async () => {
    let calls = 0;
    const running = await startFunctionServer({
      address: '127.0.0.1:0',
      credentials: ServerCredentials.createInsecure(),
      logger: silent,
      handler: (request): RunFunctionResponse => {
        calls++;
        if (request.meta?.tag === 'boom') throw new Error('secret-value-in-error');
        return { meta: { tag: request.meta?.tag ?? '' }, desired: request.desired, results: [], conditions: [], requirements: undefined };
      },
    });
    const client = functionClient(running.port);
    const failed = await call(client, { meta: { tag: 'boom', capabilities: [] } });
    expect(failed.results).toStrictEqual([
      {
        severity: Severity.SEVERITY_FATAL,
        message: 'auth0-eventstream-fn hit an internal error; nothing was changed. Please report it with the function logs.',
        reason: 'InternalError',
        target: 1,
      },
    ]);
    expect((await call(client, { meta: { tag: 'fine', capabilities: [] } })).meta?.tag).toBe('fine');
    expect(calls).toBe(2);
    client.close();
    await running.shutdown(1_000);
  });
});
