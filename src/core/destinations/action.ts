/**
 * The action destination: Auth0 hands each event to an Auth0 Action that uses the event-stream trigger
 * (terraform-provider-auth0 1.45.0 and later). The Action is fixed at creation: another one means a new stream.
 */
import { literal } from '../expand/terraform-module.js';
import type { DestinationModule } from './types.js';

export interface ActionConfig {
  readonly actionId: string;
}

/** terraform-provider-auth0's first release with `action_configuration`. */
const PROVIDER_VERSION = '1.45.0';

export const action: DestinationModule<'action', ActionConfig> = {
  type: 'action',
  configField: 'action_configuration',
  immutableFields: ['action_id'],
  textFields: [['action_id']],
  takesRoutes: false,

  read(block) {
    const actionId = block['action_id'];
    return typeof actionId === 'string' ? { actionId } : undefined;
  },

  plan(stream) {
    return { block: { action_id: literal(stream.destination.actionId) }, sensitive: [], providerVersion: PROVIDER_VERSION, resources: [], findings: [] };
  },
};
