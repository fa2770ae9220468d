/** Shapes that cross the boundary between the core and its adapters. */
import type { Adoption } from './adoption.js';
import type { ExpansionConfig } from './schema/index.js';

export type { ExpansionConfig, Route, RouteTarget } from './schema/index.js';

/** Namespaced or cluster-scoped generated resources. */
export type Scope = ExpansionConfig['scope'];

/** Crossplane only: the settings of the DeliveryHealthy condition, defaults filled in. */
export type DeliveryHealthSettings = NonNullable<ExpansionConfig['deliveryHealth']>;
import type { DestinationType } from './destinations/index.js';
import type { Finding, GeneratedResource, KubeObject, StreamOutputs } from './types.js';

/** The configuration the adapter handed in, read and fully defaulted. */
export interface ConfigReading {
  readonly config: ExpansionConfig;
  /**
   * Problems with the configuration itself; any error means no stream is expanded. The config is then the best
   * that could be salvaged (each valid setting, defaults for the rest), for validating the streams anyway.
   */
  readonly findings: readonly Finding[];
}

/** What the world already holds for a stream, when the adapter knows it. */
export interface StreamContext {
  /**
   * The Workspace generated for this stream earlier: in KRM mode the one found in the package, in
   * Crossplane the observed one (with `status.atProvider.outputs`). Used for immutability checks and
   * to learn the outputs of an existing stream.
   */
  readonly previousWorkspace?: KubeObject;
  /**
   * True where the same Workspace comes back call after call (Crossplane observes it on every reconcile): what
   * its module recorded is then remembered, for a bounded number of modules. A KRM render reads each module
   * once, and remembering 10,000 of them would only cost.
   */
  readonly workspaceSeenAgain?: boolean;
  /** Crossplane only: pipeline step credentials, by name, with their decoded values. */
  readonly credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The result of validating, defaulting and expanding one Auth0EventStream. */
export interface StreamExpansion {
  /** `<namespace>/<name>` (namespace may be empty); the key generated resources are labelled with. */
  readonly key: string;
  /** True when there is no error finding. */
  readonly ok: boolean;
  /** Sorted by severity, then path. */
  readonly findings: readonly Finding[];
  /** The provider-level resources, in a stable order; empty when `ok` is false. */
  readonly resources: readonly GeneratedResource[];
  /**
   * The source item as it should be written back, only when `ok` and it differs from the item: defaults written
   * in (`writeDefaults`), or the record of written defaults brought up to date.
   */
  readonly defaulted?: KubeObject;
  /** The stream's destination type, when it is valid. */
  readonly destinationType?: DestinationType;
  /** What is known of the stream's outputs (from the item's status or the previous Workspace). */
  readonly outputs: StreamOutputs;
  /** The existing Auth0 stream the item adopts, and whether the Workspace already reports it. */
  readonly adoption?: Adoption;
  /** What the destination's own resources wait for (`partner-event-source`), when some cannot be generated yet. */
  readonly waitingFor?: string;
}
