// The "equally large response" server: built with the same SDK, it decodes each request and answers with a
// stored response (the function's own answer to a phase-2 XR, given as a JSON file), carrying the request's
// tag. The uncached rows of the benchmark compare the function with it, so that what they measure is the
// function's own work, not decoding and encoding messages of that size.
import { readFileSync } from 'node:fs';
import { FunctionRunner, RunFunctionResponse, newGrpcServer } from '@crossplane-org/function-sdk-typescript';
import { ServerCredentials } from '@grpc/grpc-js';

const stored = RunFunctionResponse.fromJSON(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return quiet;
  },
};
const runner = new FunctionRunner(
  {
    async RunFunction(request) {
      return { ...stored, meta: { ...stored.meta, tag: request.meta?.tag ?? '' } };
    },
  },
  quiet,
);
const server = newGrpcServer(runner, quiet);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stderr.write(`{"msg":"serving","port":${port}}\n`);
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
