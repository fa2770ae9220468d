// TypeScript types from the JSON Schemas: what a document is once the validator has accepted it. The validators
// fill in defaults (ajv useDefaults), so a property with a default is required in these types.
import { resolveRef } from './schema.mjs';

/** `providerConfigRef` → `ProviderConfigRef` (after the schema's prefix, when it has one). */
function typeName(defName, prefix) {
  return prefix + defName[0].toUpperCase() + defName.slice(1);
}

function docComment(description, indent) {
  if (!description) return '';
  return `${indent}/** ${description.replaceAll('*/', '*\\/')} */\n`;
}

/** The type of a schema node, written at `indent`. */
function typeOf(node, root, indent) {
  if (node.$ref) return typeName(node.$ref.replace('#/$defs/', ''), root['x-type-prefix'] ?? '');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  switch (node.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = typeOf(node.items ?? {}, root, indent);
      return item.includes(' | ') ? `readonly (${item})[]` : `readonly ${item}[]`;
    }
    case 'object':
      return objectType(node, root, indent);
    default:
      return 'unknown';
  }
}

function objectType(node, root, indent) {
  const inner = `${indent}  `;
  const required = new Set(node.required ?? []);
  const lines = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const resolved = resolveRef(child, root);
    const optional = !required.has(name) && resolved.default === undefined;
    const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
    lines.push(`${docComment(child.description ?? resolved.description, inner)}${inner}readonly ${key}${optional ? '?' : ''}: ${typeOf(child, root, inner)};`);
  }
  if (typeof node.additionalProperties === 'object') {
    lines.push(`${inner}readonly [key: string]: ${typeOf(node.additionalProperties, root, inner)}${lines.length > 0 ? ' | undefined' : ''};`);
  } else if (node.additionalProperties !== false) {
    lines.push(`${inner}readonly [key: string]: unknown;`);
  }
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}

/** One module declaring `rootName` for `schema` and a type per `$defs` entry. */
export function typesModule(schemas, banner) {
  const out = [`// ${banner}`, '// The documents as the validators leave them: shapes from the JSON Schemas, defaults filled in.', ''];
  for (const { schema, rootName, prefix = '' } of schemas) {
    const root = { ...schema, 'x-type-prefix': prefix };
    out.push(`${docComment(schema.description, '')}export type ${rootName} = ${typeOf({ ...schema, $defs: undefined }, root, '')};`, '');
    for (const [name, def] of Object.entries(schema.$defs ?? {})) {
      out.push(`${docComment(def.description, '')}export type ${typeName(name, prefix)} = ${typeOf(def, root, '')};`, '');
    }
  }
  return out.join('\n');
}
