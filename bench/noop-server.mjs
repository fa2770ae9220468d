// A no-op composition function built with the same SDK: it answers every call with to(request).
import { FunctionRunner, newGrpcServer, to } from '@crossplane-org/function-sdk-typescript';
import { ServerCredentials } from '@grpc/grpc-js';

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
      return to(request);
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
