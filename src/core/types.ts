/**
 * The core's vocabulary. Nothing here knows about stdin, files or gRPC: adapters translate their
 * protocol into these shapes and back.
 */
import type { RuleId } from './rules.js';

/** How bad a finding is. `error` stops the expansion of the stream it is about. */
export type Severity = 'error' | 'warning' | 'info';

/** One thing the core has to say about an input: a broken rule, a warning or a hint. */
export interface Finding {
  /** The id of the rule in src/core/rules.ts, e.g. `unknown-event-type`; in PascalCase the Crossplane result reason. */
  readonly id: RuleId;
  readonly severity: Severity;
  /** What is wrong and how to fix it. Never contains a secret value. */
  readonly message: string;
  /** Field path as the user spelled it (`spec.webhookConfiguration.webhookEndpoint`). */
  readonly path?: string;
  /** The offending value, when it is not a secret. */
  readonly currentValue?: unknown;
  /** A value that would fix it, when there is an obvious one. */
  readonly proposedValue?: unknown;
}

/** A Kubernetes object as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** One resource the expansion produced, with the stable role it plays for its stream. */
export interface GeneratedResource {
  /**
   * Stable name of the part this resource plays, unique per stream:
   * `workspace`, `credentials`, `bus`, `rule`, `route-<name>`, `route-<name>-target-<i>`.
   * Crossplane uses it as the composition resource name.
   */
  readonly role: string;
  readonly object: KubeObject;
}

/** Values Auth0 computes for an existing stream (`status.outputs` in the OpenMCF model). */
export interface StreamOutputs {
  readonly id?: string;
  readonly name?: string;
  readonly status?: string;
  readonly destination_type?: string;
  readonly subscriptions?: readonly string[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly aws_partner_event_source?: string;
}
