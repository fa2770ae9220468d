/**
 * The only module that imports the auth0 SDK: its event streams sub-client and its token handling (client
 * credentials grant, token cached until it expires), without the rest of the Management API. client.ts loads
 * this module with a dynamic import, so nothing that merely imports the client pays for the SDK.
 */
import { EventStreamsClient } from 'auth0/eventStreams';
import { createManagementAuth } from 'auth0/management';
import type { TenantCredentials } from './credentials.js';

export type { EventStreamsClient };

export interface SdkOptions {
  /** The fetch every request goes through, the token request included. */
  readonly fetch: typeof fetch;
  /** How long one SDK call may take in total (retries and waits included); attempts have their own limit. */
  readonly callTimeoutSeconds: number;
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

export function openEventStreams(credentials: TenantCredentials, options: SdkOptions): EventStreamsClient {
  const auth = createManagementAuth({
    domain: credentials.domain,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    fetch: options.fetch,
    ...(options.clientInfo ? { clientInfo: { ...options.clientInfo } } : {}),
  });
  return new EventStreamsClient({
    ...auth.clientOptions,
    fetch: options.fetch,
    // The transport retries (once, with one policy); the SDK would retry on top of it.
    maxRetries: 0,
    timeoutInSeconds: options.callTimeoutSeconds,
  });
}
