/**
 * snake_case / camelCase → one canonical (snake_case) shape, remembering how the user spelled each path so
 * every finding can point at the field the user actually wrote.
 */
import { report } from './findings.js';
import { RULES } from './rules.js';
import { camelToSnake, formatPath, snakeToCamel, type Path } from './paths.js';
import { childSchema, resolve, type SchemaNode } from './schema/index.js';
import type { Finding } from './types.js';

export type Spelling = 'snake' | 'camel';

export interface Normalized {
  /**
   * The input with every schema-known key in its canonical spelling: a fresh copy of every object and list
   * validation may write a default into, the rest the input's own (never to be changed).
   */
  readonly value: unknown;
  /**
   * Canonical path → the path as the user wrote it; undefined when the user wrote every key in its canonical
   * spelling, and so every path as it is.
   */
  readonly userPaths: ReadonlyMap<string, string> | undefined;
  /** The spelling the user mostly used, for paths of fields that are missing. */
  readonly spelling: Spelling;
  readonly findings: readonly Finding[];
}

/** Keys that are never copied from user input, whatever the schema says. */
const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `key` is one of `unsafeKeys`; the length test spares most keys the set lookup. */
function isUnsafeKey(key: string): boolean {
  return (key.length === 9 || key.length === 11) && unsafeKeys.has(key);
}

export function normalize(input: unknown, root: SchemaNode): Normalized {
  // Most input spells every key canonically: then copying it is all there is to do.
  const copy = canonicalCopy(input, planOf(root));
  if (copy !== RESPELLED) return { value: copy, userPaths: undefined, spelling: 'snake', findings: [] };
  return respelled(input, root);
}

/** Returned by `canonicalCopy` for input with a key to respell or to refuse. */
const RESPELLED = Symbol('respelled');

/**
 * What the copy needs to know of a schema node, worked out once per node: `normalize` visits every field of
 * every stream, and reading the schema itself there (resolving references, asking which nodes take defaults)
 * costs more than the copy.
 */
class NodePlan {
  /** Whether validation (ajv with useDefaults) may write into a value described by this node. */
  readonly takesDefaults: boolean;
  readonly #node: SchemaNode;
  readonly #root: SchemaNode;
  /** What `child` found for each key asked about so far (null: nothing), and the plan of the items. */
  readonly #children = new Map<string, NodePlan | null | typeof RESPELLED>();
  #items: NodePlan | null | undefined;

  constructor(node: SchemaNode, root: SchemaNode) {
    this.#node = node;
    this.#root = root;
    this.takesDefaults = mayTakeDefaults(node, root);
  }

