/**
 * The real `serve` process under faults, with a real gRPC client: malformed requests of every kind (bytes that
 * are not a RunFunctionRequest, Struct fields full of arbitrary values, missing fields, messages over the
 * 4 MiB limit), a burst of valid calls at concurrency 64, clients that go away mid-call, deadlines that
 * expire, and SIGTERM with calls in flight. Each is answered or refused cleanly and the server keeps serving.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { credentials, makeGenericClientConstructor, status as GrpcStatus, type Client, type ServiceError } from '@grpc/grpc-js';
import { RunFunctionRequest, RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, functionClient, startServer, type FunctionClient, type RequestInit, type ServerProcess } from '../support/grpc.js';
import { checkHealth } from '../support/health-client.js';
import { eventbridgeXr, webhookXr } from '../support/xr.js';
import { anySpec, SEED } from './arbitraries.js';
import type { Json } from './arbitraries.js';
import { recordCount } from './summary.js';

const SERVING = 1;
const METHOD = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';

/** A client that sends whatever bytes it is given as the request, and returns the response's bytes. */
interface RawClient extends Client {
  runFunction(request: Buffer, options: { deadline?: Date }, callback: (error: ServiceError | null, response?: Buffer) => void): void;
}
const RawClientConstructor = makeGenericClientConstructor(
  {
    runFunction: {
      path: METHOD,
      requestStream: false,
      responseStream: false,
      requestSerialize: (bytes: Buffer) => bytes,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (bytes: Buffer) => bytes,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  },
  'RawFunctionRunner',
);

function rawCall(client: RawClient, bytes: Buffer, timeoutMs = 10_000): Promise<{ response?: Buffer; code?: GrpcStatus }> {
  return new Promise((resolve) =>
    client.runFunction(bytes, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => resolve(error ? { code: error.code } : { response: response! })),
  );
}

async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

const input = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', spec: {} };

let server: ServerProcess;
let client: FunctionClient;
let raw: RawClient;
beforeAll(async () => {
  server = await startServer(['--insecure']);
  client = functionClient(server.port);
  raw = new RawClientConstructor(`127.0.0.1:${server.port}`, credentials.createInsecure()) as unknown as RawClient;
});
afterAll(async () => {
  client.close();
  raw.close();
  expect(await server.stop()).toBe(0);
});

/** The server still answers health checks and a valid call, and its process is alive. */
async function expectStillServing(): Promise<void> {
  expect(server.child.exitCode).toBeNull();
  expect(await checkHealth(server.port)).toBe(SERVING);
  const response = await call(client, { observed: { composite: { resource: webhookXr() } }, input });
  expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
  expect(Object.keys(response.desired?.resources ?? {})).toStrictEqual(['workspace']);
}

describe('malformed requests', () => {
  const codes = new Map<string, number>();
  const count = (outcome: string) => codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
  let tried = 0;

  afterAll(() => recordCount('malformed gRPC requests', tried));

  it('bytes that are not a RunFunctionRequest: refused with a gRPC status or, where they happen to decode, answered', async () => {
    const runs = 400;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), async (bytes) => {
        const outcome = await rawCall(raw, Buffer.from(bytes));
        if (outcome.response !== undefined) {
          RunFunctionResponse.decode(outcome.response);
          count('answered');
        } else {
          expect([GrpcStatus.INTERNAL, GrpcStatus.INVALID_ARGUMENT]).toContain(outcome.code);
          count(`refused ${GrpcStatus[outcome.code!]}`);
        }
      }),
      { seed: SEED, numRuns: runs },
    );
    tried += runs;
    expect(codes.get('refused INTERNAL')).toBeGreaterThan(runs / 4);
    await expectStillServing();
  });

  it('valid framing, arbitrary content: any Struct in the composite, desired, input and context, and missing fields', async () => {
    const runs = 597;
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
    const object = fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 5 });
    const composite = fc.oneof(
      object,
      fc.record(
        { apiVersion: fc.constant('auth0.openmcf.org/v1'), kind: fc.constant('Auth0EventStream'), metadata: fc.oneof(object, fc.constant({ name: 'x' })), spec: anySpec },
        { requiredKeys: [] },
      ),
    );
    const request = fc.record(
      {
        meta: fc.record({ tag: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
        observed: fc.record(
          { composite: fc.record({ resource: composite }, { requiredKeys: [] }), resources: fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ resource: object })) },
          { requiredKeys: [] },
        ),
        desired: fc.record({ resources: fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ resource: object })) }, { requiredKeys: [] }),
        input: fc.oneof(object, fc.constant(input)),
        context: object,
        credentials: fc.dictionary(
          fc.string({ maxLength: 8 }),
          fc.record({
            credentialData: fc.record({
              data: fc.dictionary(
                fc.string({ maxLength: 8 }),
                fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
              ),
            }),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (init) => {
        const response = await call(client, init);
        expect(response.meta?.tag).toBeDefined();
        const fatal = response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL);
        count(fatal.length > 0 ? 'fatal result' : 'answered');
        for (const result of fatal) expect(result.message.length).toBeGreaterThan(20);
      }),
      { seed: SEED, numRuns: runs },
    );
    tried += runs;
    await expectStillServing();
  });

  it('messages over the 4 MiB limit: RESOURCE_EXHAUSTED, and the next call is served', async () => {
    const huge = (size: number) =>
      RunFunctionRequest.encode(
        RunFunctionRequest.fromPartial({ observed: { composite: { resource: { ...webhookXr(), metadata: { name: 'big', annotations: { padding: 'x'.repeat(size) } } } } }, input }),
      ).finish();
    const justUnder = await rawCall(raw, Buffer.from(huge(4 * 1024 * 1024 - 1024)));
    expect(justUnder.response).toBeDefined();
    for (const size of [4 * 1024 * 1024 + 1, 5 * 1024 * 1024, 16 * 1024 * 1024]) {
      const outcome = await rawCall(raw, Buffer.from(huge(size)));
      expect(outcome.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      count('refused RESOURCE_EXHAUSTED');
      await expectStillServing();
    }
    tried += 3;
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['answered', 'fatal result', 'refused RESOURCE_EXHAUSTED']));
  });
});

