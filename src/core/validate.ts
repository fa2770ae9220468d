/**
 * Validation of one Auth0EventStream: the JSON Schema (ajv, compiled ahead of time) for shapes, enums and
 * formats, then the rules a schema cannot say. Every problem is collected; nothing stops at the first.
 */
import type { StreamContext } from './api.js';
import type { ExpansionConfig } from './config-types.js';
import { hasErrors, quote, report, sortFindings } from './findings.js';
import { RULES, type Rule } from './rules.js';
import { normalize, userPath } from './normalize.js';
import type { Path } from './paths.js';
import { schemaFindings } from './schema-findings.js';
import { schemaAt, streamSchema, validateStream } from './schema/index.js';
import { SECRET_FIELD, type AuthMethod, type Credential, type Stream, type WebhookAuthorization } from './stream.js';
import { resolveEventTypes } from './subscriptions.js';
import type { Finding, StreamOutputs } from './types.js';
import { previousConfiguration } from './expand/workspace.js';
import { changedByTerraform } from './expand/terraform-module.js';
import { isRecord, valueAt } from './records.js';

export interface StreamReading {
  readonly stream?: Stream;
  readonly findings: readonly Finding[];
  readonly outputs: StreamOutputs;
}

type Data = Record<string, unknown>;

/**
 * Query parameter names that carry a secret (matched whole, ignoring case): tokens, keys, passwords and the
 * signatures of signed URLs (AWS, Google, Azure SAS `sig`), which work but put a credential in the URL.
 */
const SECRET_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'token', 'access_token', 'accesstoken', 'api_token', 'apitoken', 'auth_token', 'authtoken', 'id_token', 'refresh_token', 'bearer', 'jwt',
  'key', 'api_key', 'apikey', 'api-key', 'x-api-key', 'access_key', 'secret_key', 'private_key', 'client_key',
  'secret', 'client_secret', 'shared_secret', 'webhook_secret',
  'password', 'passwd', 'pwd', 'pass', 'passphrase',
  'auth', 'authorization', 'credential', 'credentials',
  'signature', 'sig', 'hmac', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential',
]);
/** The fields whose text is written into the Terraform module (besides the subscriptions). */
const MODULE_TEXT_FIELDS: readonly Path[] = [
  ['metadata', 'name'],
  ['spec', 'webhook_configuration', 'webhook_endpoint'],
  ['spec', 'webhook_configuration', 'webhook_authorization', 'username'],
  ['spec', 'webhook_configuration', 'webhook_authorization', 'header_key'],
  ['spec', 'eventbridge_configuration', 'aws_account_id'],
  ['spec', 'eventbridge_configuration', 'aws_region'],
];
const MAX_SUBSCRIPTIONS = schemaAt(streamSchema, ['spec', 'subscriptions'])?.maxItems ?? 256;
/** `aws.partner/auth0.com/<tenant>-<uuid>/auth0.events`: what Auth0 names an event stream's partner event source. */
const AUTH0_PARTNER_SOURCE = /^aws\.partner\/auth0\.com\/[a-z0-9][a-z0-9._-]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/auth0\.events$/;
const MAX_PARTNER_SOURCE_LENGTH = 256;
/** The rule a missing webhook secret breaks, per method (OpenMCF's CEL ids for bearer and basic). */
const SECRET_REQUIRED: Readonly<Record<AuthMethod, Rule>> = {
  bearer: RULES.webhook_auth_bearer_token_required,
  basic: RULES.webhook_auth_basic_password_required,
  custom_header: RULES['webhook-auth-header-value-required'],
};

