/**
 * The Auth0 stream to create (or to adopt), whatever creates it: a Terraform JSON module with one
 * `auth0_event_stream` (and the `import` block of an adopted stream), the provider version it needs, its outputs (named as the OpenMCF status outputs), and the secrets it reads as
 * sensitive variables. A renderer (./workspace.ts: a provider-terraform Workspace) decides how the module is
 * run and where the variables come from.
 */
import { destinationModules, type DestinationPlan, type SensitiveInput } from '../destinations/index.js';
import { memoized } from '../memo.js';
import { isRecord } from '../records.js';
import type { Stream } from '../stream.js';
import { expression, fromLiteral, importBlock, literal, resourceAttribute, tryOrNull, type ModuleObject, type ModuleValue } from './terraform-module.js';

export interface StreamModule {
  readonly module: ModuleObject;
  /** Variables the module declares sensitive, each to be filled from a Secret key. */
  readonly sensitive: readonly SensitiveInput[];
}

/** Outputs of the module, named as the OpenMCF status outputs. */
const OUTPUT_NAMES = ['id', 'name', 'status', 'destination_type', 'subscriptions', 'created_at', 'updated_at', 'aws_partner_event_source'] as const;

const RESOURCE_TYPE = 'auth0_event_stream';
const RESOURCE_NAME = 'this';

/** terraform-provider-auth0: the release that made `status` configurable, and the next major release (which may break the module). */
const STATUS_PROVIDER_VERSION = '1.46.0';
const PROVIDER_NEXT_MAJOR = '2.0.0';

/** The module's outputs, the same in every module. */
const OUTPUTS: ModuleObject = Object.freeze(
  Object.fromEntries(
    OUTPUT_NAMES.map((name) => {
      const reference =
        name === 'aws_partner_event_source'
          ? tryOrNull(resourceAttribute(RESOURCE_TYPE, RESOURCE_NAME, 'eventbridge_configuration', 0, 'aws_partner_event_source'))
          : resourceAttribute(RESOURCE_TYPE, RESOURCE_NAME, name);
      return [name, Object.freeze({ value: expression(reference) })];
    }),
  ),
);

/** The module: every value from the stream goes in as a literal; a secret only as a reference to its variable. */
export function streamModule(stream: Stream, plan: DestinationPlan, configField: string): StreamModule {
  const resource: Record<string, ModuleValue> = {
    name: literal(stream.name),
    destination_type: literal(stream.destinationType),
    subscriptions: stream.subscriptions.map(literal),
  };
  if (stream.statusSet) resource['status'] = literal(stream.status);
  resource[configField] = plan.block;
  const variables: Record<string, ModuleObject> = {};
  // A variable's type is a type expression, written as a string; `string` reads the same either way.
  for (const input of plan.sensitive) variables[input.variable] = { type: literal('string'), sensitive: true };
  const minimum = latest(plan.providerVersion, stream.statusSet ? STATUS_PROVIDER_VERSION : plan.providerVersion);
  return {
    module: {
      terraform: { required_providers: { auth0: { source: literal('auth0/auth0'), version: literal(`>= ${minimum}, < ${PROVIDER_NEXT_MAJOR}`) } } },
      ...(plan.sensitive.length > 0 ? { variable: variables } : {}),
      // Until Terraform holds the adopted stream in its state, the first apply takes it over instead of creating one.
      ...(stream.adoption !== undefined && !stream.adoption.imported ? { import: [importBlock(RESOURCE_TYPE, RESOURCE_NAME, stream.adoption.id)] } : {}),
      resource: { [RESOURCE_TYPE]: { [RESOURCE_NAME]: resource } },
      output: OUTPUTS,
    },
    sensitive: plan.sensitive,
  };
}

/** The later of two `major.minor.patch` versions. */
function latest(a: string, b: string): string {
  if (a === b) return a;
  const parts = (version: string) => version.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0) ? a : b;
  return a;
}

/** The fields fixed at creation, as a module generated earlier recorded them: the destination type and each block's fields. */
export interface RecordedConfiguration {
  readonly destinationType?: string;
  /** By configuration block (`eventbridge_configuration`), its fields as written. */
  readonly blocks: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What a module generated earlier recorded; undefined when it is not such a module. */
export function readRecordedConfiguration(module: string): RecordedConfiguration | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(module);
  } catch {
    return undefined;
  }
  const resources = dig(parsed, 'resource', RESOURCE_TYPE);
  const first = isRecord(resources) ? Object.values(resources)[0] : undefined;
  if (!isRecord(first)) return undefined;
  const blocks: Record<string, Record<string, string>> = {};
  for (const { configField, immutableFields } of destinationModules()) {
    const value = first[configField];
    const block: unknown = Array.isArray(value) ? value[0] : value;
    const fields: Record<string, string> = {};
    for (const field of immutableFields) {
      const text = dig(block, field);
      if (typeof text === 'string') fields[field] = fromLiteral(text);
    }
    blocks[configField] = Object.freeze(fields);
  }
  const destinationType = first['destination_type'];
  const frozenBlocks = Object.freeze(blocks);
  return Object.freeze(typeof destinationType === 'string' ? { destinationType: fromLiteral(destinationType), blocks: frozenBlocks } : { blocks: frozenBlocks });
}

/** Crossplane observes the same Workspace on every reconcile: its module is parsed once. */
export const rememberedRecordedConfiguration = memoized(readRecordedConfiguration, 64);

function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}
