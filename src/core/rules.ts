/**
 * Every rule the function checks, in one place: its id (the KRM result tag `rule`, and in PascalCase the
 * Crossplane result reason), its severity and one line on what it says. Findings and results are made from
 * these entries only, so an id cannot be misspelt or forgotten, and README's Validation table is generated
 * from this list (`npm run generate`).
 *
 * Ids are kebab-case. Three keep OpenMCF's snake_case: they are the ids of the CEL rules in OpenMCF's
 * `spec.proto`, and tools that read OpenMCF validation results match on them.
 */
import type { Severity } from './types.js';

/** Which part of the function checks a rule; README groups the table by it. */
export type RuleScope = 'input' | 'schema' | 'stream' | 'configuration' | 'package' | 'crossplane';

export interface RuleSpec {
  readonly severity: Severity;
  /** Other severities the configuration can give the rule's findings, and how. */
  readonly otherwise?: { readonly severities: readonly Severity[]; readonly how: string };
  readonly scope: RuleScope;
  /** What the rule says, in one line (Markdown). */
  readonly summary: string;
}

const OPENMCF_CEL = 'OpenMCF CEL rule id, kept for compatibility';

const SPECS = {
  // What the adapters read before any resource.
  'invalid-input': {
    severity: 'error',
    scope: 'input',
    summary:
      'The input is not UTF-8, not YAML, nests too deep, expands too many aliases, is larger than the heap can hold once parsed, is not a ResourceList, or the pipeline step input is invalid.',
  },
  'invalid-item': { severity: 'error', scope: 'input', summary: 'An item is not a Kubernetes object with `apiVersion`, `kind` and `metadata.name`.' },
  'internal-error': { severity: 'error', scope: 'input', summary: 'A bug: nothing was changed; the message asks for a report.' },
  'unkeepable-value': {
    severity: 'error',
    scope: 'input',
    summary:
      'An item the function must rewrite (it changes it, or it refers to an anchor outside it) holds what only its own text keeps — a key that is not a string or has a tag, a value merged in with `<<` and spelled like `0o17`: the message names the field and how to write it.',
  },

  // Shapes, enums and formats, from the JSON Schemas.
  'missing-field': { severity: 'error', scope: 'schema', summary: 'A required field is missing; the message says what it is for.' },
  'unknown-field': { severity: 'error', scope: 'schema', summary: 'A field the schema does not have, with "did you mean" (also for configuration keys).' },
  'wrong-type': { severity: 'error', scope: 'schema', summary: 'A value of the wrong type (an account id written as a YAML number gets a hint to quote it).' },
  'invalid-value': { severity: 'error', scope: 'schema', summary: 'A value outside its enum (`destination_type`, `aws_region`, `method`, `status`, …), with "did you mean".' },
  'invalid-format': {
    severity: 'error',
    scope: 'schema',
    summary: 'A value that does not match its format (12-digit `aws_account_id`, `https://` endpoint, event type, Secret name, …); the message says what is expected.',
  },
  'too-few-items': { severity: 'error', scope: 'schema', summary: 'A list with too few items (`subscriptions` needs one).' },
  'too-many-items': { severity: 'error', scope: 'schema', summary: 'A list with too many items, reported once for the list.' },
  'too-short': { severity: 'error', scope: 'schema', summary: 'An empty text where one is required.' },
  'too-long': { severity: 'error', scope: 'schema', summary: 'A text over its limit (`metadata.name` 128, `username` 128, …).' },
  'out-of-range': { severity: 'error', scope: 'schema', summary: 'A number outside its range (route retry policy).' },
  'unsafe-key': { severity: 'error', scope: 'schema', summary: '`__proto__`, `constructor` or `prototype` as a field name.' },
  'mixed-spelling': { severity: 'error', scope: 'schema', summary: 'One field written both in snake_case and in camelCase.' },
  'not-an-object': { severity: 'error', scope: 'schema', summary: 'The Auth0EventStream is not an object.' },

  // One stream.
  'destination-configuration-missing': { severity: 'error', scope: 'stream', summary: 'The configuration block matching `destination_type` is missing.' },
  'destination-configuration-conflict': {
    severity: 'error',
    scope: 'stream',
    summary: 'A configuration block of another destination type is set; Auth0 accepts one destination per stream.',
  },
  'unknown-event-type': {
    severity: 'error',
    otherwise: { severities: ['warning'], how: '`eventTypes: warn` makes it a warning' },
    scope: 'stream',
    summary: 'A subscription that is not an Auth0 event type, with "did you mean" (log events are pointed at log streams).',
  },
  'wildcard-matches-nothing': { severity: 'error', scope: 'stream', summary: 'A wildcard (`user.*`, `*`) that matches no Auth0 event type; matching ones are expanded.' },
  'duplicate-subscription': { severity: 'warning', scope: 'stream', summary: 'A subscription listed twice, or already covered by a wildcard; the duplicate is dropped.' },
  'webhook-endpoint-invalid': { severity: 'error', scope: 'stream', summary: '`webhook_endpoint` is not a valid URL, or has no host.' },
  'webhook-endpoint-credentials': { severity: 'error', scope: 'stream', summary: '`webhook_endpoint` holds `user:password@`.' },
  'webhook-endpoint-secret-query': {
    severity: 'warning',
    otherwise: { severities: ['error'], how: '`inlineCredentials: deny` makes it an error, `allow` silences it' },
    scope: 'stream',
    summary: 'A query parameter named like a secret (`token`, `api_key`, `secret`, `password`, `sig`, `X-Amz-Signature`, …; not `design` or `author`): named, never shown.',
  },
  webhook_auth_bearer_token_required: { severity: 'error', scope: 'stream', summary: `The bearer method needs a token (or \`token_secret_ref\`). ${OPENMCF_CEL}.` },
  webhook_auth_basic_username_required: { severity: 'error', scope: 'stream', summary: `The basic method needs a \`username\`. ${OPENMCF_CEL}.` },
  webhook_auth_basic_password_required: { severity: 'error', scope: 'stream', summary: `The basic method needs a password (or \`password_secret_ref\`). ${OPENMCF_CEL}.` },
  'webhook-auth-header-key-required': { severity: 'error', scope: 'stream', summary: 'The custom_header method needs a `header_key`.' },
  'webhook-auth-header-value-required': { severity: 'error', scope: 'stream', summary: 'The custom_header method needs a header value (or `header_value_secret_ref`).' },
  'credential-conflict': { severity: 'error', scope: 'stream', summary: 'A secret both inline and as a reference.' },
  'unused-credential-field': { severity: 'warning', scope: 'stream', summary: 'A field of another authorization method, which Auth0 would drop.' },
  'inline-credential': {
    severity: 'warning',
    otherwise: { severities: ['error'], how: '`inlineCredentials: deny` makes it an error, `allow` silences it' },
    scope: 'stream',
    summary: 'A webhook secret written inline in the spec: named, never shown.',
  },
  'secret-ref-namespace': { severity: 'error', scope: 'stream', summary: "A Secret reference to another namespace than the stream's, which a namespaced Workspace cannot read." },
  'namespace-required': { severity: 'error', scope: 'stream', summary: 'With `scope: Cluster`, a stream whose webhook secret is a Secret needs `metadata.namespace`.' },
  'invalid-unicode': { severity: 'error', scope: 'stream', summary: 'Text Terraform cannot hold (an unpaired surrogate) in a field written into the module.' },
  'unicode-not-nfc': {
    severity: 'error',
    scope: 'stream',
    summary: 'Text not in Unicode NFC in a field written into the module: Terraform would store it changed; the NFC form is proposed.',
  },
  'partner-event-source-format': {
    severity: 'error',
    scope: 'stream',
    summary:
      "`status.outputs.aws_partner_event_source` is not an Auth0 event stream's (`aws.partner/auth0.com/<tenant>-<uuid>/auth0.events`, at most 256 characters); a log stream's gets a hint.",
  },
  'immutable-field': {
    severity: 'error',
    scope: 'stream',
    summary: 'Once the stream exists, `destination_type` and the fields of its destination that Auth0 fixes at creation cannot change: delete and recreate.',
  },
  'adopt-stream-id-mismatch': {
    severity: 'error',
    scope: 'stream',
    summary: 'The adoption annotation names another stream than `status.outputs.id` (or the Workspace outputs) report.',
  },
  'adopting-stream': { severity: 'info', scope: 'stream', summary: 'The Workspace imports the stream the adoption annotation names on its first apply, instead of creating one.' },
  'stream-adopted': { severity: 'info', scope: 'stream', summary: 'The observed Workspace reports the adopted stream, so its import block is dropped (Crossplane).' },
  'ownership-label-conflict': { severity: 'error', scope: 'stream', summary: '`metadata.org`/`env` and the labels `auth0.openmcf.org/org`/`env` with different values.' },
  'generated-name-clash': {
    severity: 'error',
    scope: 'stream',
    summary: 'Two generated resources of one stream (or a route and a generated resource) would share a name or a composition resource name.',
  },
  'waiting-for-partner-event-source': {
    severity: 'info',
    scope: 'stream',
    summary: 'An EventBridge stream whose partner event source is not known yet; the bus, rules and targets follow.',
  },
  'route-event-type-not-subscribed': {
    severity: 'warning',
    scope: 'stream',
    summary: 'A route matches an event type the stream does not subscribe to; those events never arrive.',
  },
  'target-policy-statement': {
    severity: 'info',
    scope: 'stream',
    summary: 'An SQS queue or SNS topic as a route target or dead-letter queue: the policy statement EventBridge needs.',
  },

  // The function's configuration.
  'invalid-config': { severity: 'error', scope: 'configuration', summary: 'The configuration is not an object.' },
  'unsupported-config-kind': { severity: 'error', scope: 'configuration', summary: 'The configuration is neither a ConfigMap nor an ExpansionConfig.' },
  'duplicate-route': { severity: 'error', scope: 'configuration', summary: 'Two routes of one name.' },

  // The package as a whole (kpt and kustomize).
  'duplicate-stream': { severity: 'error', scope: 'package', summary: 'One Auth0EventStream (namespace and name) defined twice; only the first is expanded.' },
  'duplicate-stream-name': {
    severity: 'error',
    otherwise: { severities: ['warning'], how: 'a warning with namespaced `ProviderConfig`s' },
    scope: 'package',
    summary: 'Two streams of one name in different namespaces, on one tenant: Auth0 would refuse the second (409).',
  },
  'generated-name-conflict': {
    severity: 'error',
    scope: 'package',
    summary: 'Two streams would generate the same resource; the stream whose `namespace/name` sorts first gets it.',
  },
  'generated-name-taken': { severity: 'error', scope: 'package', summary: 'A generated resource would take the name of a resource the function did not generate.' },
  'generated-file-outside-package': { severity: 'error', scope: 'package', summary: 'A stream read from outside the package, so its generated resources have no file.' },
  'generated-file-clash': { severity: 'error', scope: 'package', summary: 'Two streams whose generated files would be one.' },
  'route-stream-not-found': { severity: 'warning', scope: 'package', summary: "A route's `streams` entry names no Auth0EventStream of the package." },
  'route-stream-not-eventbridge': {
    severity: 'warning',
    scope: 'package',
    summary: "A route's `streams` entry names a stream whose destination takes no routes: routes apply to EventBridge streams only.",
  },

  // The Crossplane adapter.
  'missing-composite': { severity: 'error', scope: 'crossplane', summary: 'The request has no observed composite resource.' },
  'invalid-spec': { severity: 'error', scope: 'crossplane', summary: 'The XR is invalid (the fatal result takes the reason of its first error) or its spec is not an object.' },
  'more-findings': { severity: 'warning', scope: 'crossplane', summary: 'More results than a response lists; the count is given.' },
} as const satisfies Readonly<Record<string, RuleSpec>>;