export function readStream(item: unknown, config: ExpansionConfig, context: StreamContext = {}): StreamReading {
  const normalized = normalize(withoutCrossplaneMachinery(item), streamSchema);
  const findings: Finding[] = [...normalized.findings];
  const at = (path: Path): string => userPath(normalized, path);
  const data = normalized.value;
  if (!isRecord(data)) {
    return { findings: [report(RULES['not-an-object'], 'The Auth0EventStream must be an object with apiVersion, kind, metadata and spec.')], outputs: {} };
  }
  const specBefore = isRecord(data['spec']) ? data['spec'] : undefined;
  const statusSet = specBefore !== undefined && specBefore['status'] !== undefined;
  if (!validateStream(data)) for (const finding of schemaFindings(validateStream.errors ?? [], normalized, streamSchema)) findings.push(finding);

  const metadata = isRecord(data['metadata']) ? data['metadata'] : {};
  const spec = isRecord(data['spec']) ? data['spec'] : {};
  const outputs = readOutputs(data, context);
  const rules = new Rules(findings, at);

  const destinationType = spec['destination_type'];
  rules.destinationBlocks(spec, destinationType);
  const subscriptions = isStringList(spec['subscriptions'], MAX_SUBSCRIPTIONS)
    ? resolveEventTypes(spec['subscriptions'], (i) => at(['spec', 'subscriptions', i]), config.eventTypes)
    : undefined;
  if (subscriptions) for (const finding of subscriptions.findings) findings.push(finding);
  const webhookBlock = isRecord(spec['webhook_configuration']) ? spec['webhook_configuration'] : undefined;
  const webhook = destinationType === 'webhook' && webhookBlock ? rules.webhook(webhookBlock, metadata, config, context) : undefined;
  rules.partnerEventSource(outputs);
  rules.immutability(spec, outputs, context);
  rules.textTerraformKeeps(data);

  const eventbridgeBlock = isRecord(spec['eventbridge_configuration']) ? spec['eventbridge_configuration'] : undefined;
  if (hasErrors(findings) || subscriptions === undefined) return { findings: sortFindings(findings), outputs };
  const stream: Stream = {
    name: String(metadata['name']),
    ...optionalString('namespace', metadata['namespace']),
    ...optionalString('org', metadata['org']),
    ...optionalString('env', metadata['env']),
    destinationType: destinationType as Stream['destinationType'],
    status: spec['status'] as Stream['status'],
    statusSet,
    subscriptions: subscriptions.types,
    ...(destinationType === 'eventbridge' && eventbridgeBlock
      ? { eventbridge: { awsAccountId: String(eventbridgeBlock['aws_account_id']), awsRegion: String(eventbridgeBlock['aws_region']) } }
      : {}),
    ...(webhook && webhookBlock ? { webhook: { endpoint: String(webhookBlock['webhook_endpoint']), authorization: webhook } } : {}),
    outputs,
  };
  return { stream, findings: sortFindings(findings), outputs };
}

class Rules {
  constructor(
    private readonly findings: Finding[],
    private readonly at: (path: Path) => string,
  ) {}

  /** The configuration block matching destination_type is required; the other one must be absent. */
  destinationBlocks(spec: Data, destinationType: unknown): void {
    const blocks = { eventbridge: 'eventbridge_configuration', webhook: 'webhook_configuration' } as const;
    if (destinationType !== 'eventbridge' && destinationType !== 'webhook') return;
    const wanted = blocks[destinationType];
    const other = blocks[destinationType === 'eventbridge' ? 'webhook' : 'eventbridge'];
    if (spec[wanted] === undefined || spec[wanted] === null) {
      const path = this.at(['spec', wanted]);
      this.findings.push(
        report(RULES['destination-configuration-missing'], `${path} is required when ${this.at(['spec', 'destination_type'])} is ${destinationType}.`, { path }),
      );
    }
    if (spec[other] !== undefined) {
      const path = this.at(['spec', other]);
      this.findings.push(
        report(RULES['destination-configuration-conflict'], `${path} must be removed: ${this.at(['spec', 'destination_type'])} is ${destinationType}, and Auth0 accepts one destination per stream.`, { path }),
      );
    }
  }

