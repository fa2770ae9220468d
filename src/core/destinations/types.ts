/**
 * What a destination module is. Each destination (webhook, eventbridge, action) is one module that owns its
 * configuration block: the rules it checks, the fields Auth0 fixes at creation, the block of the Terraform
 * resource and the resources it adds beside the Workspace. Validation, expansion and the adapters loop over
 * the modules in ./index.ts and know nothing of any one destination.
 */
import type { StreamContext } from '../api.js';
import type { ExpansionConfig } from '../schema/index.js';
import type { ModuleObject } from '../expand/terraform-module.js';
import type { Path } from '../paths.js';
import type { StreamBase } from '../stream.js';
import type { Finding, GeneratedResource, StreamOutputs } from '../types.js';

export type Data = Record<string, unknown>;

/** What a module's checks are handed: where to report, how the user spelled a path, the settings. */
export interface BlockReading {
  readonly findings: Finding[];
  /** The user's spelling of a canonical path (`['spec', 'webhook_configuration']` → `spec.webhookConfiguration`). */
  readonly at: (path: Path) => string;
  /** `['spec', '<type>_configuration']`. */
  readonly base: Path;
  readonly config: ExpansionConfig;
  readonly context: StreamContext;
  readonly metadata: Data;
}

/** Where a Secret key is: the Workspace reads a secret from it. */
export interface SecretLocation {
  readonly name: string;
  readonly key: string;
  readonly namespace?: string;
}

/** A secret the Terraform module reads as a sensitive variable, filled from a Secret key. */
export interface SensitiveInput {
  readonly variable: string;
  readonly secret: SecretLocation;
}

/** What a destination adds to a valid stream. */
export interface DestinationPlan {
  /** The destination's block of the `auth0_event_stream` resource (`webhook_configuration: {...}`). */
  readonly block: ModuleObject;
  /** The block's secrets, as variables the renderer fills from Secrets. */
  readonly sensitive: readonly SensitiveInput[];
  /** The lowest terraform-provider-auth0 release that has every argument of the block. */
  readonly providerVersion: string;
  /** Resources beside the Workspace: the webhook's credentials Secret, EventBridge's bus, rules and targets. */
  readonly resources: readonly GeneratedResource[];
  readonly findings: readonly Finding[];
  /** What the resources wait for, when some cannot be generated yet (a finding says so). */
  readonly waitingFor?: string;
}

/** How far a destination's own resources are, for a Crossplane condition. */
export interface Progress {
  readonly condition: string;
  readonly ready: boolean;
  readonly reason: string;
  readonly message: string;
}

/** What the destination knows about an expansion when it reports progress. */
export interface ProgressState {
  readonly roles: readonly string[];
  readonly waitingFor?: string;
  /** Whether the resource of a role is observed ready. */
  readonly ready: (role: string) => boolean;
}

export interface DestinationModule<Type extends string, Config> {
  readonly type: Type;
  /** The spec field of the block (`webhook_configuration`), as the schema and Terraform name it. */
  readonly configField: string;
  /** Fields of the block Auth0 fixes at creation (ForceNew in Terraform); empty when the block can change. */
  readonly immutableFields: readonly string[];
  /** Paths within the block whose text goes into the Terraform module. */
  readonly textFields: readonly Path[];
  /** Whether the configuration's routes apply to streams of this destination. */
  readonly takesRoutes: boolean;
  /** Checks the block (findings go to `reading.findings`); the configuration when it is usable. */
  read(block: Data, reading: BlockReading): Config | undefined;
  /** Checks of `status.outputs` that only this destination knows (run for every stream). */
  checkOutputs?(outputs: StreamOutputs, reading: Omit<BlockReading, 'base'>): void;
  plan(stream: StreamBase & { readonly destination: Config }, config: ExpansionConfig): DestinationPlan;
  progress?(state: ProgressState): Progress | undefined;
}
