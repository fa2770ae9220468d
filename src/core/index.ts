/**
 * The pure core: validate → default → expand. No I/O, no process, no protocol.
 *
 * Adapters use:
 * - `readConfig(raw)` once per run, on the functionConfig / step input (undefined, `{}`, a ConfigMap, or an
 *   `ExpansionConfig`);
 * - `isStream(obj)` to find the items the function owns;
 * - `expandStream(item, config, context?)` per stream;
 * - `generatedFor(obj)` to tell which stream a resource from an earlier run belongs to (upsert and prune);
 * - `isExpansionConfig(obj)` to pass the typed config through untouched when it also sits among the items;
 * - `resourceName(stream, suffix)` for any other name derived from a stream name (DNS-safe, hashed when cut).
 */
export type { ConfigReading, StreamContext, StreamExpansion } from './api.js';
export type { DeliveryHealthSettings, ExpansionConfig, Route, RouteTarget, Scope } from './api.js';
export type { Finding, GeneratedResource, KubeObject, ObjectMeta, Severity, StreamOutputs } from './types.js';
export { readConfig, isExpansionConfig, CONFIG_API_VERSION, CONFIG_KIND, CONFIG_MAP_KEYS } from './config.js';
export { isStream, expandStream, STREAM_API_VERSION, STREAM_KIND, WRITTEN_DEFAULTS } from './expand/index.js';
export {
  DESTINATION_TYPES,
  WAITING_FOR_PARTNER_EVENT_SOURCE,
  destinationProgress,
  takesRoutes,
  type DestinationType,
  type Progress,
  type ProgressState,
} from './destinations/index.js';
export { ROLE, NAME_SUFFIX } from './roles.js';
export { ADOPT_ANNOTATION, STREAM_ID_PATTERN, type Adoption } from './adoption.js';
export { generatedFor, streamKey, streamKeyOf, MANAGED_BY, LABELS } from './ownership.js';
export { configSchema, streamSchema, resolve as resolveSchema, type SchemaNode } from './schema/index.js';
export { KNOWN_EVENT_TYPES } from './subscriptions.js';
export { asRecord, isRecord, withFields } from './records.js';
export { dnsLabel, generatedFileStem, isWindowsDeviceName, resourceName, shortHash } from './names.js';
export { compareSeverity, compareText, errorsOf, hasErrors, quote, report } from './findings.js';
export { closest, suggestionBudget } from './suggest.js';
export { redactAt, redactText, redactUrlsIn } from './redaction.js';
export { RULES, allRules, allowsSeverity, isRuleId, reasonOf, type Rule, type RuleId, type RuleScope } from './rules.js';
export { fromLiteral } from './expand/terraform-module.js';
