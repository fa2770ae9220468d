/** The start of every RunFunctionResponse, and its fatal results. */
import { Severity, Target, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { reasonOf, type RuleId } from '../core/index.js';

/** Crossplane calls again after this long, unless a response asks for sooner. */
export const DEFAULT_TTL_SECONDS = 60;

/**
 * A response to `request`: its tag echoed, what earlier steps desired kept (a copy of their resources, which
 * this step adds to), the pipeline context passed on, no results yet.
 */
export function responseTo(request: RunFunctionRequest): RunFunctionResponse {
  const earlier = request.desired;
  return {
    meta: { tag: request.meta?.tag ?? '', ttl: { seconds: DEFAULT_TTL_SECONDS, nanos: 0 } },
    desired: { composite: earlier?.composite, resources: { ...(earlier?.resources ?? {}) } },
    results: [],
    conditions: [],
    requirements: undefined,
    ...(request.context ? { context: request.context } : {}),
  };
}

/** Adds a fatal result (Crossplane then applies and deletes nothing), its reason from the rule. */
export function fatal(response: RunFunctionResponse, rule: RuleId, message: string): RunFunctionResponse {
  response.results.push({ severity: Severity.SEVERITY_FATAL, message, reason: reasonOf(rule), target: Target.TARGET_COMPOSITE });
  return response;
}
