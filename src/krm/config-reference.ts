/** The functionConfig reference printed by `--help`, rendered from the configuration's JSON Schema. */
import { CONFIG_API_VERSION, CONFIG_KIND, CONFIG_MAP_KEYS, configSchema, resolveSchema as resolve } from '../core/index.js';
import type { SchemaNode } from '../core/index.js';

/** Keywords of the schema the core's `SchemaNode` leaves out but a reference should show. */
interface DocumentedNode extends SchemaNode {
  readonly default?: unknown;
  readonly required?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxItems?: number;
}

export function configReference(): string {
  const lines = [
    `Typed form: apiVersion: ${CONFIG_API_VERSION}, kind: ${CONFIG_KIND}, fields under spec:`,
    ...describeProperties(resolve(configSchema, configSchema), 'spec.'),
    '',
    `ConfigMap form (kpt \`-- key=value\`, Kptfile configMap): data keys ${CONFIG_MAP_KEYS.join(', ')}.`,
    '  terraformProviderConfig[Kind] and awsProviderConfig[Kind] set the providerConfigRef fields; routes need the typed form.',
    'No functionConfig at all means every default.',
  ];
  return lines.join('\n');
}

function describeProperties(node: DocumentedNode, prefix: string): string[] {
  const lines: string[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const field: DocumentedNode = resolve(child, configSchema);
    const path = `${prefix}${name}`;
    const item: DocumentedNode | undefined = field.items === undefined ? undefined : resolve(field.items, configSchema);
    lines.push(`  ${path}  (${summary(field, node.required?.includes(name) ?? false)})`);
    if (field.description !== undefined) lines.push(`      ${field.description}`);
    if (field.type === 'object' && field.properties !== undefined) lines.push(...describeProperties(field, `${path}.`));
    if (item?.type === 'object' && item.properties !== undefined) lines.push(...describeProperties(item, `${path}[].`));
  }
  return lines;
}

function summary(field: DocumentedNode, required: boolean): string {
  const parts: string[] = [field.enum === undefined ? (field.type ?? 'any') : field.enum.map(String).join(' | ')];
  if (field.type === 'array' && field.items !== undefined) {
    const item: DocumentedNode = resolve(field.items, configSchema);
    parts[0] = `list of ${item.type === 'object' ? 'objects' : `${item.type ?? 'any'}s`}`;
  }
  if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum} to ${field.maximum}`);
  if (field.maxItems !== undefined) parts.push(`at most ${field.maxItems}`);
  if (required) parts.push('required');
  if (field.default !== undefined && !isEmptyObject(field.default)) parts.push(`default: ${JSON.stringify(field.default)}`);
  return parts.join('; ');
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0 && !Array.isArray(value);
}
