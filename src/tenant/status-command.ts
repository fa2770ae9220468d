/**
 * `auth0-eventstream-fn status`: are the streams of a package (or these ids) delivering? Reads each stream and
 * its failed deliveries of a time window, compares it with its manifest, prints a table (or JSON) and exits
 * with a code that says the worst it found. Only reads from Auth0.
 */
import { ADOPT_ANNOTATION, STREAM_ID_PATTERN, errorsOf, isRecord, readConfig, redactAt, redactUrlsIn, type ExpansionConfig } from '../core/index.js';
import { CONNECTION_HELP, connect, integerFlag, listFlag, parseCommandArgs, parseTime, stringFlag, type CommandContext } from './args.js';
import { DEFAULT_DELIVERY_LIMIT, rfc3339, type FailedDeliveries, type TenantClient } from './client.js';
import { compareShapes, desiredShape, liveShape, type Drift, type StreamShape } from './desired.js';
import { TenantError, type TenantErrorKind } from './errors.js';
import type { LiveStream } from './model.js';
import { destinationText, printable, table, truncate, type Output } from './output.js';
import { readConfigFile, readPackagePaths, readPackageResourceList, type PackageReading } from './package.js';

const STATUS_EXIT = { ok: 0, unknown: 1, usage: 2, notDelivering: 3, failing: 4, drifted: 5 } as const;

export type StreamState = 'ok' | 'error' | 'missing' | 'disabled' | 'failing' | 'drifted';

const STATE_EXIT: Readonly<Record<StreamState, number>> = {
  ok: STATUS_EXIT.ok,
  error: STATUS_EXIT.unknown,
  missing: STATUS_EXIT.notDelivering,
  disabled: STATUS_EXIT.notDelivering,
  failing: STATUS_EXIT.failing,
  drifted: STATUS_EXIT.drifted,
};
/** The most serious code wins: not knowing first, then not delivering, failing, drifted. */
const EXIT_PRECEDENCE: readonly number[] = [STATUS_EXIT.unknown, STATUS_EXIT.notDelivering, STATUS_EXIT.failing, STATUS_EXIT.drifted];

/** Errors that say nothing about one stream but about the whole run: they stop it. */
const RUN_WIDE: ReadonlySet<TenantErrorKind> = new Set(['credentials', 'forbidden', 'certificate', 'unreachable', 'timeout', 'rate-limited']);
const CONCURRENCY = 4;

const STATUS_HELP = `auth0-eventstream-fn status [PATH...] [--id est_... ...] [--since 24h] [--output table|json] [CREDENTIALS]

Reads each stream's live status (GET /api/v2/event-streams/{id}) and its failed deliveries in the window
(GET /api/v2/event-streams/{id}/deliveries), compares it with its manifest, and prints one line per stream.
Makes no change in Auth0 (test and redeliver are separate commands).

WHICH STREAMS
  PATH...           package directories (every .yaml/.yml file below) or manifest files
  (stdin)           a ResourceList, as kpt passes one: kpt fn source DIR | auth0-eventstream-fn status
  --id est_...      stream ids instead of a package (repeat it); no drift is reported then
  A manifest's stream is the one named by its annotation ${ADOPT_ANNOTATION}, else by
  status.outputs.id, else the tenant's stream of the same name.

OPTIONS
  --since WHEN      window for failed deliveries: a duration (30m, 24h, 7d) or an RFC 3339 time (default 24h)
  --max-failures N  failed deliveries in the window that still count as delivering (default 0)
  --fn-config FILE  the function config the package is rendered with (eventTypes: warn changes which
                    subscriptions a manifest asks for); a ResourceList's functionConfig is used by default
  --output FORMAT   table (default) or json
  -h, --help        this help

${CONNECTION_HELP}

SCOPES  read:event_streams, read:event_deliveries

EXIT STATUS (the most serious wins, in this order)
  1  could not check: Auth0 unreachable, credentials or scopes refused, an unreadable or invalid manifest
  3  not delivering: a stream is disabled in Auth0 although its manifest does not say so (Auth0 disables a
     stream after 500 consecutive or 5,000 failed deliveries), or it does not exist in the tenant
  4  failing: more failed deliveries in the window than --max-failures
  5  drifted: subscriptions, destination, name or status differ from the manifest (changed outside the package)
  0  every stream delivers as its manifest says
  2  bad usage`;

