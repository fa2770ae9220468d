// The "equally large response" server: built with the same SDK, it decodes each request and answers with the
// function's own answer to a request of that spec (given as a JSON file: answers by the XR's subscriptions,
// joined with commas), carrying the request's tag. The uncached rows of the benchmark compare the function
// with it, so that what they measure is the function's own work, not decoding and encoding messages of that
// size: request by request, it decodes what the function decodes and encodes as much as the function encodes.
import { readFileSync } from 'node:fs';
import { FunctionRunner, RunFunctionResponse, newGrpcServer } from '@crossplane-org/function-sdk-typescript';
import { ServerCredentials } from '@grpc/grpc-js';

const answers = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([key, json]) => [key, RunFunctionResponse.fromJSON(json)]));
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
      const subscriptions = request.observed?.composite?.resource?.spec?.subscriptions;
      const answer = answers.get(Array.isArray(subscriptions) ? subscriptions.join(',') : '');
      if (answer === undefined) throw new Error('no answer for this spec');
      return { ...answer, meta: { ...answer.meta, tag: request.meta?.tag ?? '' } };
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
