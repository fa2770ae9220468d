/** KRM function results (the `results` of a ResourceList): built from findings, sorted, and shown on stderr. */
import type { Finding, RuleId, Severity } from '../core/index.js';
import { RULES, compareSeverity, compareText, isRecord, report } from '../core/index.js';
import { sourceFileOf } from './annotations.js';

export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One entry of `ResourceList.results`, as the KRM functions spec defines it. */
export interface KrmResult {
  readonly message: string;
  readonly severity: Severity;
  readonly resourceRef?: ResourceRef;
  readonly field?: { readonly path: string; readonly currentValue?: unknown; readonly proposedValue?: unknown };
  readonly file?: { readonly path: string; readonly index: number };
  readonly tags?: Readonly<Record<string, string>>;
}

/** Tag that carries the finding's stable rule id (kpt keeps tags in results.yaml). */
const RULE_TAG = 'rule';

/**
 * The result for a finding about `subject` (a stream item, the functionConfig, ...): resourceRef when the
 * subject names itself, file from its path annotations, field from the finding's path.
 */
export function findingResult(finding: Finding, subject: unknown): KrmResult {
  const resourceRef = resourceRefOf(subject);
  const file = sourceFileOf(subject);
  return {
    message: withoutPathPrefix(finding.message, finding.path),
    severity: finding.severity,
    ...(resourceRef && { resourceRef }),
    ...(finding.path !== undefined && { field: fieldOf(finding, finding.path) }),
    ...(file && { file }),
    tags: { [RULE_TAG]: finding.id },
  };
}

/**
 * A result the adapter itself raises (about the input, or `subject`), tagged with its own rule id. It is made
 * as every finding is (`report`), so its message and values are redacted the same way.
 */
export function adapterResult(rule: RuleId, severity: Severity, message: string, subject?: unknown, field?: { readonly path: string; readonly currentValue?: unknown }): KrmResult {
  return findingResult(report(RULES[rule], message, { severity, ...field }), subject);
}

export function hasErrors(results: readonly KrmResult[]): boolean {
  return results.some((result) => result.severity === 'error');
}

/** Errors first, then warnings, then infos; within each, by file, index, resource, field path and message. */
export function sortResults(results: readonly KrmResult[]): KrmResult[] {
  return [...results].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      compareText(a.file?.path ?? '', b.file?.path ?? '') ||
      (a.file?.index ?? 0) - (b.file?.index ?? 0) ||
      compareText(refText(a.resourceRef), refText(b.resourceRef)) ||
      compareText(a.field?.path ?? '', b.field?.path ?? '') ||
      compareText(a.message, b.message),
  );
}

/**
 * One line for stderr, where kustomize users see it (kustomize does not show results):
 * `error: streams.yaml[0] Auth0EventStream/orders spec.subscriptions[1]: unknown event type ...`.
 */
export function formatResult(result: KrmResult): string {
  const where = [
    result.file && `${result.file.path}[${result.file.index}]`,
    result.resourceRef && refText(result.resourceRef),
    // Schema messages already open with the field path ("spec.x is ..."); do not say it twice.
    result.field?.path && !result.message.startsWith(`${result.field.path} `) ? result.field.path : undefined,
  ].filter((part): part is string => typeof part === 'string' && part !== '');
  return where.length > 0 ? `${result.severity}: ${where.join(' ')}: ${result.message}` : `${result.severity}: ${result.message}`;
}

/**
 * Core messages start with the field path so they read well where there is no field (Crossplane); a KRM
 * result carries it in `field.path`, and kpt prints `<path>: <message>`, so the prefix would show twice.
 */
function withoutPathPrefix(message: string, path: string | undefined): string {
  return path !== undefined && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

function fieldOf(finding: Finding, path: string): NonNullable<KrmResult['field']> {
  return {
    path,
    ...(finding.currentValue !== undefined && { currentValue: finding.currentValue }),
    ...(finding.proposedValue !== undefined && { proposedValue: finding.proposedValue }),
  };
}

/** The spec requires apiVersion, kind and name; anything less gets no resourceRef. */
function resourceRefOf(subject: unknown): ResourceRef | undefined {
  if (!isRecord(subject) || !isRecord(subject['metadata'])) return undefined;
  const { apiVersion, kind } = subject;
  const { name, namespace } = subject['metadata'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  if (apiVersion === '' || kind === '' || name === '') return undefined;
  return typeof namespace === 'string' && namespace !== '' ? { apiVersion, kind, name, namespace } : { apiVersion, kind, name };
}

function refText(ref: ResourceRef | undefined): string {
  if (ref === undefined) return '';
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}