  webhook(block: Data, metadata: Data, config: ExpansionConfig, context: StreamContext): WebhookAuthorization | undefined {
    const base = ['spec', 'webhook_configuration'] as const;
    const endpoint = block['webhook_endpoint'];
    if (typeof endpoint === 'string') this.endpoint(endpoint, [...base, 'webhook_endpoint'], config);
    const auth = block['webhook_authorization'];
    if (!isRecord(auth)) return undefined;
    const method = auth['method'];
    if (method !== 'basic' && method !== 'bearer' && method !== 'custom_header') return undefined;
    const authPath = [...base, 'webhook_authorization'] as const;
    const field = SECRET_FIELD[method];
    this.unusedFields(auth, method, authPath);
    if (method === 'basic' && typeof auth['username'] !== 'string') {
      const path = this.at([...authPath, 'username']);
      this.findings.push(report(RULES['webhook_auth_basic_username_required'], `${path} is required when the authorization method is 'basic'.`, { path }));
    }
    if (method === 'custom_header' && typeof auth['header_key'] !== 'string') {
      const path = this.at([...authPath, 'header_key']);
      this.findings.push(report(RULES['webhook-auth-header-key-required'], `${path} is required when the authorization method is 'custom_header', e.g. x-auth0-webhook-secret.`, { path }));
    }
    const credential = this.credential(auth, method, authPath, metadata, config, context);
    if (credential === undefined || typeof endpoint !== 'string') return undefined;
    return {
      method,
      ...(typeof auth['username'] === 'string' ? { username: auth['username'] } : {}),
      ...(typeof auth['header_key'] === 'string' ? { headerKey: auth['header_key'] } : {}),
      secretField: field,
      credential,
    };
  }

