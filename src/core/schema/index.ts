/**
 * The JSON Schemas of the spec and of the configuration: the single source for validation, for the
 * snake_case/camelCase normalization, for secret-field detection and for the generated XRD and input CRD.
 */
import streamSchemaJson from './generated/stream.schema.json' with { type: 'json' };
import configSchemaJson from './config.schema.json' with { type: 'json' };
import type { Path } from '../paths.js';

export { validateStream, validateConfig } from './generated/validators.js';
export type { CompiledValidator, SchemaError } from './validator-types.js';
export type { ExpansionConfig, ProviderConfigRef, Route, RouteTarget, StreamDocument } from './generated/types.js';
export { AUTH0_EVENT_TYPES, AUTH0_AWS_REGIONS, AUTH0_SDK_VERSION } from './generated/auth0-enums.js';

/** The subset of JSON Schema the core reads at run time. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly maxItems?: number;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly writeOnly?: boolean;
  readonly 'x-hint'?: string;
  /** How findings show the field's value: `reference` (a reference to a Secret) hidden, `userinfo` up to its first `:`. */
  readonly 'x-redact'?: string;
}

export const streamSchema: SchemaNode = streamSchemaJson;
export const configSchema: SchemaNode = configSchemaJson;

/** Resolved references, by referring node, then root: normalization resolves one per field of every stream. */
const resolved = new WeakMap<SchemaNode, WeakMap<SchemaNode, SchemaNode>>();

/** Follows a `#/$defs/<name>` reference within `root`. The result is shared: never change it. */
export function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node;
  let byRoot = resolved.get(node);
  const known = byRoot?.get(root);
  if (known !== undefined) return known;
  const target = root.$defs?.[node.$ref.replace('#/$defs/', '')];
  if (target === undefined) throw new Error(`schema reference ${node.$ref} does not resolve`);
  const result: SchemaNode = Object.freeze({ ...resolve(target, root), ...(node.description ? { description: node.description } : {}) });
  if (byRoot === undefined) resolved.set(node, (byRoot = new WeakMap()));
  byRoot.set(root, result);
  return result;
}

/** The schema that describes the value at `path` (canonical spelling), if the schema describes it. */
export function schemaAt(root: SchemaNode, path: Path): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolve(root, root);
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = childSchema(node, segment, root);
  }
  return node;
}

/** The schema of one property or item of a value described by `node`. */
export function childSchema(node: SchemaNode, segment: string | number, root: SchemaNode): SchemaNode | undefined {
  const child =
    typeof segment === 'number'
      ? node.items
      : Object.hasOwn(node.properties ?? {}, segment)
        ? node.properties?.[segment]
        : typeof node.additionalProperties === 'object'
          ? node.additionalProperties
          : undefined;
  return child === undefined ? undefined : resolve(child, root);
}
