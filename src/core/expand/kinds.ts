/**
 * The API versions and kinds of everything the function generates: the generators take their apiVersion from
 * here, and pruning deletes nothing whose API group and kind are not listed here.
 */

export const API = {
  Namespaced: {
    workspace: 'tf.m.upbound.io/v1beta1',
    secret: 'v1',
    bus: 'cloudwatchevents.aws.m.upbound.io/v1beta1',
    rule: 'cloudwatchevents.aws.m.upbound.io/v1beta1',
    target: 'cloudwatchevents.aws.m.upbound.io/v1beta1',
    permission: 'lambda.aws.m.upbound.io/v1beta1',
  },
  Cluster: {
    workspace: 'tf.upbound.io/v1beta1',
    secret: 'v1',
    bus: 'cloudwatchevents.aws.upbound.io/v1beta1',
    rule: 'cloudwatchevents.aws.upbound.io/v1beta1',
    target: 'cloudwatchevents.aws.upbound.io/v1beta2',
    permission: 'lambda.aws.upbound.io/v1beta1',
  },
} as const;

export const KIND = {
  workspace: 'Workspace',
  secret: 'Secret',
  bus: 'Bus',
  rule: 'Rule',
  target: 'Target',
  permission: 'Permission',
} as const;

export type GeneratedPart = keyof typeof KIND;

/** `<group>/<kind>` of every kind generated in either scope; the core group is the empty string. */
const GENERATED_GROUP_KINDS: ReadonlySet<string> = new Set(
  Object.values(API).flatMap((versions) => (Object.keys(KIND) as GeneratedPart[]).map((part) => `${groupOf(versions[part])}/${KIND[part]}`)),
);

/**
 * Whether the function generates objects of this API group and kind (any version, so that objects written by
 * an earlier version of the function are still recognised).
 */
export function isGeneratedKind(apiVersion: unknown, kind: unknown): boolean {
  // Most items of a package are of other kinds: those are told apart without building a key.
  return typeof apiVersion === 'string' && typeof kind === 'string' && GENERATED_KINDS.has(kind) && GENERATED_GROUP_KINDS.has(`${groupOf(apiVersion)}/${kind}`);
}

const GENERATED_KINDS: ReadonlySet<string> = new Set(Object.values(KIND));

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
