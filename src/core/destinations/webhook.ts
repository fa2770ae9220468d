/**
 * The webhook destination: Auth0 POSTs each event to an HTTPS endpoint, authenticating with basic, bearer or
 * custom_header. The secret reaches Terraform only as a sensitive variable read from a Secret: a
 * `*_secret_ref` is used as it is; an inline or pipeline value becomes the generated credentials Secret, the
 * only place the value is ever written.
 */
import { API, objectMetadata } from '../expand/common.js';
import { expression, literal, variable, type ModuleValue } from '../expand/terraform-module.js';
import { quote, report } from '../findings.js';
import { resourceName } from '../names.js';
import type { Path } from '../paths.js';
import { isRecord } from '../records.js';
import { NAME_SUFFIX, ROLE } from '../roles.js';
import { RULES, type Rule } from '../rules.js';
import type { StreamBase } from '../stream.js';
import type { ExpansionConfig } from '../schema/index.js';
import type { Finding, KubeObject } from '../types.js';
import type { BlockReading, Data, DestinationModule, DestinationPlan, SecretLocation } from './types.js';

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

export interface WebhookConfig {
  readonly endpoint: string;
  readonly authorization: WebhookAuthorization;
}

/** terraform-provider-auth0 releases: event streams, and the custom_header method. */
const PROVIDER_VERSION = { webhook: '1.29.0', customHeader: '1.49.0' } as const;

/**
 * Query parameter names that carry a secret (matched whole, ignoring case): tokens, keys, passwords and the
 * signatures of signed URLs (AWS, Google, Azure SAS `sig`), which work but put a credential in the URL.
 */
const SECRET_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'token',
  'access_token',
  'accesstoken',
  'api_token',
  'apitoken',
  'auth_token',
  'authtoken',
  'id_token',
  'refresh_token',
  'bearer',
  'jwt',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'access_key',
  'secret_key',
  'private_key',
  'client_key',
  'secret',
  'client_secret',
  'shared_secret',
  'webhook_secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'signature',
  'sig',
  'hmac',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
]);

/** The rule a missing webhook secret breaks, per method (OpenMCF's CEL ids for bearer and basic). */
const SECRET_REQUIRED: Readonly<Record<AuthMethod, Rule>> = {
  bearer: RULES.webhook_auth_bearer_token_required,
  basic: RULES.webhook_auth_basic_password_required,
  custom_header: RULES['webhook-auth-header-value-required'],
};

/** The method each authorization field belongs to: a field of another method is dropped by Auth0 and Terraform. */
const FIELD_METHOD: Readonly<Record<string, AuthMethod>> = {
  username: 'basic',
  password: 'basic',
  password_secret_ref: 'basic',
  token: 'bearer',
  token_secret_ref: 'bearer',
  header_key: 'custom_header',
  header_value: 'custom_header',
  header_value_secret_ref: 'custom_header',
};

