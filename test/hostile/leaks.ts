/** Finds where a secret value shows up in an output tree, apart from the places it is allowed to be. */

export type Path = ReadonlyArray<string | number>;

/** Every path under `tree` whose string (or byte) leaf contains `secret`, and for which `allowed` says no. */
export function leaksOf(secret: string, tree: unknown, allowed: (path: Path, root: unknown) => boolean = () => false): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: Array<string | number>) => {
    if (typeof node === 'string' || node instanceof Uint8Array) {
      const text = typeof node === 'string' ? node : Buffer.from(node).toString('utf8');
      if (text.includes(secret) && !allowed(path, tree)) found.push(path.join('.'));
      return;
    }
    if (Array.isArray(node)) node.forEach((child, index) => visit(child, [...path, index]));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes(secret)) found.push([...path, key].join('.'));
        visit(child, [...path, key]);
      }
    }
  };
  visit(tree, []);
  return found;
}

/** Whether `text` holds `secret` as written or as a JSON/YAML double-quoted string would escape it. */
export function textHolds(text: string, secret: string): boolean {
  return text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));
}

/**
 * In a KRM output (items under `items` or bare documents): a source Auth0EventStream keeps what the user wrote,
 * a generated Secret holds the value in `stringData`, and a generated Workspace's module may hold the endpoint
 * URL the user wrote (see onlyInModuleEndpoint); nothing else may hold the secret.
 */
export function allowedInKrmOutput(itemsAt: number, secret: string): (path: Path, root: unknown) => boolean {
  return (path, root) => {
    const item = itemAt(root, path.slice(0, itemsAt + 1));
    const rest = path.slice(itemsAt + 1);
    if (item?.['kind'] === 'Secret' && item['apiVersion'] === 'v1') return rest[0] === 'stringData' && rest.length === 2;
    if (item?.['kind'] === 'Auth0EventStream') return true;
    if (item?.['kind'] === 'Workspace' && rest.join('.') === 'spec.forProvider.module') return onlyInModuleEndpoint(String(itemAt(root, path.slice(0, -1))?.['module']), secret);
    return false;
  };
}

function itemAt(root: unknown, path: Path): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) node = (node as Record<string | number, unknown> | undefined)?.[key];
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Where a test puts a secret into a stream: into the URL of the endpoint (userinfo, query, fragment; valid or
 * broken in every way the rules check), as a URL into other fields (with white space in its userinfo too), into
 * secret fields of the wrong shape or place, where a reference to a Secret belongs (instead of the reference,
 * or as its name and key), and after the `:` of a user name. Together they make most validation rules fire
 * with the secret in the value they look at. (Not in metadata.name: a resource's name is its identity, shown in
 * every result about it and in generated names.)
 */
export const SECRET_PLACEMENTS = [
  'none',
  'endpoint-query',
  'endpoint-innocent-query',
  'endpoint-userinfo',
  'endpoint-user',
  'endpoint-http',
  'endpoint-schemeless',
  'endpoint-fragment',
  'endpoint-too-long',
  'endpoint-not-a-url',
  'endpoint-as-list',
  'url-in-subscriptions',
  'url-in-destination-type',
  'url-in-region',
  'url-in-account',
  'url-in-username',
  'url-in-header-key',
  'url-in-partner-source',
  'secret-as-list',
  'secret-as-object',
  'secret-misplaced',
  'secret-both-spellings',
  'authorization-as-list',
  'secret-as-reference',
  'secret-as-reference-camel',
  'secret-in-reference',
  'reference-in-list',
  'userinfo-in-username',
  'url-with-space-in-userinfo',
] as const;
export type SecretPlacement = (typeof SECRET_PLACEMENTS)[number];

