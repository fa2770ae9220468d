/** The function's configuration: a KRM functionConfig or the Crossplane pipeline step `input`. */

export type Scope = 'Namespaced' | 'Cluster';

/** Reference to a provider's (Cluster)ProviderConfig. */
export interface ProviderConfigRef {
  /** @default "default" */
  readonly name: string;
  /**
   * `ClusterProviderConfig` or `ProviderConfig`; only used for namespaced managed resources.
   * @default "ClusterProviderConfig"
   */
  readonly kind: string;
}

export interface RetryPolicy {
  readonly maximumEventAgeInSeconds?: number;
  readonly maximumRetryAttempts?: number;
}

/** Where a route delivers matching events. */
export interface RouteTarget {
  /** ARN of the target (Lambda, SQS queue, SNS topic, ...). */
  readonly arn: string;
  /** IAM role EventBridge assumes to reach the target. */
  readonly roleArn?: string;
  /** SQS queue that receives events that could not be delivered. */
  readonly deadLetterArn?: string;
  readonly retryPolicy?: RetryPolicy;
}

/** A named EventBridge rule on each selected stream's partner event bus. */
export interface Route {
  /** DNS-label name, unique among routes. */
  readonly name: string;
  /** Event types the rule matches; wildcards such as `user.*` are expanded. */
  readonly eventTypes: readonly string[];
  /** Names of the streams this route applies to. @default every eventbridge stream */
  readonly streams?: readonly string[];
  readonly description?: string;
  readonly targets: readonly RouteTarget[];
}

/** Crossplane only: report the stream's delivery health, read from the Auth0 Management API, as a condition. */
export interface DeliveryHealthSettings {
  /** Name of the pipeline step credentials holding `domain`, `client_id` and `client_secret`. */
  readonly credentials: string;
  /** Auth0 is asked at most once per interval per stream. @default 300 */
  readonly intervalSeconds: number;
  /** How far back failed deliveries count. @default 3600 */
  readonly windowSeconds: number;
  /** Failed deliveries in the window that still count as healthy. @default 0 */
  readonly maxFailures: number;
}

/** Fully defaulted configuration; produced by `readConfig`. */
export interface ExpansionConfig {
  /** Namespaced (`tf.m.upbound.io`, `cloudwatchevents.aws.m.upbound.io`) or cluster-scoped resources. */
  readonly scope: Scope;
  readonly terraform: { readonly providerConfigRef: ProviderConfigRef };
  readonly aws: { readonly providerConfigRef: ProviderConfigRef };
  /** Unknown event types are errors (`strict`) or warnings (`warn`). */
  readonly eventTypes: 'strict' | 'warn';
  /** Secrets written inline in the spec: warn, deny (error) or allow (silent). */
  readonly inlineCredentials: 'warn' | 'deny' | 'allow';
  /** Write defaulted values back into the source Auth0EventStream items (KRM only); never changes what is deployed. */
  readonly writeDefaults: boolean;
  /** KRM only: mark the source streams (and a typed config among the items) `config.kubernetes.io/local-config: "true"`. */
  readonly markLocalConfig: boolean;
  /** Crossplane only: name of the pipeline step credentials holding webhook secrets. */
  readonly webhookCredentials?: string;
  /** Crossplane only: the DeliveryHealthy condition; off when absent. */
  readonly deliveryHealth?: DeliveryHealthSettings;
  readonly routes: readonly Route[];
}
