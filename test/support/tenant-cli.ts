/** Runs the built CLI's tenant commands as a child process against the fake Auth0, which only the child trusts. */
import { spawn } from 'node:child_process';
import { cliPath } from './tools.js';
import type { FakeAuth0, FakeClient } from './fake-auth0.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly client?: FakeClient;
  /** Replaces or removes (undefined) variables of the child's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string;
  readonly cwd?: string;
  /** Another copy of the executable (dist/ copied elsewhere). */
  readonly bin?: string;
}

/** The child's environment: the fake's domain and CA, the client's credentials, and nothing else of Auth0. */
export function tenantEnv(fake: FakeAuth0, client: FakeClient | undefined, extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '',
    NODE_EXTRA_CA_CERTS: fake.caFile,
    AUTH0_DOMAIN: fake.domain,
    ...(client ? { AUTH0_CLIENT_ID: client.id, AUTH0_CLIENT_SECRET: client.secret } : {}),
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Asynchronous on purpose: the fake server runs in this process and must answer while the child waits. */
export function runCli(args: readonly string[], fake: FakeAuth0, options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? cliPath, ...args], {
      env: tenantEnv(fake, options.client, options.env),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
