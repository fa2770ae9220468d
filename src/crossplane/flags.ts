/** `serve` flags: the names and defaults of Crossplane's Go function template. */
import { parseArgs } from 'node:util';

export interface ServeOptions {
  /** @default "0.0.0.0:9443" */
  readonly address: string;
  /** Holds tls.crt, tls.key and ca.crt. @default $TLS_SERVER_CERTS_DIR, else "/tls/server" */
  readonly tlsServerCertsDir: string;
  readonly insecure: boolean;
  readonly debug: boolean;
  /** @default 4 */
  readonly maxRecvMessageSizeMiB: number;
  /** How long in-flight calls may take to finish after SIGTERM. @default 25 */
  readonly shutdownGraceSeconds: number;
  /** Responses kept by request tag (0 turns the cache off). @default 256 */
  readonly cacheSize: number;
  /** Bytes of encoded responses the cache may hold. @default 64 MiB */
  readonly cacheMaxBytes: number;
}

/** setTimeout's longest delay (2^31 - 1 ms); a longer one fires at once. */
export const MAX_SHUTDOWN_GRACE_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const MIB = 1024 * 1024;
/** The largest message gRPC can take (its lengths are 32-bit): 2047 MiB. */
const MAX_RECV_BYTES = 2047 * MIB;

export type FlagsResult = { readonly options: ServeOptions } | { readonly help: true } | { readonly error: string };

export const SERVE_USAGE = `Usage: auth0-eventstream-fn serve [flags]

Serves the Crossplane composition function (apiextensions.fn.proto.v1.FunctionRunnerService) over gRPC.

Flags:
  --address ADDR                 where to listen (default 0.0.0.0:9443)
  --tls-server-certs-dir DIR     tls.crt, tls.key and ca.crt for mTLS; clients must present a certificate
                                 signed by ca.crt (default $TLS_SERVER_CERTS_DIR, else /tls/server)
  --insecure                     serve plaintext without certificates (local development only)
  --debug, -d                    debug logs (JSON lines on stderr)
  --max-recv-message-size MIB    largest request accepted, in MiB (default 4)
  --shutdown-grace SECONDS       time in-flight calls get to finish on SIGTERM/SIGINT (default 25)
  --cache-size N                 responses kept by request tag, for unchanged XRs (default 256, 0 = off)
  --cache-max-size MIB           memory those responses may take, in MiB of encoded responses (default 64, 0 = off)
  --help, -h                     this help`;

export function parseServeFlags(args: readonly string[], env: NodeJS.ProcessEnv): FlagsResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        address: { type: 'string' },
        'tls-server-certs-dir': { type: 'string' },
        insecure: { type: 'boolean' },
        debug: { type: 'boolean', short: 'd' },
        'max-recv-message-size': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        'cache-size': { type: 'string' },
        'cache-max-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { help: true };
  const size = decimal(values['max-recv-message-size'], 4);
  const grace = decimal(values['shutdown-grace'], 25);
  const maxRecvBytes = size === undefined ? undefined : Math.floor(size * MIB);
  if (maxRecvBytes === undefined || maxRecvBytes < 1 || maxRecvBytes > MAX_RECV_BYTES) {
    return { error: `--max-recv-message-size must be a number of MiB, more than 0 and at most ${MAX_RECV_BYTES / MIB}` };
  }
  if (grace === undefined || grace <= 0) return { error: '--shutdown-grace must be a positive number of seconds' };
  if (grace > MAX_SHUTDOWN_GRACE_SECONDS) {
    return { error: `--shutdown-grace must be at most ${MAX_SHUTDOWN_GRACE_SECONDS} seconds (about 24 days), the longest timer Node.js can set; got ${values['shutdown-grace']}` };
  }
  const cacheSize = values['cache-size'] === undefined ? 256 : /^[0-9]+$/.test(values['cache-size']) ? Number(values['cache-size']) : undefined;
  if (cacheSize === undefined || !Number.isSafeInteger(cacheSize)) return { error: '--cache-size must be a whole number (0 turns the cache off)' };
  const cacheMaxMiB = decimal(values['cache-max-size'], 64);
  const cacheMaxBytes = cacheMaxMiB === undefined ? undefined : Math.floor(cacheMaxMiB * MIB);
  if (cacheMaxBytes === undefined || !Number.isSafeInteger(cacheMaxBytes)) return { error: '--cache-max-size must be a number of MiB (0 turns the cache off)' };
  return {
    options: {
      address: values.address ?? '0.0.0.0:9443',
      tlsServerCertsDir: values['tls-server-certs-dir'] ?? env['TLS_SERVER_CERTS_DIR'] ?? '/tls/server',
      insecure: values.insecure ?? false,
      debug: values.debug ?? false,
      maxRecvMessageSizeMiB: maxRecvBytes / MIB,
      shutdownGraceSeconds: grace,
      cacheSize,
      cacheMaxBytes,
    },
  };
}

/**
 * A flag's number as written in decimal (`4`, `0.5`, `1e3`), or undefined: no empty or blank value (which
 * Number() reads as 0, turning a limit off), no hexadecimal or other bases, nothing negative or infinite.
 */
function decimal(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
