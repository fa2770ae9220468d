// What the benchmark's baseline servers share: a composition function built with the SDK the function uses,
// serving `runFunction` on a free local port (printed as the function prints it) until SIGTERM, without logs.
import { FunctionRunner, newGrpcServer } from '@crossplane-org/function-sdk-typescript';
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

export function serveWithSdk(runFunction) {
  serveLocally(newGrpcServer(new FunctionRunner({ RunFunction: runFunction }, quiet), quiet));
}

/** Serves `server` on a free local port, printed as the function prints it, until SIGTERM. */
export function serveLocally(server) {
  server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stderr.write(`{"msg":"serving","port":${port}}\n`);
  });
  process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
}
