/**
 * The destinations, by type: what validation, expansion and the adapters loop over. A new destination is a
 * module beside these (see ./types.ts), one entry here, and its block in stream.schema.json.
 */
import { action, type ActionConfig } from './action.js';
import { eventbridge, type EventBridgeConfig } from './eventbridge.js';
import type { DestinationModule, Progress, ProgressState } from './types.js';
import { webhook, type WebhookConfig } from './webhook.js';

/** Each destination type's configuration, as the stream model holds it. */
export interface DestinationConfigs {
  readonly eventbridge: EventBridgeConfig;
  readonly webhook: WebhookConfig;
  readonly action: ActionConfig;
}

export type DestinationType = keyof DestinationConfigs;

/** In the order of the schema's `destination_type` enum. */
export const DESTINATIONS: { readonly [Type in DestinationType]: DestinationModule<Type, DestinationConfigs[Type]> } = { eventbridge, webhook, action };

const MODULES: ReadonlyArray<DestinationModule<DestinationType, DestinationConfigs[DestinationType]>> = Object.freeze(Object.values(DESTINATIONS));

export function destinationModules(): ReadonlyArray<DestinationModule<DestinationType, DestinationConfigs[DestinationType]>> {
  return MODULES;
}

export function isDestinationType(value: unknown): value is DestinationType {
  return typeof value === 'string' && Object.hasOwn(DESTINATIONS, value);
}

/** The progress of a destination's own resources (a Crossplane condition), when it has any to report. */
export function destinationProgress(type: DestinationType, state: ProgressState): Progress | undefined {
  return DESTINATIONS[type].progress?.(state);
}

/** Whether the configuration's routes apply to streams of this destination type. */
export function takesRoutes(type: string): boolean {
  return isDestinationType(type) && DESTINATIONS[type].takesRoutes;
}

/** Destination types with the facts the generated XRD's CEL rules need. */
export const DESTINATION_TYPES: ReadonlyArray<{ readonly type: DestinationType; readonly configField: string; readonly immutable: boolean }> = destinationModules().map(
  ({ type, configField, immutableFields }) => ({ type, configField, immutable: immutableFields.length > 0 }),
);

export { WAITING_FOR_PARTNER_EVENT_SOURCE, STREAM_PARTS, routeParts, type EventBridgePart } from './eventbridge.js';
export type { DestinationModule, DestinationPlan, Progress, ProgressState, SecretLocation, SensitiveInput } from './types.js';
