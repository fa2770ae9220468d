/** The validated, defaulted model of one Auth0EventStream that the expansion works from. */
import type { StreamOutputs } from './types.js';

export type DestinationType = 'eventbridge' | 'webhook';
export type AuthMethod = 'basic' | 'bearer' | 'custom_header';

/** Which spec field carries the secret for each method. */
export const SECRET_FIELD = { basic: 'password', bearer: 'token', custom_header: 'header_value' } as const;
export type SecretField = (typeof SECRET_FIELD)[AuthMethod];

/** Where the webhook secret comes from. The value itself never leaves the credentials Secret. */
export type Credential =
  | { readonly source: 'inline'; readonly value: string }
  | { readonly source: 'pipeline'; readonly value: string }
  | { readonly source: 'secretRef'; readonly name: string; readonly key: string; readonly namespace?: string };

export interface WebhookAuthorization {
  readonly method: AuthMethod;
  readonly username?: string;
  readonly headerKey?: string;
  readonly secretField: SecretField;
  readonly credential: Credential;
}

export interface Stream {
  readonly name: string;
  readonly namespace?: string;
  readonly org?: string;
  readonly env?: string;
  readonly destinationType: DestinationType;
  readonly status: 'enabled' | 'disabled';
  /** Whether `spec.status` is managed: the user wrote it (a value writeDefaults wrote does not count; else Auth0 keeps its own). */
  readonly statusSet: boolean;
  readonly subscriptions: readonly string[];
  readonly eventbridge?: { readonly awsAccountId: string; readonly awsRegion: string };
  readonly webhook?: { readonly endpoint: string; readonly authorization: WebhookAuthorization };
  readonly outputs: StreamOutputs;
}