/** `stream` (an Auth0EventStream or an XR) with `secret` placed as `where` says; the input is not changed. */
export function placeSecret(stream: JsonObject, secret: string, where: SecretPlacement): JsonObject {
  const copy = structuredClone(stream);
  const spec = (copy['spec'] ??= {}) as JsonObject;
  const webhook = (): JsonObject =>
    (spec['webhook_configuration'] ??= { webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'hook', key: 'token' } } }) as JsonObject;
  const authorization = (): JsonObject => (webhook()['webhook_authorization'] ??= { method: 'bearer' }) as JsonObject;
  const eventbridge = (): JsonObject => (spec['eventbridge_configuration'] ??= { aws_account_id: '123456789012', aws_region: 'us-east-1' }) as JsonObject;
  const url = `https://u:${secret}@hooks.example.com/in?token=${secret}`;
  switch (where) {
    case 'none':
      break;
    case 'endpoint-query':
      webhook()['webhook_endpoint'] = `https://hooks.example.com/in?api_token=${secret}`;
      break;
    case 'endpoint-innocent-query':
      webhook()['webhook_endpoint'] = `https://hooks.example.com/in?design=${secret}`;
      break;
    case 'endpoint-userinfo':
      webhook()['webhook_endpoint'] = `https://hook:${secret}@hooks.example.com/in`;
      break;
    case 'endpoint-user':
      webhook()['webhook_endpoint'] = `https://${secret}@hooks.example.com/in`;
      break;
    case 'endpoint-http':
      webhook()['webhook_endpoint'] = `http://hook:${secret}@hooks.example.com/in?api_token=${secret}`;
      break;
    case 'endpoint-schemeless':
      webhook()['webhook_endpoint'] = `hook:${secret}@hooks.example.com/in?k=${secret}`;
      break;
    case 'endpoint-fragment':
      webhook()['webhook_endpoint'] = `https://hooks.example.com/in#access_token=${secret}`;
      break;
    case 'endpoint-too-long':
      webhook()['webhook_endpoint'] = `https://hooks.example.com/${'p'.repeat(2100)}?token=${secret}`;
      break;
    case 'endpoint-not-a-url':
      webhook()['webhook_endpoint'] = `https://exa mple.com:99999/in?token=${secret}`;
      break;
    case 'endpoint-as-list':
      webhook()['webhook_endpoint'] = [url];
      break;
    case 'url-in-subscriptions':
      spec['subscriptions'] = [...(Array.isArray(spec['subscriptions']) ? spec['subscriptions'] : []), url];
      break;
    case 'url-in-destination-type':
      spec['destination_type'] = url;
      break;
    case 'url-in-region':
      eventbridge()['aws_region'] = url;
      break;
    case 'url-in-account':
      eventbridge()['aws_account_id'] = url;
      break;
    case 'url-in-username':
      Object.assign(authorization(), { method: 'basic', username: url });
      break;
    case 'url-in-header-key':
      Object.assign(authorization(), { method: 'custom_header', header_key: url });
      break;
    case 'url-in-partner-source':
      copy['status'] = { outputs: { id: 'est_1', aws_partner_event_source: url } };
      break;
    case 'secret-as-list':
      authorization()['token'] = [secret];
      break;
    case 'secret-as-object':
      authorization()['password'] = { value: secret };
      break;
    case 'secret-misplaced':
      webhook()['token'] = secret;
      spec['password'] = secret;
      break;
    case 'secret-both-spellings':
      Object.assign(authorization(), { header_value: secret, headerValue: secret });
      break;
    case 'authorization-as-list':
      webhook()['webhook_authorization'] = [{ method: 'bearer', token: secret }];
      break;
    case 'secret-as-reference':
      Object.assign(authorization(), { method: 'bearer', token_secret_ref: secret });
      break;
    case 'secret-as-reference-camel':
      Object.assign(authorization(), { method: 'custom_header', header_key: 'x-hook-key', headerValueSecretRef: [secret] });
      break;
    case 'secret-in-reference':
      Object.assign(authorization(), { method: 'basic', username: 'hook', password_secret_ref: { name: secret, key: secret, namespace: secret } });
      break;
    case 'reference-in-list':
      webhook()['webhook_authorization'] = [{ method: 'bearer', token_secret_ref: secret, tokenSecretRef: { name: secret } }];
      break;
    case 'userinfo-in-username':
      Object.assign(authorization(), { method: 'basic', username: `hook:${secret}` });
      break;
    case 'url-with-space-in-userinfo':
      // A stream id Auth0 never made, quoted by the immutable-field error that the other destination type raises.
      copy['status'] = { outputs: { id: `https://hook:pass ${secret}@hooks.example.com/`, destination_type: 'kafka' } };
      break;
  }
  return copy;
}

/**
 * In a module the function generated, a secret the user wrote into the endpoint URL is there (the endpoint is
 * what the user asked for, and it is warned about); anywhere else in the module it is a leak.
 */
export function onlyInModuleEndpoint(module: string, secret: string): boolean {
  const parsed = JSON.parse(module) as { resource?: { auth0_event_stream?: { this?: { webhook_configuration?: { webhook_endpoint?: string } } } } };
  const configuration = parsed.resource?.auth0_event_stream?.this?.webhook_configuration;
  if (configuration?.webhook_endpoint === undefined) return false;
  delete configuration.webhook_endpoint;
  return !textHolds(JSON.stringify(parsed), secret);
}
