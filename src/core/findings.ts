/**
 * Building and ordering findings. Every finding is made here, and every user value in one passes through the
 * redaction on the way in: values quoted into messages (`quote`), URLs anywhere in a message, and the
 * currentValue and proposedValue, as the field at the finding's path allows them to be shown (a secret, or
 * what stands where a reference to a Secret belongs, not at all). A message that quotes such a value gets it
 * hidden too. So no rule, present or future, can show a credential.
 */
import { redactAt, redactText, redactUrlsIn, redactValue } from './redaction.js';
import { allowsSeverity, type Rule } from './rules.js';
import type { Finding, Severity } from './types.js';

/**
 * A finding of `rule`, with the rule's severity unless `details.severity` gives one the rule allows (a
 * configuration setting such as `inlineCredentials: deny`).
 */
export function report(rule: Rule, message: string, { path, currentValue, proposedValue, severity = rule.severity }: FindingDetails = {}): Finding {
  if (!allowsSeverity(rule, severity)) throw new Error(`rule ${rule.id} has no ${severity} findings (src/core/rules.ts)`);
  const current = currentValue === undefined ? undefined : redactAt(path, currentValue);
  const proposed = proposedValue === undefined ? undefined : redactAt(path, proposedValue);
  return {
    id: rule.id,
    severity,
    message: redactUrlsIn(withoutQuoted(withoutQuoted(message, path, currentValue, current), path, proposedValue, proposed)),
    ...(path !== undefined && { path }),
    ...(current !== undefined && { currentValue: current }),
    ...(proposed !== undefined && { proposedValue: proposed }),
  };
}

/** `message` with `value`, where the field at `path` shows less of it, quoted as it may be shown. */
function withoutQuoted(message: string, path: string | undefined, value: unknown, shown: unknown): string {
  if (value === undefined || path === undefined || shown === redactValue(value)) return message;
  const quoted = quote(value);
  return message.split(quoted).join(quote(shown ?? '...'));
}

export interface FindingDetails {
  readonly path?: string;
  readonly currentValue?: unknown;
  readonly proposedValue?: unknown;
  readonly severity?: Severity;
}

/** Errors first, then warnings, then infos; within a severity by path, then message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.path ?? '', b.path ?? '') || compareText(a.message, b.message));
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Errors before warnings before infos. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === 'error');
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Quotes a user value for a message: credentials hidden, shortened so a huge input cannot flood the output. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? redactText(value) : value === undefined ? 'undefined' : (JSON.stringify(redactValue(value) ?? '...') ?? typeof value);
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return JSON.stringify(short);
}