describe('load and broken calls', () => {
  it('answers 2,000 valid calls at concurrency 64, every one correctly', async () => {
    const responses = await inParallel(2000, 64, async (index) => {
      const xr =
        index % 2 === 0 ? webhookXr({ metadata: { name: `hooks-${index}`, namespace: 'identity' } }) : eventbridgeXr({ metadata: { name: `bus-${index}`, namespace: 'identity' } });
      return { index, response: await call(client, { observed: { composite: { resource: xr } }, input }, 30_000) };
    });
    recordCount('valid gRPC calls at concurrency 64', responses.length);
    for (const { index, response } of responses) {
      expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
      const workspace = response.desired?.resources['workspace']?.resource as { metadata: { name: string } };
      expect(workspace.metadata.name).toBe(index % 2 === 0 ? `hooks-${index}-auth0-stream` : `bus-${index}-auth0-stream`);
    }
    await expectStillServing();
  });

  /** A request that takes the server a while to read and answer: a large XR (about 3 MiB). */
  const slowRequest = (name: string): Buffer =>
    Buffer.from(
      RunFunctionRequest.encode(
        RunFunctionRequest.fromPartial({
          meta: { tag: name },
          observed: { composite: { resource: { ...webhookXr(), metadata: { name, namespace: 'identity', annotations: { padding: randomBytes(1536 * 1024).toString('hex') } } } } },
          input,
        }),
      ).finish(),
    );

  it('survives 50 clients that cancel or disconnect mid-call', async () => {
    for (let i = 0; i < 50; i++) {
      const doomed = new RawClientConstructor(`127.0.0.1:${server.port}`, credentials.createInsecure()) as unknown as RawClient;
      const pending = new Promise<void>((resolve) => {
        const inFlight = doomed.runFunction(slowRequest(`gone-${i}`), {}, () => resolve()) as unknown as { cancel(): void };
        setTimeout(() => (i % 2 === 0 ? inFlight.cancel() : doomed.close()), i % 5);
      });
      if (i % 2 === 0) await pending;
      else await new Promise((resolve) => setTimeout(resolve, 10));
      doomed.close();
    }
    await expectStillServing();
  });

  it('reports DEADLINE_EXCEEDED to a client whose deadline expires, and keeps serving', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => rawCall(raw, slowRequest(`late-${i}`), 1)));
    expect(outcomes.map((outcome) => outcome.code)).toStrictEqual(Array(20).fill(GrpcStatus.DEADLINE_EXCEEDED));
    await expectStillServing();
    expect(server.stderr()).not.toMatch(/"severity":"(ERROR|CRITICAL)"/);
  });
});

describe('SIGTERM with calls in flight', () => {
  it('answers every call it had accepted, then exits 0', async () => {
    const own = await startServer(['--insecure']);
    const ownClient = functionClient(own.port);
    const requests: RequestInit[] = Array.from({ length: 200 }, (_, i) => ({
      observed: { composite: { resource: webhookXr({ metadata: { name: `drain-${i}`, namespace: 'identity' } }) } },
      input,
    }));
    let signalled = false;
    const calls = requests.map((request) =>
      call(ownClient, request, 30_000).then(
        () => ({ answered: true as const, afterSignal: signalled }),
        (error: ServiceError) => ({ answered: false as const, code: error.code }),
      ),
    );
    await Promise.race(calls);
    own.child.kill('SIGTERM');
    signalled = true;
    const outcomes = await Promise.all(calls);
    ownClient.close();
    expect(await own.exited).toBe(0);
    // Calls the server had not yet taken when it stopped are refused as UNAVAILABLE (Crossplane retries them);
    // none is cut off half-way (CANCELLED or INTERNAL), and those it had taken are answered after the signal.
    expect(outcomes.filter((outcome) => !outcome.answered && outcome.code !== GrpcStatus.UNAVAILABLE)).toStrictEqual([]);
    expect(outcomes.filter((outcome) => outcome.answered && outcome.afterSignal).length).toBeGreaterThan(0);
    expect(own.stderr()).toContain('"msg":"stopped"');
  });
});
