/** `auth0-eventstream-fn serve`: flags → credentials → server → wait for SIGTERM/SIGINT → drain → exit. */
import { CredentialsError, serverCredentials } from './credentials.js';
import { parseServeFlags, SERVE_USAGE } from './flags.js';
import { jsonLogger } from './logger.js';
import { runFunction } from './compose.js';
import { responseExpiry, withDeliveryHealth } from './delivery-health.js';
import { DeliveryHealthMonitor } from './delivery-health-monitor.js';
import { ResponseCache } from './response-cache.js';
import { serializeResponse } from './response-encoding.js';
import { startFunctionServer } from './server.js';

export async function serveMain(args: string[]): Promise<void> {
  const parsed = parseServeFlags(args, process.env);
  if ('help' in parsed) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return;
  }
  if ('error' in parsed) {
    process.stderr.write(`auth0-eventstream-fn serve: ${parsed.error}\n\n${SERVE_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { options } = parsed;
  const logger = jsonLogger(options.debug);
  let credentials;
  try {
    credentials = serverCredentials(options);
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    logger.error(error.message);
    process.exitCode = 1;
    return;
  }
  let server;
  try {
    server = await startFunctionServer({
      address: options.address,
      credentials,
      handler: withDeliveryHealth((request) => runFunction(request, { logger }), new DeliveryHealthMonitor({ logger })),
      cache: new ResponseCache({ maxEntries: options.cacheSize, maxBytes: options.cacheMaxBytes }, serializeResponse, {
        expiresAt: responseExpiry,
      }),
      logger,
      maxRecvMessageBytes: Math.floor(options.maxRecvMessageSizeMiB * 1024 * 1024),
    });
  } catch (error) {
    logger.error(`cannot listen on ${options.address}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  logger.info('serving', { address: options.address, port: server.port, tls: options.insecure ? 'none' : 'mTLS' });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info('shutting down: finishing in-flight calls', { signal, graceSeconds: options.shutdownGraceSeconds });
  await server.shutdown(options.shutdownGraceSeconds * 1000);
  logger.info('stopped');
  // Requests to Auth0 that failed leave the SDK's timers behind, which would keep the process up for a while.
  process.exit();
}
