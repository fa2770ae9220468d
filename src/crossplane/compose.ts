/**
 * RunFunctionRequest ⇄ core. The XR is the Auth0EventStream; the step input is the ExpansionConfig; what the
 * core generates becomes desired composed resources under their role names. Nothing is copied from observed
 * state into desired state except what the core derived (status outputs, readiness).
 */
import {
  Ready,
  Severity,
  Status,
  Target,
  type Condition,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
  type Result,
} from '@crossplane-org/function-sdk-typescript';
import {
  WAITING_FOR_PARTNER_EVENT_SOURCE,
  destinationProgress,
  ROLE,
  asRecord,
  errorsOf,
  expandStream,
  reasonOf,
  type Finding,
  type GeneratedResource,
  type KubeObject,
  type StreamExpansion,
  withFields,
} from '../core/index.js';
import type { Logger } from './logger.js';
import { fatal, responseTo } from './response.js';
import { readStepInput } from './step-input.js';

/** While Auth0 has not reported the partner event source yet, look again sooner. */
const WAITING_TTL_SECONDS = 20;
/**
 * Results and conditions stay small whatever the input: a fatal result lists this many errors, the Valid
 * condition fewer, and normal results stop at MAX_RESULTS; each says how many more there are.
 */
const MAX_ERRORS_IN_RESULT = 10;
const MAX_ERRORS_IN_CONDITION = 3;
const MAX_RESULTS = 20;
const MAX_FINDING_LENGTH = 1000;

export interface ComposeContext {
  readonly logger?: Logger;
}

export function runFunction(request: RunFunctionRequest, context: ComposeContext = {}): RunFunctionResponse {
  const response = responseTo(request);
  const xr = asRecord(request.observed?.composite?.resource);
  if (xr === undefined) {
    return fatal(
      response,
      'missing-composite',
      'The request has no observed composite resource (observed.composite.resource); Crossplane always sends the XR, so check the caller.',
    );
  }
  if (xr['spec'] !== undefined && asRecord(xr['spec']) === undefined) {
    return fatal(response, 'invalid-spec', 'spec of the Auth0EventStream must be an object.');
  }
  const { config, findings: configFindings } = readStepInput(request.input ?? null);
  const configErrors = errorsOf(configFindings);
  if (configErrors.length > 0) {
    // The XR is validated against what can be salvaged of the input, so that every problem shows at once.
    const streamErrors = errorsOf(expandStream(xr, config, { credentials: decodeCredentials(request) }).findings);
    const alsoSpec = streamErrors.length > 0 ? ` The Auth0EventStream is invalid too: ${describe(streamErrors)}` : '';
    return fatal(response, 'invalid-input', `The pipeline step input is invalid: ${describe(configErrors)}${alsoSpec}`);
  }
  const namespace = asRecord(xr['metadata'])?.['namespace'];
  if (config.scope === 'Cluster' && typeof namespace === 'string' && namespace !== '') {
    return fatal(
      response,
      'invalid-input',
      'scope: Cluster composes cluster-scoped resources, which a namespaced Auth0EventStream cannot own; use scope: Namespaced (the default) or a cluster-scoped XRD.',
    );
  }

  const observed = request.observed?.resources ?? {};
  const previousWorkspace = asRecord(observed[ROLE.workspace]?.resource) as KubeObject | undefined;
  const credentials = decodeCredentials(request);
  const expansion = expandStream(xr, config, previousWorkspace ? { previousWorkspace, workspaceSeenAgain: true, credentials } : { credentials });
  if (!expansion.ok) {
    const errors = errorsOf(expansion.findings);
    response.conditions.push(condition('Valid', Status.STATUS_CONDITION_FALSE, reasonOf('invalid-spec'), describe(errors, MAX_ERRORS_IN_CONDITION)));
    return fatal(response, errors[0]?.id ?? 'invalid-spec', `The Auth0EventStream is invalid; nothing was changed: ${describe(errors)}`);
  }

  for (const finding of expansion.findings.slice(0, MAX_RESULTS)) response.results.push(toResult(finding));
  const unlisted = expansion.findings.length - MAX_RESULTS;
  if (unlisted > 0) {
    response.results.push({
      severity: Severity.SEVERITY_WARNING,
      message: `${unlisted} more finding(s) like the ones above are not listed.`,
      reason: reasonOf('more-findings'),
      target: Target.TARGET_COMPOSITE,
    });
  }
  const desired = response.desired!;
  for (const generated of expansion.resources) {
    desired.resources[generated.role] = composed(generated, observed[generated.role]);
  }
  setCompositeStatus(response, expansion);
  for (const streamCondition of streamConditions(expansion, observed)) response.conditions.push(streamCondition);
  if (expansion.waitingFor) response.meta!.ttl = { seconds: WAITING_TTL_SECONDS, nanos: 0 };
  context.logger?.debug('expanded', { resources: expansion.resources.length, waitingFor: expansion.waitingFor ?? 'nothing' });
  return response;
}

/** A desired composed resource; ready when the observed one says so (a Secret is ready once it exists). */
function composed(generated: GeneratedResource, observed: Resource | undefined): Resource {
  return { resource: generated.object, connectionDetails: {}, ready: readiness(generated.object.kind, observed) };
}

function readiness(kind: string, observed: Resource | undefined): Ready {
  const resource = asRecord(observed?.resource);
  if (resource === undefined) return Ready.READY_FALSE;
  if (kind === 'Secret') return Ready.READY_TRUE;
  return conditionStatus(resource, 'Ready') === 'True' ? Ready.READY_TRUE : Ready.READY_FALSE;
}

