/**
 * The two commands that act on a stream, each asked for explicitly and never run by `status`:
 * `test` (Auth0 sends one test event) and `redeliver` (Auth0 sends failed events again).
 */
import { KNOWN_EVENT_TYPES, STREAM_ID_PATTERN } from '../core/index.js';
import { CONNECTION_HELP, connect, listFlag, parseCommandArgs, parseTime, stringFlag, type CommandContext, type ConnectContext } from './args.js';
import { rfc3339 } from './client.js';
import { TenantError } from './errors.js';
import { EVENT_ID_PATTERN } from './model.js';
import { printable, type Output } from './output.js';

const ACTION_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const TEST_HELP = `auth0-eventstream-fn test est_... [--event-type TYPE] [CREDENTIALS]

Asks Auth0 to send one test event to the stream (POST /api/v2/event-streams/{id}/test); the event carries
"a0purpose": "test". Without --event-type, the stream's first subscription is used (read with
GET /api/v2/event-streams/{id}). Auth0 does not deliver test events to a disabled stream.

OPTIONS
  --event-type TYPE   e.g. user.created
  -h, --help          this help

${CONNECTION_HELP}

SCOPES  update:event_streams (and read:event_streams without --event-type)

EXIT STATUS
  0  Auth0 accepted the test event   1  it did not (the message says why)   2  bad usage`;

const REDELIVER_HELP = `auth0-eventstream-fn redeliver est_... (--since WHEN [--until WHEN] [--event-type TYPE ...] | --event evt_...) [CREDENTIALS]

Asks Auth0 to deliver failed events of the stream again: every failed event of a time window
(POST /api/v2/event-streams/{id}/redeliver with statuses [failed]), or one event
(POST /api/v2/event-streams/{id}/redeliver/{event_id}). Auth0 accepts the request and redelivers on its own.

OPTIONS
  --since WHEN        start of the window: a duration (30m, 24h, 7d) or an RFC 3339 time
  --until WHEN        end of the window (default: now)
  --event-type TYPE   only events of this type (repeat it)
  --event evt_...     one event, by id (see status --output json, failures.last.eventId)
  -h, --help          this help

${CONNECTION_HELP}

SCOPES  update:event_deliveries

EXIT STATUS
  0  Auth0 accepted the request   1  it did not (409: no event in a state that allows redelivery; the message
  says why)   2  bad usage`;

export async function testCommand(args: readonly string[], context: ConnectContext, output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'event-type': { type: 'string' } }, 1);
  if (values['help'] === true) {
    output.out(`${TEST_HELP}\n`);
    return ACTION_EXIT.ok;
  }
  const id = streamIdArgument('test', positionals);
  const requested = stringFlag(values, 'event-type');
  if (requested !== undefined) checkEventType(requested);
  const client = await connect(values, context);
  let eventType = requested;
  if (eventType === undefined) {
    const live = await client.getStream(id);
    if (live === undefined) throw new TenantError('not-found', `${client.domain} has no event stream ${id}.`);
    eventType = live.subscriptions[0];
    if (eventType === undefined) throw new TenantError('usage', `stream ${id} subscribes to nothing; pass --event-type.`);
  }
  const delivery = await client.sendTestEvent(id, eventType);
  output.out(`${client.domain}: Auth0 accepted a test ${eventType} event for ${id}${delivery ? ` (delivery ${printable(delivery.id)})` : ''}.\n`);
  return ACTION_EXIT.ok;
}

export async function redeliverCommand(args: readonly string[], context: CommandContext, output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { since: { type: 'string' }, until: { type: 'string' }, 'event-type': { type: 'string', multiple: true }, event: { type: 'string' } },
    1,
  );
  if (values['help'] === true) {
    output.out(`${REDELIVER_HELP}\n`);
    return ACTION_EXIT.ok;
  }
  const id = streamIdArgument('redeliver', positionals);
  const eventId = stringFlag(values, 'event');
  const since = stringFlag(values, 'since');
  const until = stringFlag(values, 'until');
  const eventTypes = listFlag(values, 'event-type');
  if (eventId !== undefined) {
    if (since !== undefined || until !== undefined || eventTypes.length > 0) {
      throw new TenantError('usage', '--event names one event; it takes no --since, --until or --event-type.');
    }
    if (!EVENT_ID_PATTERN.test(eventId)) throw new TenantError('usage', `${JSON.stringify(eventId)} is not an event id (evt_ followed by 22 letters and digits).`);
    const client = await connect(values, context);
    await client.redeliverEvent(id, eventId);
    output.out(`${client.domain}: Auth0 accepted the redelivery of event ${eventId} of ${id}.\n`);
    return ACTION_EXIT.ok;
  }
  if (since === undefined) throw new TenantError('usage', 'say which failed events: --since WHEN (a window) or --event evt_... (one event).');
  const now = context.now();
  const window = { from: parseTime(since, '--since', now), ...(until !== undefined ? { to: parseTime(until, '--until', now) } : {}) };
  if (window.to !== undefined && window.to <= window.from) throw new TenantError('usage', '--until must be later than --since.');
  for (const type of eventTypes) checkEventType(type);
  const client = await connect(values, context);
  await client.redeliver(id, window, eventTypes);
  const types = eventTypes.length > 0 ? ` of type ${eventTypes.join(', ')}` : '';
  output.out(
    `${client.domain}: Auth0 accepted the redelivery of the failed events${types} of ${id} from ${rfc3339(window.from)}${window.to ? ` to ${rfc3339(window.to)}` : ''}.\n`,
  );
  return ACTION_EXIT.ok;
}

function streamIdArgument(command: string, positionals: readonly string[]): string {
  const id = positionals[0];
  if (id === undefined) throw new TenantError('usage', `name the stream: ${command} est_... (see status or import for the ids).`);
  if (!STREAM_ID_PATTERN.test(id)) throw new TenantError('usage', `${JSON.stringify(id)} is not an event stream id (est_ followed by 22 letters and digits).`);
  return id;
}

function checkEventType(type: string): void {
  if (!KNOWN_EVENT_TYPES.includes(type)) {
    throw new TenantError('usage', `${JSON.stringify(type)} is not an Auth0 event type; one of ${KNOWN_EVENT_TYPES.join(', ')}.`);
  }
}
