/**
 * Server credentials. mTLS requires a client certificate signed by ca.crt — Crossplane always presents one —
 * and nothing falls back to plaintext silently: plaintext needs --insecure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  return ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], true);
}
