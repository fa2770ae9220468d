/**
 * The gRPC server: FunctionRunnerService (v1, and v1beta1 for older Crossplane) plus grpc.health.v1, with a
 * handler that can never crash the process — a thrown error becomes a fatal result for that call only.
 */
import { Server, type ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { FunctionRunnerServiceService, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { HealthStatus, healthService } from './health.js';
import { knownEncodings, summarize, type ResponseCache } from './response-cache.js';
import type { Logger } from './logger.js';
import { fatal, responseTo } from './response.js';
import { serializeResponse } from './response-encoding.js';

export type RunFunctionHandler = (request: RunFunctionRequest) => Promise<RunFunctionResponse> | RunFunctionResponse;

const SERVICE_V1 = 'apiextensions.fn.proto.v1.FunctionRunnerService';
const SERVICE_V1BETA1 = 'apiextensions.fn.proto.v1beta1.FunctionRunnerService';

export interface ServerSettings {
  readonly address: string;
  readonly credentials: ServerCredentials;
  readonly handler: RunFunctionHandler;
  readonly logger: Logger;
  /** @default 4 MiB */
  readonly maxRecvMessageBytes?: number;
  /** Answers requests whose tag it has seen, without decoding them. */
  readonly cache?: ResponseCache;
}

export interface RunningServer {
  readonly port: number;
  /** Stops accepting calls, lets in-flight ones finish for up to `graceMs`, then cuts the rest. */
  shutdown(graceMs: number): Promise<void>;
}

export async function startFunctionServer(settings: ServerSettings): Promise<RunningServer> {
  const { logger } = settings;
  const server = new Server({
    'grpc.max_receive_message_length': settings.maxRecvMessageBytes ?? 4 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  const { cache } = settings;
  const runFunction = guard(cache ? cache.around(settings.handler) : settings.handler, logger);
  const codec = FunctionRunnerServiceService.runFunction;
  const method = {
    ...codec,
    requestDeserialize: cache ? cache.decoder(codec.requestDeserialize) : codec.requestDeserialize,
    responseSerialize: knownEncodings(serializeResponse),
  };
  server.addService({ runFunction: method }, { runFunction });
  server.addService({ runFunction: { ...method, path: `/${SERVICE_V1BETA1}/RunFunction` } }, { runFunction });
  const health = new HealthStatus([SERVICE_V1, SERVICE_V1BETA1]);
  server.addService(healthService, health.implementation());

  const port = await new Promise<number>((resolve, reject) => server.bindAsync(settings.address, settings.credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
  let stopping: Promise<void> | undefined;
  return {
    port,
    shutdown(graceMs) {
      stopping ??= new Promise<void>((resolve) => {
        health.drain();
        const force = setTimeout(() => {
          logger.warn('shutdown grace period over; cancelling the calls still running', { graceMs });
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}

/** Wraps the handler: logs each call without its content, turns exceptions into a fatal result. */
function guard(handler: RunFunctionHandler, logger: Logger) {
  const run = async (call: ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>, callback: sendUnaryData<RunFunctionResponse>): Promise<void> => {
    const started = performance.now();
    const tag = call.request.meta?.tag ?? '';
    let response: RunFunctionResponse;
    try {
      response = await handler(call.request);
    } catch (error) {
      logger.error('RunFunction failed', { tag, error: error instanceof Error ? error.name : typeof error });
      response = internalError(call.request);
    }
    logger.debug('RunFunction', { tag, durationMs: Math.round((performance.now() - started) * 100) / 100, ...summarize(response) });
    callback(null, response);
  };
  return (call: ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>, callback: sendUnaryData<RunFunctionResponse>): void => void run(call, callback);
}

function internalError(request: RunFunctionRequest): RunFunctionResponse {
  // What earlier steps desired is passed on as it was; nothing of this step is.
  return fatal(
    { ...responseTo(request), desired: request.desired },
    'internal-error',
    'auth0-eventstream-fn hit an internal error; nothing was changed. Please report it with the function logs.',
  );
}