  private endpoint(endpoint: string, path: Path, config: ExpansionConfig): void {
    const where = this.at(path);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      this.findings.push(report(RULES['webhook-endpoint-invalid'], `${where} is not a valid URL; write it as https://host/path.`, { path: where }));
      return;
    }
    if (url.username !== '' || url.password !== '') {
      this.findings.push(
        report(RULES['webhook-endpoint-credentials'], `${where} contains credentials (user:password@); remove them and use the webhook_authorization block instead.`, { path: where }),
      );
    }
    const secretParams = [...new Set(url.searchParams.keys())].filter((name) => SECRET_QUERY_PARAMETERS.has(name.toLowerCase()));
    if (secretParams.length > 0 && config.inlineCredentials !== 'allow') {
      this.findings.push(
        report(
          RULES['webhook-endpoint-secret-query'],
          `${where} carries a secret in its query (${secretParams.join(', ')}); the URL is stored as is in the Auth0 stream and the Terraform state and shows up in logs. ` +
            'Send the secret with webhook_authorization if the endpoint allows it (inlineCredentials: deny makes this an error, allow silences it).',
          { path: where, severity: inlineSeverity(config) },
        ),
      );
    }
    if (url.protocol === 'https:' && url.hostname === '') {
      this.findings.push(report(RULES['webhook-endpoint-invalid'], `${where} has no host name.`, { path: where }));
    }
  }

  /** Fields that belong to another method: Auth0 and Terraform would drop them silently. */
  private unusedFields(auth: Data, method: AuthMethod, authPath: Path): void {
    const usedBy: Record<string, AuthMethod> = {
      username: 'basic', password: 'basic', password_secret_ref: 'basic',
      token: 'bearer', token_secret_ref: 'bearer',
      header_key: 'custom_header', header_value: 'custom_header', header_value_secret_ref: 'custom_header',
    };
    for (const [field, owner] of Object.entries(usedBy)) {
      if (auth[field] === undefined || owner === method) continue;
      const path = this.at([...authPath, field]);
      this.findings.push(report(RULES['unused-credential-field'], `${path} is ignored with the '${method}' method (it belongs to '${owner}'); remove it.`, { path }));
    }
  }

  private credential(auth: Data, method: AuthMethod, authPath: Path, metadata: Data, config: ExpansionConfig, context: StreamContext): Credential | undefined {
    const field = SECRET_FIELD[method];
    const inline = auth[field];
    const ref = auth[`${field}_secret_ref`];
    const inlinePath = this.at([...authPath, field]);
    const refPath = this.at([...authPath, `${field}_secret_ref`]);
    if (inline !== undefined && ref !== undefined) {
      this.findings.push(report(RULES['credential-conflict'], `${inlinePath} and ${refPath} are both set; keep only ${refPath}.`, { path: inlinePath }));
      return undefined;
    }
    if (typeof inline === 'string') {
      if (inline === '') {
        this.findings.push(report(SECRET_REQUIRED[method], `${inlinePath} is empty.`, { path: inlinePath }));
        return undefined;
      }
      if (config.inlineCredentials !== 'allow') {
        this.findings.push(
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
        const path = this.at([...authPath, `${field}_secret_ref`, 'namespace']);
        this.findings.push(
          report(RULES['secret-ref-namespace'], `${path} is ${quote(namespace)}, but a namespaced Workspace can only read Secrets in its own namespace (${quote(streamNamespace ?? '')}); copy the Secret there or use scope: Cluster.`, { path }),
        );
        return undefined;
      }
      return { source: 'secretRef', name: ref['name'], key: ref['key'], ...(typeof namespace === 'string' ? { namespace } : {}) };
    }
    if (ref !== undefined) return undefined; // the schema already reported the malformed reference
    const fromPipeline = config.webhookCredentials === undefined ? undefined : context.credentials?.[config.webhookCredentials]?.[field];
    if (fromPipeline !== undefined && fromPipeline !== '') return { source: 'pipeline', value: fromPipeline };
    const howTo = method === 'bearer' ? ' Generate one with: openssl rand -base64 32.' : '';
    this.findings.push(
      report(SECRET_REQUIRED[method], `${refPath} (or ${inlinePath}) is required when the authorization method is '${method}'.${howTo}`, { path: refPath }),
    );
    return undefined;
  }

  partnerEventSource(outputs: StreamOutputs): void {
    const source = outputs.aws_partner_event_source;
    if (source === undefined || source === '' || source === 'default') return;
    if (source.length <= MAX_PARTNER_SOURCE_LENGTH && AUTH0_PARTNER_SOURCE.test(source)) return;
    const path = this.at(['status', 'outputs', 'aws_partner_event_source']);
    const logStream = source.startsWith('aws.partner/auth0.com/') && source.endsWith('/auth0.logs');
    const why = logStream
      ? ' That is the partner event source of an Auth0 log stream; an event stream\'s ends in /auth0.events. Copy aws_partner_event_source from this stream\'s Workspace outputs.'
      : source.length > MAX_PARTNER_SOURCE_LENGTH
        ? ` It is longer than the ${MAX_PARTNER_SOURCE_LENGTH} characters AWS allows.`
        : '';
    this.findings.push(
      report(RULES['partner-event-source-format'], `${path} is ${quote(source)}, not the partner event source of an Auth0 event stream (aws.partner/auth0.com/<tenant>-<uuid>/auth0.events).${why}`, {
        path,
        currentValue: source,
      }),
    );
  }

  /**
   * Every string that reaches the Terraform module must come back from Terraform as written; Terraform reads
   * strings as Unicode NFC and cannot hold unpaired surrogates, so such text would silently become other text.
   */
  textTerraformKeeps(data: Data): void {
    const subscriptions = isRecord(data['spec']) ? data['spec']['subscriptions'] : undefined;
    const paths: Path[] = [...MODULE_TEXT_FIELDS];
    if (isStringList(subscriptions, MAX_SUBSCRIPTIONS)) subscriptions.forEach((_, index) => paths.push(['spec', 'subscriptions', index]));
    for (const path of paths) {
      const value = valueAt(data, path);
      if (typeof value !== 'string' || !changedByTerraform(value)) continue;
      const where = this.at(path);
      const normalized = value.normalize('NFC');
      this.findings.push(
        normalized === value || changedByTerraform(normalized)
          ? report(RULES['invalid-unicode'], `${where} is not valid Unicode (it holds an unpaired UTF-16 surrogate); write it again as text.`, { path: where })
          : report(RULES['unicode-not-nfc'], `${where} is not in Unicode normalization form C, and Terraform would store it as ${quote(normalized)}; write it in that form (NFC).`, {
              path: where,
              proposedValue: normalized,
            }),
      );
    }
  }

  /** destination_type, aws_account_id and aws_region cannot change once Auth0 has created the stream. */
  immutability(spec: Data, outputs: StreamOutputs, context: StreamContext): void {
    if (outputs.id === undefined || outputs.id === '') return;
    const previous = previousConfiguration(context.previousWorkspace);
    const before = {
      destination_type: previous?.destinationType ?? outputs.destination_type,
      aws_account_id: previous?.awsAccountId,
      aws_region: previous?.awsRegion,
    };
    const eventbridge = isRecord(spec['eventbridge_configuration']) ? spec['eventbridge_configuration'] : {};
    const now = { destination_type: spec['destination_type'], aws_account_id: eventbridge['aws_account_id'], aws_region: eventbridge['aws_region'] };
    const paths = {
      destination_type: ['spec', 'destination_type'],
      aws_account_id: ['spec', 'eventbridge_configuration', 'aws_account_id'],
      aws_region: ['spec', 'eventbridge_configuration', 'aws_region'],
    } as const;
    for (const field of ['destination_type', 'aws_account_id', 'aws_region'] as const) {
      const old = before[field];
      if (old === undefined || old === now[field]) continue;
      // A new destination type already says it all; its missing account and region are no extra news.
      if (field !== 'destination_type' && (before.destination_type !== 'eventbridge' || now.destination_type !== 'eventbridge')) continue;
      const path = this.at(paths[field]);
      this.findings.push(
        report(RULES['immutable-field'], `${path} cannot change from ${quote(old)} to ${quote(now[field])}: Auth0 stream ${outputs.id} already exists and this field is fixed at creation. Delete the Auth0EventStream and create it again (a new stream, new id and new partner event source), or restore ${quote(old)}.`, {
          path,
          currentValue: now[field],
          proposedValue: old,
        }),
      );
    }
  }
}