interface Target {
  readonly name?: string;
  readonly namespace?: string;
  readonly source?: string;
  readonly id?: string;
  readonly desired?: StreamShape;
  /** Why the manifest cannot be checked. */
  readonly invalid?: string;
}

export interface StreamReport {
  readonly name?: string;
  readonly namespace?: string;
  readonly source?: string;
  readonly id?: string;
  readonly state: StreamState;
  readonly status?: string;
  readonly destination?: string;
  readonly failures?: { readonly count: number; readonly truncated: boolean; readonly last?: LastFailure };
  readonly drift: readonly Drift[];
  readonly problem?: string;
}

interface LastFailure {
  readonly at: string;
  readonly eventType: string;
  readonly eventId?: string;
  readonly error?: string;
}

export async function statusCommand(args: readonly string[], context: CommandContext, output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      id: { type: 'string', multiple: true },
      since: { type: 'string' },
      'max-failures': { type: 'string' },
      'fn-config': { type: 'string' },
      output: { type: 'string' },
    },
    Number.POSITIVE_INFINITY,
  );
  if (values['help'] === true) {
    output.out(`${STATUS_HELP}\n`);
    return STATUS_EXIT.ok;
  }
  const format = stringFlag(values, 'output') ?? 'table';
  if (format !== 'table' && format !== 'json') throw new TenantError('usage', `--output is table or json, not ${JSON.stringify(format)}.`);
  const now = context.now();
  const sinceText = stringFlag(values, 'since') ?? '24h';
  const window = { from: parseTime(sinceText, '--since', now) };
  const maxFailures = integerFlag(values, 'max-failures', 0, 1_000_000);
  const ids = listFlag(values, 'id');
  const targets = ids.length > 0 ? idTargets(ids, positionals) : packageTargets(await readPackage(positionals, context), stringFlag(values, 'fn-config'));
  if (targets.length === 0) throw new TenantError('usage', 'no Auth0EventStream found; name a package directory, pipe a ResourceList, or pass --id.');

  const client = await connect(values, context);
  const listed = targets.some((target) => target.id === undefined && target.invalid === undefined) ? await client.listStreams() : undefined;
  const reports = await mapConcurrently(targets, CONCURRENCY, (target) => checkTarget(client, target, listed, window, maxFailures));
  const exitCode = EXIT_PRECEDENCE.find((code) => reports.some((report) => STATE_EXIT[report.state] === code)) ?? STATUS_EXIT.ok;
  if (format === 'json') {
    output.out(
      `${JSON.stringify({ tenant: client.domain, window: { from: rfc3339(window.from), to: rfc3339(now) }, maxFailures, streams: reports, summary: counts(reports), exitCode }, null, 2)}\n`,
    );
  } else {
    output.out(renderTable(reports, failuresTitle(sinceText), exitCode));
  }
  return exitCode;
}

async function readPackage(paths: readonly string[], input: CommandContext): Promise<PackageReading> {
  if (paths.length > 0) return readPackagePaths(paths);
  const bytes = await input.stdin();
  if (bytes === undefined) throw new TenantError('usage', 'name a package directory or manifest files, pipe a ResourceList on stdin, or pass --id est_....');
  return readPackageResourceList(bytes);
}

function idTargets(ids: readonly string[], positionals: readonly string[]): Target[] {
  if (positionals.length > 0) throw new TenantError('usage', 'pass either --id or a package, not both.');
  const wrong = ids.filter((id) => !STREAM_ID_PATTERN.test(id));
  if (wrong.length > 0) throw new TenantError('usage', `${wrong.map((id) => JSON.stringify(id)).join(', ')} is not an event stream id (est_ followed by 22 letters and digits).`);
  return [...new Set(ids)].map((id) => ({ id }));
}

