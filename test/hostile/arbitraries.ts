/**
 * fast-check arbitraries for Auth0EventStream packages: valid streams of every shape, near-valid specs with a
 * few fields wrong, foreign items with comments, configurations, and distinctive secret values.
 */
import fc from 'fast-check';
import { AUTH0_AWS_REGIONS, AUTH0_EVENT_TYPES } from '../../src/core/schema/generated/auth0-enums.js';

/** Every property test in this folder runs from this seed, so a failure reproduces on every machine. */
export const SEED = 20_261_128;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const eventTypes = [...AUTH0_EVENT_TYPES];
/** Wildcards that match at least one event type: every dotted prefix followed by `*`. */
const wildcards = [
  ...new Set(
    eventTypes.flatMap((type) =>
      type
        .split('.')
        .slice(0, -1)
        .map((_, i, parts) => `${parts.slice(0, i + 1).join('.')}.*`),
    ),
  ),
];

export const eventType = fc.constantFrom(...eventTypes);
export const subscriptions = fc.array(fc.oneof({ weight: 4, arbitrary: eventType }, { weight: 1, arbitrary: fc.constantFrom(...wildcards) }), { minLength: 1, maxLength: 6 });
export const region = fc.constantFrom(...AUTH0_AWS_REGIONS);
export const accountId = fc.stringMatching(/^[0-9]{12}$/);
export const dnsName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
/** Names users actually write, plus a few that are valid for Auth0 but awkward for Kubernetes names. */
export const streamName = fc.oneof({ weight: 6, arbitrary: dnsName }, { weight: 1, arbitrary: fc.constantFrom('Orders.Stream_1', 'ÄÖÜ events', 'x'.repeat(128)) });

/**
 * A secret that cannot occur by chance anywhere else: a fixed-free random core of at least 12 graphemes
 * (any printable Unicode, quotes and backslashes included) between two random alphanumeric runs.
 */
export const secretValue = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{6}$/), fc.string({ unit: 'grapheme', minLength: 12, maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9]{6}$/))
  .map(([head, body, tail]) => `${head}${body}${tail}`);

export const secretRef = fc.record({ name: dnsName, key: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/) });

const username = fc.stringMatching(/^[a-z][a-z0-9._@-]{0,30}$/);
const headerKey = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
const endpoint = fc.tuple(dnsName, fc.stringMatching(/^(\/[a-z0-9-]{1,10}){0,3}$/)).map(([host, path]) => `https://${host}.example.com${path}`);
const partnerSource = fc.uuid().map((uuid) => `aws.partner/auth0.com/acme-${uuid}/auth0.events`);

/** One of the three methods, each secret inline (`value`) or by reference. */
export function authorization(value: fc.Arbitrary<string | undefined>): fc.Arbitrary<JsonObject> {
  const secret = (inline: string, ref: string) => fc.tuple(value, secretRef).map(([v, r]): JsonObject => (v === undefined ? { [ref]: r } : { [inline]: v }));
  return fc.oneof(
    secret('token', 'token_secret_ref').map((s) => ({ method: 'bearer', ...s })),
    fc.tuple(username, secret('password', 'password_secret_ref')).map(([name, s]) => ({ method: 'basic', username: name, ...s })),
    fc.tuple(headerKey, secret('header_value', 'header_value_secret_ref')).map(([key, s]) => ({ method: 'custom_header', header_key: key, ...s })),
  );
}

export function webhookSpec(value: fc.Arbitrary<string | undefined> = fc.constant(undefined)): fc.Arbitrary<JsonObject> {
  return fc.record({
    destination_type: fc.constant('webhook'),
    subscriptions,
    webhook_configuration: fc.record({ webhook_endpoint: endpoint, webhook_authorization: authorization(value) }),
  });
}

export const eventbridgeSpec: fc.Arbitrary<JsonObject> = fc.record({
  destination_type: fc.constant('eventbridge'),
  subscriptions,
  eventbridge_configuration: fc.record({ aws_account_id: accountId, aws_region: region }),
});

export const actionSpec: fc.Arbitrary<JsonObject> = fc.record({
  destination_type: fc.constant('action'),
  subscriptions,
  action_configuration: fc.record({ action_id: fc.uuid() }),
});

/**
 * The spec and status of a valid Auth0EventStream; eventbridge streams may already know their partner event
 * source. Build it once and map names onto it: building arbitraries is costly, drawing from them is not.
 */
export function validStreamBody(value: fc.Arbitrary<string | undefined> = fc.constant(undefined)): fc.Arbitrary<JsonObject> {
  return fc.oneof(
    webhookSpec(value).map((spec) => ({ spec })),
    actionSpec.map((spec) => ({ spec })),
    fc.tuple(eventbridgeSpec, fc.option(partnerSource, { nil: undefined })).map(([spec, source]) => ({
      spec,
      ...(source !== undefined && { status: { outputs: { id: 'est_1', aws_partner_event_source: source } } }),
    })),
  );
}

export function streamItem(metadata: JsonObject, body: JsonObject): JsonObject {
  return { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata, ...body };
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The same object with every snake_case key in camelCase (protojson), recursively. */
export function camelCased(value: Json): Json {
  if (Array.isArray(value)) return value.map(camelCased);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [camel(key), camelCased(child)]));
}