/** What is known of the stream's outputs: the previous Workspace's observed outputs win over the item's status. */
function readOutputs(data: Data, context: StreamContext): StreamOutputs {
  const status = isRecord(data['status']) ? data['status'] : {};
  const fromItem = isRecord(status['outputs']) ? status['outputs'] : {};
  const workspaceStatus = context.previousWorkspace?.['status'];
  const atProvider = isRecord(workspaceStatus) && isRecord(workspaceStatus['atProvider']) ? workspaceStatus['atProvider'] : {};
  const fromWorkspace = isRecord(atProvider['outputs']) ? atProvider['outputs'] : {};
  const out: Record<string, unknown> = {};
  for (const key of ['id', 'name', 'status', 'destination_type', 'created_at', 'updated_at', 'aws_partner_event_source']) {
    const value = nonEmptyString(fromWorkspace[key]) ?? nonEmptyString(fromItem[key]);
    if (value !== undefined) out[key] = value;
  }
  const subscriptions = [fromWorkspace['subscriptions'], fromItem['subscriptions']].find(
    (value): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string'),
  );
  if (subscriptions) out['subscriptions'] = subscriptions;
  return out as StreamOutputs;
}

/** Crossplane v2 XRs carry `spec.crossplane` (composition refs and the like); it is not part of the stream. */
function withoutCrossplaneMachinery(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item['spec']) || !('crossplane' in item['spec'])) return item;
  const { crossplane: _machinery, ...spec } = item['spec'];
  return { ...item, spec };
}

/** A list of strings the rules can look at item by item; a longer one only gets the schema's too-many-items error. */
function isStringList(value: unknown, maxItems: number): value is string[] {
  return Array.isArray(value) && value.length <= maxItems && value.every((entry) => typeof entry === 'string');
}

/** Inline secrets warn by default; `inlineCredentials: deny` makes them errors (`allow` reports nothing). */
function inlineSeverity(config: ExpansionConfig): 'error' | 'warning' {
  return config.inlineCredentials === 'deny' ? 'error' : 'warning';
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
}

