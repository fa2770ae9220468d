/**
 * Test support for the Crossplane server: start the real CLI (`serve`) as a child process, learn its port from
 * the "serving" log line, and call it with a real @grpc/grpc-js client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { credentials as grpcCredentials, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { FunctionRunnerServiceService, RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import { afterAll, beforeAll, expect } from 'vitest';
import { cliPath, requireBuiltCli } from './tools.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the process wrote to stderr so far (its JSON logs). */
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts `auth0-eventstream-fn serve --address 127.0.0.1:0 …args` and waits until it listens. */
export async function startServer(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  requireBuiltCli();
  return startServerCommand(process.execPath, [cliPath, 'serve', '--address', '127.0.0.1:0', ...args], env);
}

/** Starts a command that runs the server (the CLI, or a container of it) and waits for its "serving" log line. */
export async function startServerCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 15 s; stderr:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"msg":"serving".*?"port":(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening; stderr:\n${stderr}`));
    });
  });
  return {
    child,
    port,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a command that must fail to start; resolves with its exit code and stderr. */
export async function runToExit(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stderr: string }> {
  requireBuiltCli();
  const child = spawn(process.execPath, [cliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

const FunctionClient = makeGenericClientConstructor(FunctionRunnerServiceService, 'apiextensions.fn.proto.v1.FunctionRunnerService');

export interface FunctionClient extends Client {
  runFunction(request: RunFunctionRequest, options: { deadline?: Date }, callback: (error: ServiceError | null, response?: RunFunctionResponse) => void): void;
}

export function functionClient(port: number, channel: ChannelCredentials = grpcCredentials.createInsecure(), host = '127.0.0.1'): FunctionClient {
  return new FunctionClient(`${host}:${port}`, channel) as unknown as FunctionClient;
}

type DeepPartial<T> = T extends Buffer ? T : T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A request as tests write it: any field may be left out (the codec fills in defaults). */
export type RequestInit = DeepPartial<RunFunctionRequest>;

/**
 * One RunFunction call; rejects with the gRPC error. Like Crossplane, it tags the request with a hash of its
 * content unless the test sets a tag (the server caches responses by tag).
 */
export function call(client: FunctionClient, request: RequestInit, timeoutMs = 10_000): Promise<RunFunctionResponse> {
  const full = RunFunctionRequest.fromPartial(request as Parameters<typeof RunFunctionRequest.fromPartial>[0]);
  if (!request.meta?.tag) {
    full.meta = {
      capabilities: full.meta?.capabilities ?? [],
      tag: createHash('sha256')
        .update(RunFunctionRequest.encode({ ...full, meta: undefined }).finish())
        .digest('hex'),
    };
  }
  return new Promise((resolve, reject) =>
    client.runFunction(full, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => (error ? reject(error) : resolve(response!))),
  );
}

export interface SharedServer {
  readonly server: ServerProcess;
  readonly client: FunctionClient;
}

/** One server for the tests of a file: started before them, stopped after them (and it must exit 0). */
export function sharedServer(args: readonly string[]): SharedServer {
  const shared = {} as { server: ServerProcess; client: FunctionClient };
  beforeAll(async () => {
    shared.server = await startServer(args);
    shared.client = functionClient(shared.server.port);
  });
  afterAll(async () => {
    shared.client.close();
    expect(await shared.server.stop()).toBe(0);
  });
  return shared;
}
