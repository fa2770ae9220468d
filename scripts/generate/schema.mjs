// JSON Schema helpers shared by the generators: the one `$ref` resolver, enum filling, and the structural
// (OpenAPI v3) form a CRD needs.

/** A node with its `#/$defs/<name>` reference followed within `root`; a description on the reference wins. */
export function resolveRef(node, root) {
  if (node?.$ref === undefined) return node;
  const target = root.$defs?.[node.$ref.replace('#/$defs/', '')];
  if (target === undefined) throw new Error(`schema reference ${node.$ref} does not resolve`);
  return { ...resolveRef(target, root), ...(node.description ? { description: node.description } : {}) };
}

/** Replaces `x-enum-from: <list>` markers with the values of `enums[<list>]`. */
export function fillEnums(node, enums) {
  if (Array.isArray(node)) return node.map((item) => fillEnums(item, enums));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'x-enum-from') out.enum = enums[value];
    else out[key] = fillEnums(value, enums);
  }
  return out;
}

/** A JSON Schema node as an OpenAPI v3 structural schema for a CRD: $refs inlined, annotations and x- keys dropped. */
export function toStructural(node, root) {
  const walk = (current) => {
    if (Array.isArray(current)) return current.map(walk);
    if (current === null || typeof current !== 'object') return current;
    if (current.$ref) return walk(resolveRef(current, root));
    const out = {};
    for (const [key, value] of Object.entries(current)) {
      if (['$id', '$defs', 'title', 'writeOnly', 'const', 'additionalProperties'].includes(key)) continue;
      if (key.startsWith('x-') && !key.startsWith('x-kubernetes-')) continue;
      if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, walk(child)]));
      else out[key] = walk(value);
    }
    if (current.additionalProperties && typeof current.additionalProperties === 'object') out.additionalProperties = walk(current.additionalProperties);
    return out;
  };
  return walk(node);
}