export type RuleId = keyof typeof SPECS;

/** A rule as findings carry it: its id with its entry. */
export interface Rule extends RuleSpec {
  readonly id: RuleId;
}

/** The rules by id: `RULES['inline-credential']`. Findings and results are made from these. */
export const RULES: { readonly [Id in RuleId]: Rule & { readonly id: Id } } = Object.fromEntries(
  Object.entries(SPECS).map(([id, spec]) => [id, Object.freeze({ id, ...spec })]),
) as { readonly [Id in RuleId]: Rule & { readonly id: Id } };

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(SPECS, id);
}

/** Every rule, in the registry's order. */
export function allRules(): Rule[] {
  return Object.values(RULES);
}

/** Whether findings of `rule` may have `severity`. */
export function allowsSeverity(rule: RuleSpec, severity: Severity): boolean {
  return rule.severity === severity || (rule.otherwise?.severities.includes(severity) ?? false);
}

/** The Crossplane result reason of a rule: `unknown-event-type` → `UnknownEventType`, `webhook_auth_bearer_token_required` → `WebhookAuthBearerTokenRequired`. */
export function reasonOf(id: RuleId): string {
  let reason = REASONS.get(id);
  if (reason === undefined) {
    reason = id
      .split(/[-_]+/)
      .filter((part) => part !== '')
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join('');
    REASONS.set(id, reason);
  }
  return reason;
}

/** Reasons by rule id (a few dozen ids). */
const REASONS = new Map<string, string>();