function packageTargets(reading: PackageReading, configFile: string | undefined): Target[] {
  const config = functionConfig(configFile !== undefined ? readConfigFile(configFile) : reading.functionConfig, configFile ?? 'the ResourceList functionConfig');
  return reading.streams.map(({ item, source }) => {
    const name = typeof item.metadata.name === 'string' ? item.metadata.name : undefined;
    const namespace = typeof item.metadata.namespace === 'string' ? item.metadata.namespace : undefined;
    const id = streamIdOf(item);
    const base = { ...(name !== undefined ? { name } : {}), ...(namespace ? { namespace } : {}), source, ...(id !== undefined ? { id } : {}) };
    const desired = desiredShape(item, config);
    if (!desired.ok) {
      const errors = errorsOf(desired.findings).map((finding) => finding.message);
      return { ...base, invalid: `the function rejects this manifest (${source}): ${errors.join(' ')}` };
    }
    return { ...base, desired: desired.shape };
  });
}

function functionConfig(raw: unknown, where: string): ExpansionConfig {
  const reading = readConfig(raw);
  const errors = errorsOf(reading.findings);
  if (errors.length > 0) throw new TenantError('input', `${where}: ${errors.map((finding) => finding.message).join(' ')}`);
  return reading.config;
}

function streamIdOf(item: { metadata: { annotations?: Record<string, string> }; [key: string]: unknown }): string | undefined {
  const adopted = item.metadata.annotations?.[ADOPT_ANNOTATION];
  if (typeof adopted === 'string' && adopted !== '') return adopted;
  const status = item['status'];
  const outputs = isRecord(status) ? status['outputs'] : undefined;
  const id = isRecord(outputs) ? outputs['id'] : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

async function checkTarget(client: TenantClient, target: Target, listed: readonly LiveStream[] | undefined, window: { from: Date }, maxFailures: number): Promise<StreamReport> {
  const base = {
    ...(target.name !== undefined ? { name: target.name } : {}),
    ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
    ...(target.source !== undefined ? { source: target.source } : {}),
    ...(target.id !== undefined ? { id: target.id } : {}),
  };
  if (target.invalid !== undefined) return { ...base, state: 'error', drift: [], problem: target.invalid };
  try {
    const live = await findLive(client, target, listed);
    if (live === undefined) {
      const problem =
        target.id !== undefined
          ? `the tenant has no event stream ${target.id}; it was deleted in Auth0, or the id is wrong`
          : `the tenant has no event stream named ${JSON.stringify(target.name)}; the package was not applied yet, or the stream was deleted or renamed in Auth0`;
      return { ...base, state: 'missing', drift: [], problem };
    }
    const failures = await client.listFailedDeliveries(live.id, window, DEFAULT_DELIVERY_LIMIT);
    const drift = target.desired !== undefined ? compareShapes(target.desired, liveShape(live)).map(shownDrift) : [];
    const declaredDisabled = target.desired?.status === 'disabled';
    const state: StreamState =
      live.status !== 'enabled' && !declaredDisabled ? 'disabled' : failures.deliveries.length > maxFailures ? 'failing' : drift.length > 0 ? 'drifted' : 'ok';
    return {
      ...base,
      ...(base.name === undefined ? { name: live.name } : {}),
      id: live.id,
      state,
      status: live.status,
      destination: destinationText(live),
      failures: failureSummary(failures),
      drift,
    };
  } catch (error) {
    if (error instanceof TenantError && !RUN_WIDE.has(error.kind)) return { ...base, state: 'error', drift: [], problem: error.message };
    throw error;
  }
}

/** A difference as it may be printed: credentials in an endpoint, or after the `:` of a user name, hidden. */
function shownDrift(drift: Drift): Drift {
  const shown = (value: string | readonly string[]): string | readonly string[] =>
    typeof value === 'string' ? String(redactAt(drift.field, value)) : value.map((entry) => String(redactAt(drift.field, entry)));
  return { field: drift.field, manifest: shown(drift.manifest), auth0: shown(drift.auth0) };
}

async function findLive(client: TenantClient, target: Target, listed: readonly LiveStream[] | undefined): Promise<LiveStream | undefined> {
  if (listed !== undefined) {
    return target.id !== undefined ? listed.find((stream) => stream.id === target.id) : listed.find((stream) => stream.name === target.name);
  }
  return target.id !== undefined ? client.getStream(target.id) : undefined;
}

function failureSummary(failures: FailedDeliveries): NonNullable<StreamReport['failures']> {
  const latest = failures.deliveries
    .filter((delivery) => delivery.lastAttemptAt !== undefined)
    .reduce<(typeof failures.deliveries)[number] | undefined>(
      (best, delivery) => (best === undefined || delivery.lastAttemptAt! > best.lastAttemptAt! ? delivery : best),
      undefined,
    );
  return {
    count: failures.deliveries.length,
    truncated: failures.truncated,
    ...(latest !== undefined
      ? {
          last: {
            at: latest.lastAttemptAt!,
            eventType: latest.eventType,
            ...(latest.eventId !== undefined ? { eventId: latest.eventId } : {}),
            ...(latest.lastError !== undefined ? { error: redactUrlsIn(latest.lastError) } : {}),
          },
        }
      : {}),
  };
}

function counts(reports: readonly StreamReport[]): Record<StreamState, number> {
  const result: Record<StreamState, number> = { ok: 0, error: 0, missing: 0, disabled: 0, failing: 0, drifted: 0 };
  for (const report of reports) result[report.state] += 1;
  return result;
}

function failuresTitle(since: string): string {
  return /^\d+[smhd]$/.test(since.trim()) ? `FAILURES (${since.trim()})` : 'FAILURES (SINCE)';
}

const EXIT_MEANING: Readonly<Record<number, string>> = {
  [STATUS_EXIT.ok]: 'every stream delivers as its manifest says',
  [STATUS_EXIT.unknown]: 'could not check every stream',
  [STATUS_EXIT.notDelivering]: 'a stream is not delivering',
  [STATUS_EXIT.failing]: 'a stream is failing deliveries',
  [STATUS_EXIT.drifted]: 'a stream drifted from its manifest',
};

function renderTable(reports: readonly StreamReport[], failuresHeader: string, exitCode: number): string {
  const rows = reports.map((report) => [
    report.state.toUpperCase(),
    truncate(printable(report.name ?? '-'), 40),
    report.id ?? '-',
    report.destination ?? '-',
    report.status === undefined ? '-' : printable(report.status),
    report.failures === undefined ? '-' : `${report.failures.count}${report.failures.truncated ? '+' : ''}`,
    report.failures?.last === undefined
      ? '-'
      : truncate(printable(`${report.failures.last.at} ${report.failures.last.eventType}${report.failures.last.error ? `: ${report.failures.last.error}` : ''}`), 70),
    report.drift.length === 0 ? '-' : report.drift.map((drift) => drift.field).join(','),
  ]);
  const notes = reports.flatMap((report) => {
    const who = printable(report.name ?? report.id ?? '?');
    return [...(report.problem !== undefined ? [`${who}: ${printable(report.problem)}`] : []), ...report.drift.map((drift) => `${who}: ${describeDrift(drift)}`)];
  });
  const tally = Object.entries(counts(reports))
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
  return [
    table(['STATE', 'STREAM', 'ID', 'DESTINATION', 'STATUS', failuresHeader, 'LAST FAILURE', 'DRIFT'], rows),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    `${reports.length} stream${reports.length === 1 ? '' : 's'}: ${tally}; exit ${exitCode} (${EXIT_MEANING[exitCode]}).`,
    '',
  ].join('\n');
}

function describeDrift(drift: Drift): string {
  if (typeof drift.manifest === 'string' || typeof drift.auth0 === 'string') {
    return printable(`${drift.field} is ${String(drift.manifest)} in the manifest, ${String(drift.auth0)} in Auth0`);
  }
  const manifest = new Set(drift.manifest);
  const auth0 = new Set(drift.auth0);
  const onlyAuth0 = [...auth0].filter((type) => !manifest.has(type));
  const onlyManifest = [...manifest].filter((type) => !auth0.has(type));
  return printable(
    [
      onlyAuth0.length > 0 ? `subscribed in Auth0 only: ${onlyAuth0.join(', ')}` : undefined,
      onlyManifest.length > 0 ? `in the manifest only: ${onlyManifest.join(', ')}` : undefined,
    ]
      .filter(Boolean)
      .join('; '),
  );
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