  /**
   * The plan of the value under `key`: undefined when the schema does not describe it, RESPELLED when `key` is
   * unsafe or not the schema's own spelling of it here. Remembered per key, up to a bound: the same keys come
   * in every stream (kpt's annotations among them), and telling whether a key respells a field scans it.
   */
  child(key: string): NodePlan | undefined | typeof RESPELLED {
    const known = this.#children.get(key);
    if (known !== undefined) return known ?? undefined;
    const found = this.#find(key);
    if (this.#children.size < MAX_REMEMBERED_KEYS && key.length <= MAX_REMEMBERED_KEY_LENGTH) this.#children.set(key, found ?? null);
    return found;
  }

  #find(key: string): NodePlan | undefined | typeof RESPELLED {
    if (isUnsafeKey(key) || canonicalKey(key, this.#node) !== key) return RESPELLED;
    return this.#planOf(childSchema(this.#node, key, this.#root));
  }

  /** The plan of the node's items, if it has any. */
  item(): NodePlan | undefined {
    if (this.#items === undefined) this.#items = this.#planOf(childSchema(this.#node, 0, this.#root)) ?? null;
    return this.#items ?? undefined;
  }

  #planOf(child: SchemaNode | undefined): NodePlan | undefined {
    return child === undefined ? undefined : planOf(child, this.#root);
  }
}

/** Keys whose `child` a plan remembers: the first 256 it is asked about (a schema names far fewer). */
const MAX_REMEMBERED_KEYS = 256;
/** ...and no key longer than this (Kubernetes keeps annotation keys to 317 characters), whatever the input. */
const MAX_REMEMBERED_KEY_LENGTH = 320;

/** Plans by node, then root (a node is shared by every root that refers to it). */
const plans = new WeakMap<SchemaNode, WeakMap<SchemaNode, NodePlan>>();

function planOf(node: SchemaNode, root: SchemaNode = node): NodePlan {
  const resolvedNode = resolve(node, root);
  let byRoot = plans.get(resolvedNode);
  let plan = byRoot?.get(root);
  if (plan === undefined) {
    plan = new NodePlan(resolvedNode, root);
    if (byRoot === undefined) plans.set(resolvedNode, (byRoot = new WeakMap()));
    byRoot.set(root, plan);
  }
  return plan;
}

/**
 * `value` with copies of the objects and lists validation may write defaults into, the rest shared; or
 * RESPELLED when a key is not in its canonical spelling, or is unsafe.
 */
function canonicalCopy(value: unknown, plan: NodePlan | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (plan === undefined || !plan.takesDefaults) return spelledCanonically(value, plan) ? value : RESPELLED;
  if (Array.isArray(value)) {
    const items = plan.item();
    const out: unknown[] = [];
    for (const item of value) {
      const copied = canonicalCopy(item, items);
      if (copied === RESPELLED) return RESPELLED;
      out.push(copied);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = plan.child(key);
    if (child === RESPELLED) return RESPELLED;
    const copied = canonicalCopy((value as Record<string, unknown>)[key], child);
    if (copied === RESPELLED) return RESPELLED;
    out[key] = copied;
  }
  return out;
}

/** Whether every key under `value` is safe and spelled canonically. */
function spelledCanonically(value: unknown, plan: NodePlan | undefined): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    const items = plan?.item();
    for (const item of value) if (!spelledCanonically(item, items)) return false;
    return true;
  }
  for (const key of Object.keys(value)) {
    const child = plan === undefined ? (isUnsafeKey(key) ? RESPELLED : undefined) : plan.child(key);
    if (child === RESPELLED || !spelledCanonically((value as Record<string, unknown>)[key], child)) return false;
  }
  return true;
}

const takesDefaults = new WeakMap<SchemaNode, boolean>();

/**
 * Whether validation (ajv with useDefaults) may write into a value described by `node`: a property of it, or
 * of anything below it, has a default. Only such values are copied; validation never writes anything else.
 */
function mayTakeDefaults(node: SchemaNode, root: SchemaNode): boolean {
  const known = takesDefaults.get(node);
  if (known !== undefined) return known;
  // Assumed while looking (a schema that refers to itself); set for good below.
  takesDefaults.set(node, true);
  const children = [...Object.values(node.properties ?? {}), ...(node.items === undefined ? [] : [node.items])];
  if (typeof node.additionalProperties === 'object') children.push(node.additionalProperties);
  const result = children.some((child) => {
    const resolved = resolve(child, root);
    return resolved.default !== undefined || mayTakeDefaults(resolved, root);
  });
  takesDefaults.set(node, result);
  return result;
}

/**
 * Normalization that records the path the user wrote for every node: what `normalize` does for input with a
 * key to respell or refuse, and for any input gives the answers `normalize` gives (test/unit/normalize.test.ts).
 */
export function respelled(input: unknown, root: SchemaNode): Normalized {
  const userPaths = new Map<string, string>();
  const findings: Finding[] = [];
  let camelKeys = 0;
  let snakeKeys = 0;

  // Paths are passed down formatted (as formatPath would write them), so that no node copies its path.
  const walk = (value: unknown, node: SchemaNode | undefined, canonical: string, user: string): unknown => {
    userPaths.set(canonical, user);
    if (Array.isArray(value)) {
      const items = node === undefined ? undefined : childSchema(node, 0, root);
      return value.map((item, index) => walk(item, items, `${canonical}[${index}]`, `${user}[${index}]`));
    }
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    // The key each canonical key was read from, where the two differ (a key is written once per object).
    let renamedFrom: Map<string, string> | undefined;
    for (const key of Object.keys(value)) {
      if (isUnsafeKey(key)) {
        findings.push(report(RULES['unsafe-key'], `${appendKey(user, key) || key} is not a valid field name; remove it.`, { path: appendKey(user, key) }));
        continue;
      }
      const target = canonicalKey(key, node);
      if (key.includes('_')) snakeKeys++;
      else if (target !== key) camelKeys++;
      if (Object.hasOwn(out, target)) {
        const earlier = renamedFrom?.get(target) ?? target;
        findings.push(
          report(RULES['mixed-spelling'], `${appendKey(user, earlier)} and ${appendKey(user, key)} are the same field spelled two ways; keep one of them.`, {
            path: appendKey(user, key),
          }),
        );
        continue;
      }
      if (target !== key) (renamedFrom ??= new Map()).set(target, key);
      const childNode = node === undefined ? undefined : childSchema(node, target, root);
      const canonicalChild = appendKey(canonical, target);
      const child = (value as Record<string, unknown>)[key];
      out[target] = walk(child, childNode, canonicalChild, user === canonical && key === target ? canonicalChild : appendKey(user, key));
    }
    return out;
  };

  const value = walk(input, resolve(root, root), '', '');
  return { value, userPaths, spelling: camelKeys > snakeKeys ? 'camel' : 'snake', findings };
}

/** `formatPath([...path, key])` for a path already formatted. */
function appendKey(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * The schema's name for `key` in an object described by `node`: itself, or its other spelling (a stream's
 * fields are snake_case and also read in camelCase; the configuration's are camelCase and also read in
 * snake_case).
 */
function canonicalKey(key: string, node: SchemaNode | undefined): string {
  const properties = node?.properties;
  if (properties === undefined || Object.hasOwn(properties, key)) return key;
  const other = key.includes('_') ? snakeToCamel(key) : hasUpperCase(key) ? camelToSnake(key) : key;
  return other !== key && Object.hasOwn(properties, other) ? other : key;
}

/** Whether camelToSnake would change `key`: annotation and label keys seldom hold a capital. */
function hasUpperCase(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** The user's path for a canonical path; for fields that do not exist yet, spelled in the user's style. */
export function userPath(normalized: Normalized, canonical: Path): string {
  if (normalized.userPaths === undefined) return formatPath(canonical);
  const known = normalized.userPaths.get(formatPath(canonical));
  if (known !== undefined) return known;
  if (canonical.length === 0) return '';
  const parent = userPath(normalized, canonical.slice(0, -1));
  const last = canonical[canonical.length - 1]!;
  const spelled = typeof last === 'string' && normalized.spelling === 'camel' ? snakeToCamel(last) : last;
  return formatPath([...(parent === '' ? [] : [parent]), spelled]);
}