/** Anything JSON, including the shapes that trip type checks: null, lists for objects, numbers for strings. */
const junk: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Takes a valid spec and breaks some of its fields: removes, replaces with junk, or adds unknown ones. */
function mutated(spec: fc.Arbitrary<JsonObject>): fc.Arbitrary<Json> {
  return fc
    .tuple(spec, fc.array(fc.tuple(fc.constantFrom('remove', 'junk', 'add', 'camel'), fc.nat(), junk, fc.string({ maxLength: 12 })), { maxLength: 4 }))
    .map(([base, edits]) => {
      let result: Json = structuredClone(base);
      for (const [edit, at, value, key] of edits) result = edited(result, edit, at, value, key);
      return result;
    });
}

function edited(root: Json, edit: 'remove' | 'junk' | 'add' | 'camel', at: number, value: Json, key: string): Json {
  if (edit === 'camel') return camelCased(root);
  const slots: Array<{ parent: { [key: string]: Json } | Json[]; key: string | number }> = [];
  const visit = (node: Json) => {
    if (Array.isArray(node)) node.forEach((child, index) => (slots.push({ parent: node, key: index }), visit(child)));
    else if (node !== null && typeof node === 'object')
      for (const [name, child] of Object.entries(node)) {
        slots.push({ parent: node, key: name });
        visit(child);
      }
  };
  visit(root);
  const slot = slots[at % Math.max(slots.length, 1)];
  if (slot === undefined) return value;
  const parent = slot.parent as Record<string | number, Json>;
  if (edit === 'remove') {
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else delete parent[slot.key];
  } else if (edit === 'junk') parent[slot.key] = value;
  else if (!Array.isArray(slot.parent)) parent[key] = value;
  return root;
}

/** Spec-shaped input of every quality: valid, near-valid with a few fields broken, or arbitrary JSON. */
export const anySpec: fc.Arbitrary<Json> = fc.oneof(
  { weight: 2, arbitrary: fc.oneof(webhookSpec(fc.option(secretValue, { nil: undefined })), eventbridgeSpec, actionSpec) },
  { weight: 5, arbitrary: mutated(fc.oneof(webhookSpec(fc.option(secretValue, { nil: undefined })), eventbridgeSpec, actionSpec)) },
  { weight: 2, arbitrary: junk },
);

/** Metadata of every quality, from valid to arbitrary. */
export const anyMetadata: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: streamName, namespace: fc.option(dnsName, { nil: undefined }) }, { requiredKeys: ['name'] }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.record({ name: fc.string({ maxLength: 140 }), org: junk, env: junk, labels: junk }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);

export const anyStatus: fc.Arbitrary<Json | undefined> = fc.option(
  fc.oneof(
    fc.record({
      outputs: fc.record(
        { id: fc.string(), status: fc.constantFrom('enabled', 'disabled', 'active'), aws_partner_event_source: fc.oneof(partnerSource, fc.string()) },
        { requiredKeys: [] },
      ),
    }) as fc.Arbitrary<Json>,
    junk,
  ),
  { nil: undefined },
);

/** Configurations within the typed schema: scope, strictness, inline policy, writeDefaults and routes. */
export const configSpec: fc.Arbitrary<JsonObject> = fc.record(
  {
    scope: fc.constantFrom('Namespaced', 'Cluster'),
    eventTypes: fc.constantFrom('strict', 'warn'),
    inlineCredentials: fc.constantFrom('warn', 'deny', 'allow'),
    writeDefaults: fc.boolean(),
    routes: fc.uniqueArray(
      fc.record({
        name: dnsName,
        eventTypes: subscriptions,
        targets: fc.array(
          fc.record(
            {
              arn: fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((queue) => `arn:aws:sqs:us-east-1:123456789012:${queue}`),
              retryPolicy: fc.record({ maximumRetryAttempts: fc.integer({ min: 0, max: 185 }) }),
            },
            { requiredKeys: ['arn'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { selector: (route) => route.name, maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** A foreign item written by hand: comments, flow and block style, values a YAML 1.1 reader would misread. */
export const foreignItemText: fc.Arbitrary<string> = fc
  .tuple(
    dnsName,
    fc.uniqueArray(
      fc.tuple(
        fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/),
        fc.oneof(fc.constantFrom('yes', 'on', 'off', '0x1F', '2024-01-01', '1_000', '~', 'null', '012', '1e3', '"quoted"', "it's"), fc.string({ maxLength: 20 })),
      ),
      { selector: ([key]) => key, minLength: 1, maxLength: 4 },
    ),
    fc.boolean(),
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, ' ')),
  )
  .map(([name, entries, flow, comment]) => {
    const value = (text: string) => JSON.stringify(text);
    const data = flow
      ? `  data: {${entries.map(([key, text]) => `${key}: ${value(text)}`).join(', ')}} # ${comment}\n`
      : `  data:\n${entries.map(([key, text]) => `    # ${comment}\n    ${key}: ${value(text)}\n`).join('')}`;
    return `- apiVersion: v1\n  kind: ConfigMap # hand-written\n  metadata:\n    name: ${name}\n${data}`;
  });
