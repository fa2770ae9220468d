/** Auth0EventStream XRs as Crossplane sends them (observed composite), and observed composed resources. */

export function webhookXr(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name: 'crm-user-sync', namespace: 'identity', uid: '6b1c1f0e-1111-2222-3333-444455556666', generation: 1 },
    spec: {
      destination_type: 'webhook',
      subscriptions: ['user.created', 'user.updated'],
      webhook_configuration: {
        webhook_endpoint: 'https://crm.example.com/hooks/auth0',
        webhook_authorization: { method: 'bearer', token_secret_ref: { name: 'crm-webhook', key: 'token' } },
      },
      crossplane: { compositionRef: { name: 'auth0eventstreams.auth0.openmcf.org' } },
    },
    ...overrides,
  };
}

export function eventbridgeXr(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'auth0.openmcf.org/v1',
    kind: 'Auth0EventStream',
    metadata: { name: 'tenant-events', namespace: 'identity' },
    spec: {
      destination_type: 'eventbridge',
      subscriptions: ['user.*'],
      eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'eu-west-1' },
      crossplane: { compositionRef: { name: 'auth0eventstreams.auth0.openmcf.org' } },
    },
    ...overrides,
  };
}

export const PARTNER_SOURCE = 'aws.partner/auth0.com/acme-prod-fbedbd06-5747-42cc-afde-016050660582/auth0.events';

/** What Crossplane observes of a composed resource: the object as applied, plus status. */
export function observed(object: Record<string, unknown>, status: Record<string, unknown>): { resource: Record<string, unknown>; connectionDetails: Record<string, Buffer> } {
  const metadata = object['metadata'] as Record<string, unknown>;
  return {
    resource: {
      ...object,
      metadata: { ...metadata, uid: 'observed-uid', resourceVersion: '123', managedFields: [{ manager: 'crossplane' }] },
      status,
    },
    connectionDetails: {},
  };
}

export const readyCondition = { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2026-01-16T08:50:40Z' };
export const creatingCondition = { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: '2026-01-16T08:50:40Z' };
