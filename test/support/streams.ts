/** Tiny builders for Auth0EventStream items, as users write them. */

export type Item = Record<string, unknown>;

export function webhook(name = 'orders', spec: Record<string, unknown> = {}, extra: Item = {}): Item {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name, namespace: 'identity' },
    spec: {
      destination_type: 'webhook',
      subscriptions: ['user.created'],
      webhook_configuration: {
        webhook_endpoint: 'https://hooks.example.com/auth0',
        webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'hook', key: 'token' } },
      },
      ...spec,
    },
    ...extra,
  };
}

export function eventbridge(name = 'tenant', spec: Record<string, unknown> = {}, extra: Item = {}): Item {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name, namespace: 'identity' },
    spec: {
      destination_type: 'eventbridge',
      subscriptions: ['user.created'],
      eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'us-east-1' },
      ...spec,
    },
    ...extra,
  };
}

export const ACTION_ID = '6018e89f-245f-4da3-ac9f-e22fc6d8b0d1';

export function action(name = 'audit', spec: Record<string, unknown> = {}, extra: Item = {}): Item {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name, namespace: 'identity' },
    spec: { destination_type: 'action', subscriptions: ['user.created'], action_configuration: { action_id: ACTION_ID }, ...spec },
    ...extra,
  };
}

/** A webhook stream whose authorization block is `authorization`. */
export function withAuthorization(authorization: Record<string, unknown>, endpoint = 'https://hooks.example.com/auth0'): Item {
  return webhook('orders', { webhook_configuration: { webhook_endpoint: endpoint, webhook_authorization: authorization } });
}

/** Freezes an object graph, so a test proves the code under test does not mutate its input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
