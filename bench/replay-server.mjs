// The transport floor for a cached answer: a gRPC server that answers every RunFunction call with the same
// bytes (the function's own encoded answer, given as a file), without decoding the request or encoding
// anything. An unchanged XR answered from the function's cache can cost no less than this: the request comes
// in, and an answer of that size goes out.
import { readFileSync } from 'node:fs';
import { Server } from '@grpc/grpc-js';
import { FunctionRunnerServiceService } from '@crossplane-org/function-sdk-typescript';
import { serveLocally } from './sdk-server.mjs';

const answer = readFileSync(process.argv[2]);
const passThrough = (bytes) => bytes;
const server = new Server();
server.addService(
  { runFunction: { ...FunctionRunnerServiceService.runFunction, requestDeserialize: passThrough, responseSerialize: passThrough } },
  { runFunction: (_call, callback) => callback(null, answer) },
);
serveLocally(server);