export const webhook: DestinationModule<'webhook', WebhookConfig> = {
  type: 'webhook',
  configField: 'webhook_configuration',
  immutableFields: [],
  textFields: [['webhook_endpoint'], ['webhook_authorization', 'username'], ['webhook_authorization', 'header_key']],
  takesRoutes: false,

  read(block, reading) {
    const endpoint = block['webhook_endpoint'];
    if (typeof endpoint === 'string') checkEndpoint(endpoint, [...reading.base, 'webhook_endpoint'], reading);
    const auth = block['webhook_authorization'];
    if (!isRecord(auth)) return undefined;
    const method = auth['method'];
    if (method !== 'basic' && method !== 'bearer' && method !== 'custom_header') return undefined;
    const authPath = [...reading.base, 'webhook_authorization'] as const;
    unusedFields(auth, method, authPath, reading);
    if (method === 'basic' && typeof auth['username'] !== 'string') {
      const path = reading.at([...authPath, 'username']);
      reading.findings.push(report(RULES.webhook_auth_basic_username_required, `${path} is required when the authorization method is 'basic'.`, { path }));
    }
    if (method === 'custom_header' && typeof auth['header_key'] !== 'string') {
      const path = reading.at([...authPath, 'header_key']);
      reading.findings.push(
        report(RULES['webhook-auth-header-key-required'], `${path} is required when the authorization method is 'custom_header', e.g. x-auth0-webhook-secret.`, { path }),
      );
    }
    const credential = readCredential(auth, method, authPath, reading);
    if (credential === undefined || typeof endpoint !== 'string') return undefined;
    return {
      endpoint,
      authorization: {
        method,
        ...(typeof auth['username'] === 'string' ? { username: auth['username'] } : {}),
        ...(typeof auth['header_key'] === 'string' ? { headerKey: auth['header_key'] } : {}),
        secretField: SECRET_FIELD[method],
        credential,
      },
    };
  },

  plan(stream, config) {
    const { endpoint, authorization } = stream.destination;
    const field = authorization.secretField;
    const secret = planSecret(stream, authorization, config);
    const variableName = `webhook_${field}`;
    const webhookAuthorization: Record<string, ModuleValue> = { method: literal(authorization.method) };
    if (authorization.username !== undefined) webhookAuthorization['username'] = literal(authorization.username);
    if (authorization.headerKey !== undefined) webhookAuthorization['header_key'] = literal(authorization.headerKey);
    if (secret.location !== undefined) webhookAuthorization[field] = expression(variable(variableName));
    return {
      block: { webhook_endpoint: literal(endpoint), webhook_authorization: webhookAuthorization },
      sensitive: secret.location === undefined ? [] : [{ variable: variableName, secret: secret.location }],
      providerVersion: authorization.method === 'custom_header' ? PROVIDER_VERSION.customHeader : PROVIDER_VERSION.webhook,
      resources: secret.object === undefined ? [] : [{ role: ROLE.credentials, object: secret.object }],
      findings: secret.findings,
    } satisfies DestinationPlan;
  },
};

function checkEndpoint(endpoint: string, path: Path, reading: BlockReading): void {
  const where = reading.at(path);
  const { findings, config } = reading;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    findings.push(report(RULES['webhook-endpoint-invalid'], `${where} is not a valid URL; write it as https://host/path.`, { path: where }));
    return;
  }
  // Without an `@` there is no user information to parse, and the getters (compiled on first use) are spared.
  if (endpoint.includes('@') && (url.username !== '' || url.password !== '')) {
    findings.push(
      report(RULES['webhook-endpoint-credentials'], `${where} contains credentials (user:password@); remove them and use the webhook_authorization block instead.`, {
        path: where,
      }),
    );
  }
  // Most endpoints have no query: URLSearchParams, which Node.js compiles on first use, is made only for one.
  const secretParams = url.search === '' ? [] : [...new Set(url.searchParams.keys())].filter((name) => SECRET_QUERY_PARAMETERS.has(name.toLowerCase()));
  if (secretParams.length > 0 && config.inlineCredentials !== 'allow') {
    findings.push(
      report(
        RULES['webhook-endpoint-secret-query'],
        `${where} carries a secret in its query (${secretParams.join(', ')}); the URL is stored as is in the Auth0 stream and the Terraform state and shows up in logs. ` +
          'Send the secret with webhook_authorization if the endpoint allows it (inlineCredentials: deny makes this an error, allow silences it).',
        { path: where, severity: inlineSeverity(config) },
      ),
    );
  }
  if (url.protocol === 'https:' && url.hostname === '') {
    findings.push(report(RULES['webhook-endpoint-invalid'], `${where} has no host name.`, { path: where }));
  }
}

/** Fields that belong to another method: Auth0 and Terraform would drop them silently. */
function unusedFields(auth: Data, method: AuthMethod, authPath: Path, reading: BlockReading): void {
  for (const [field, owner] of Object.entries(FIELD_METHOD)) {
    if (auth[field] === undefined || owner === method) continue;
    const path = reading.at([...authPath, field]);
    reading.findings.push(report(RULES['unused-credential-field'], `${path} is ignored with the '${method}' method (it belongs to '${owner}'); remove it.`, { path }));
  }
}

