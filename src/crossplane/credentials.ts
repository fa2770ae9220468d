/**
 * Server credentials. mTLS requires a client certificate signed by ca.crt — Crossplane always presents one —
 * and nothing falls back to plaintext silently: plaintext needs --insecure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ServerCredentials } from '@grpc/grpc-js';

const TLS_FILES = ['tls.crt', 'tls.key', 'ca.crt'] as const;

export class CredentialsError extends Error {}

export function serverCredentials(options: { readonly insecure: boolean; readonly tlsServerCertsDir: string }): ServerCredentials {
  if (options.insecure) return ServerCredentials.createInsecure();
  const dir = options.tlsServerCertsDir;
  const read = (file: string): Buffer => {
    try {
      return readFileSync(join(dir, file));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CredentialsError(
        `cannot start: mTLS needs ${TLS_FILES.join(', ')} in ${dir} (set --tls-server-certs-dir or TLS_SERVER_CERTS_DIR), ` +
          `but ${join(dir, file)} is ${reason === 'ENOENT' ? 'missing' : `not readable (${reason})`}. ` +
          'For local development without certificates pass --insecure.',
      );
    }
  };
  const [cert, key, ca] = TLS_FILES.map(read) as [Buffer, Buffer, Buffer];
  try {
    // gRPC would load them only when binding, and say no more than "cannot listen".
    createSecureContext({ cert, key, ca });
  } catch (error) {
    throw new CredentialsError(
      `cannot start: the certificates in ${dir} cannot be used (${error instanceof Error ? error.message : String(error)}): ` +
        'tls.crt must be a PEM certificate, tls.key its PEM private key, and ca.crt the PEM certificate of the CA that signs the clients.',
    );
  }
  return ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], true);
}
