/** The validated, defaulted model of one Auth0EventStream that the expansion works from. */
import type { Adoption } from './adoption.js';
import type { DestinationConfigs, DestinationType } from './destinations/index.js';
import type { StreamOutputs } from './types.js';

/** What every stream has, whatever its destination. */
export interface StreamBase {
  readonly name: string;
  readonly namespace?: string;
  readonly org?: string;
  readonly env?: string;
  readonly status: 'enabled' | 'disabled';
  /** Whether `spec.status` is managed: the user wrote it (a value writeDefaults wrote does not count; else Auth0 keeps its own). */
  readonly statusSet: boolean;
  readonly subscriptions: readonly string[];
  readonly outputs: StreamOutputs;
  /** The existing Auth0 stream this resource takes over, when it names one. */
  readonly adoption?: Adoption;
}

/** A stream of one destination type, with that destination's configuration. */
export type StreamOf<Type extends DestinationType> = StreamBase & {
  readonly destinationType: Type;
  readonly destination: DestinationConfigs[Type];
};

/** A stream: a union tagged by `destinationType`. */
export type Stream = { [Type in DestinationType]: StreamOf<Type> }[DestinationType];