function readCredential(auth: Data, method: AuthMethod, authPath: Path, reading: BlockReading): Credential | undefined {
  const { findings, config, context, metadata } = reading;
  const field = SECRET_FIELD[method];
  const inline = auth[field];
  const ref = auth[`${field}_secret_ref`];
  const inlinePath = reading.at([...authPath, field]);
  const refPath = reading.at([...authPath, `${field}_secret_ref`]);
  if (inline !== undefined && ref !== undefined) {
    findings.push(report(RULES['credential-conflict'], `${inlinePath} and ${refPath} are both set; keep only ${refPath}.`, { path: inlinePath }));
    return undefined;
  }
  if (typeof inline === 'string') {
    if (inline === '') {
      findings.push(report(SECRET_REQUIRED[method], `${inlinePath} is empty.`, { path: inlinePath }));
      return undefined;
    }
    if (config.inlineCredentials !== 'allow') {
      findings.push(
        report(RULES['inline-credential'], `${inlinePath} holds a secret written inline in the spec; store it in a Secret and reference it with ${refPath} {name, key} instead.`, {
          path: inlinePath,
          severity: inlineSeverity(config),
        }),
      );
    }
    return { source: 'inline', value: inline };
  }
  if (isRecord(ref) && typeof ref['name'] === 'string' && typeof ref['key'] === 'string') {
    const namespace = ref['namespace'];
    const streamNamespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
    if (typeof namespace === 'string' && config.scope === 'Namespaced' && namespace !== streamNamespace) {
      const path = reading.at([...authPath, `${field}_secret_ref`, 'namespace']);
      findings.push(
        report(
          RULES['secret-ref-namespace'],
          `${path} names another namespace than the stream's (${quote(streamNamespace ?? '')}), but a namespaced Workspace can only read Secrets in its own namespace; copy the Secret there or use scope: Cluster.`,
          { path, currentValue: namespace },
        ),
      );
      return undefined;
    }
    return { source: 'secretRef', name: ref['name'], key: ref['key'], ...(typeof namespace === 'string' ? { namespace } : {}) };
  }
  if (ref !== undefined) return undefined; // the schema already reported the malformed reference
  const fromPipeline = config.webhookCredentials === undefined ? undefined : context.credentials?.[config.webhookCredentials]?.[field];
  if (fromPipeline !== undefined && fromPipeline !== '') return { source: 'pipeline', value: fromPipeline };
  const howTo = method === 'bearer' ? ' Generate one with: openssl rand -base64 32.' : '';
  findings.push(report(SECRET_REQUIRED[method], `${refPath} (or ${inlinePath}) is required when the authorization method is '${method}'.${howTo}`, { path: refPath }));
  return undefined;
}

/** Inline secrets warn by default; `inlineCredentials: deny` makes them errors (`allow` reports nothing). */
function inlineSeverity(config: ExpansionConfig): 'error' | 'warning' {
  return config.inlineCredentials === 'deny' ? 'error' : 'warning';
}

interface SecretPlan {
  readonly location?: SecretLocation;
  /** The generated credentials Secret, when the value had to be written into one. */
  readonly object?: KubeObject;
  readonly findings: readonly Finding[];
}

function credentialsSecretName(stream: StreamBase): string {
  return resourceName(stream.name, NAME_SUFFIX.credentials);
}

/** Where the Workspace reads the secret: the referenced Secret, or the credentials Secret generated for the value. */
function planSecret(stream: StreamBase, authorization: WebhookAuthorization, config: ExpansionConfig): SecretPlan {
  const field = authorization.secretField;
  const { credential } = authorization;
  if (credential.source === 'secretRef') {
    const namespace = credential.namespace ?? stream.namespace;
    if (config.scope === 'Cluster' && !namespace) return { findings: [namespaceRequired()] };
    return { location: { name: credential.name, key: credential.key, ...(namespace ? { namespace } : {}) }, findings: [] };
  }
  if (config.scope === 'Cluster' && !stream.namespace) return { findings: [namespaceRequired()] };
  const name = credentialsSecretName(stream);
  const object: KubeObject = {
    apiVersion: API[config.scope].secret,
    kind: 'Secret',
    metadata: objectMetadata(stream, name, stream.namespace),
    type: 'Opaque',
    stringData: { [field]: credential.value },
  };
  return { location: { name, key: field, ...(stream.namespace ? { namespace: stream.namespace } : {}) }, object, findings: [] };
}

function namespaceRequired(): Finding {
  return report(
    RULES['namespace-required'],
    'metadata.namespace is required with scope: Cluster: the webhook secret lives in a namespaced Secret that the cluster-scoped Workspace must name; set metadata.namespace.',
    { path: 'metadata.namespace' },
  );
}