function setCompositeStatus(response: RunFunctionResponse, expansion: StreamExpansion): void {
  const desired = response.desired!;
  const current = asRecord(desired.composite?.resource) ?? {};
  const status = asRecord(current['status']) ?? {};
  const outputs = Object.fromEntries(Object.entries(expansion.outputs).filter(([, value]) => value !== undefined));
  desired.composite = {
    resource: withFields(current, { status: withFields(status, { outputs }) }),
    connectionDetails: desired.composite?.connectionDetails ?? {},
    // Until the EventBridge side exists every composed resource may be ready, yet the stream delivers nowhere.
    ready: expansion.waitingFor ? Ready.READY_FALSE : (desired.composite?.ready ?? Ready.READY_UNSPECIFIED),
  };
}

/** Where the stream stands, in words a `kubectl describe` reader can act on. */
function streamConditions(expansion: StreamExpansion, observed: Readonly<Record<string, Resource>>): Condition[] {
  const conditions: Condition[] = [condition('Valid', Status.STATUS_CONDITION_TRUE, 'ValidSpec')];
  conditions.push(streamCreated(expansion));
  const progress =
    expansion.destinationType === undefined
      ? undefined
      : destinationProgress(expansion.destinationType, {
          roles: expansion.resources.map((resource) => resource.role),
          ...(expansion.waitingFor === undefined ? {} : { waitingFor: expansion.waitingFor }),
          ready: (role) => conditionStatus(asRecord(observed[role]?.resource) ?? {}, 'Ready') === 'True',
        });
  if (progress !== undefined) {
    conditions.push(condition(progress.condition, progress.ready ? Status.STATUS_CONDITION_TRUE : Status.STATUS_CONDITION_FALSE, progress.reason, progress.message));
  }
  return conditions;
}

/** Whether the Auth0 stream exists: created by the Workspace, or adopted (imported, then reported by the Workspace). */
function streamCreated({ outputs, adoption }: StreamExpansion): Condition {
  if (adoption?.imported === true) {
    return condition(
      'StreamCreated',
      Status.STATUS_CONDITION_TRUE,
      'Adopted',
      `Auth0 event stream ${adoption.id} is adopted: the Workspace reports it and no longer carries the import block.`,
    );
  }
  if (adoption !== undefined) {
    return condition('StreamCreated', Status.STATUS_CONDITION_FALSE, 'Adopting', `Waiting for the Workspace to import Auth0 event stream ${adoption.id}.`);
  }
  return outputs.id
    ? condition('StreamCreated', Status.STATUS_CONDITION_TRUE, 'Created', `Auth0 event stream ${outputs.id} exists.`)
    : condition('StreamCreated', Status.STATUS_CONDITION_FALSE, 'Creating', 'Waiting for the Workspace to create the Auth0 event stream.');
}

function condition(type: string, status: Status, reason: string, message?: string): Condition {
  return { type, status, reason, ...(message ? { message } : {}), target: Target.TARGET_COMPOSITE };
}

function toResult(finding: Finding): Result {
  const severity = finding.severity === 'warning' ? Severity.SEVERITY_WARNING : finding.severity === 'info' ? Severity.SEVERITY_NORMAL : Severity.SEVERITY_FATAL;
  return { severity, message: withPath(inCrossplaneWords(finding)), reason: reasonOf(finding.id), target: Target.TARGET_COMPOSITE };
}

/** The Crossplane instruction for what the core says is waiting: nothing to do, a later reconcile composes it. */
function inCrossplaneWords(finding: Finding): Finding {
  if (finding.id !== WAITING_FOR_PARTNER_EVENT_SOURCE) return finding;
  return withFields(finding, {
    message: `${finding.message} Nothing to do: they are composed on a later reconcile, once the Workspace reports the partner event source in its outputs.`,
  });
}

/** The first `limit` findings, then how many more there are. */
function describe(findings: readonly Finding[], limit = MAX_ERRORS_IN_RESULT): string {
  const listed = findings.slice(0, limit).map(withPath).join('; ');
  const more = findings.length - limit;
  return more > 0 ? `${listed}; and ${more} more error(s)` : listed;
}

/** Core messages usually start with their path; add it where they do not. */
function withPath(finding: Finding): string {
  const text = finding.path && !finding.message.includes(finding.path) ? `${finding.path}: ${finding.message}` : finding.message;
  return text.length > MAX_FINDING_LENGTH ? `${text.slice(0, MAX_FINDING_LENGTH - 3)}...` : text;
}

/** Pipeline step credentials with their bytes decoded; values stay in memory only. */
function decodeCredentials(request: RunFunctionRequest): Record<string, Record<string, string>> {
  const decoded: Record<string, Record<string, string>> = {};
  for (const [name, credentials] of Object.entries(request.credentials ?? {})) {
    const data = credentials.credentialData?.data ?? {};
    decoded[name] = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('utf8')]));
  }
  return decoded;
}

function conditionStatus(resource: Record<string, unknown>, type: string): string | undefined {
  const conditions = asRecord(resource['status'])?.['conditions'];
  if (!Array.isArray(conditions)) return undefined;
  const match: unknown = conditions.find((entry) => asRecord(entry)?.['type'] === type);
  const status = asRecord(match)?.['status'];
  return typeof status === 'string' ? status : undefined;
}
