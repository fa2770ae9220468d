/**
 * The monitor in-process, with a tenant client of the test's own and a clock it moves: one reading per
 * interval per stream, the short wait for a first reading, expired readings answered at once and refreshed in
 * the background, credentials that change, bounded memory and concurrency, and nothing but reads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeliveryHealthMonitor, type Connect, type ReadingRequest } from '../../src/crossplane/delivery-health-monitor.js';
import type { DeliveryWindow, FailedDeliveries, TenantClient } from '../../src/tenant/client.js';
import { TenantError } from '../../src/tenant/errors.js';
import type { LiveStream } from '../../src/tenant/model.js';

const ID = 'est_Crm7Hook2Bearer9User4x';
const OTHER = 'est_Bill1Basic8Auth3Dis5yQ';
const credentials = { domain: 'acme.eu.auth0.com', clientId: 'ReaderClientId0123456789abcdef', clientSecret: 'cs-monitor-test-secret-0123456789' };
const request = (overrides: Partial<ReadingRequest> = {}): ReadingRequest => ({
  credentials,
  streamId: ID,
  intervalSeconds: 300,
  windowSeconds: 3600,
  maxFailures: 0,
  ...overrides,
});

const live = (id: string, status = 'enabled'): LiveStream => ({
  id,
  name: 'crm-user-sync',
  status,
  subscriptions: ['user.created'],
  destination: { type: 'webhook', endpoint: 'https://crm.example.com/hooks', method: 'bearer' },
});

/** A tenant whose answers the test controls; every call is logged, and writes fail the test. */
class FakeTenant {
  readonly calls: string[] = [];
  readonly windows: DeliveryWindow[] = [];
  readonly limits: number[] = [];
  status = 'enabled';
  exists = true;
  failures: FailedDeliveries = { deliveries: [], truncated: false };
  /** When set, reads wait for it. */
  gate: Promise<void> | undefined;
  error: Error | undefined;
  connects = 0;

  readonly connect: Connect = async (given) => {
    this.connects += 1;
    this.calls.push(`connect ${given.clientId}`);
    const read = async <T>(what: string, answer: () => T): Promise<T> => {
      this.calls.push(what);
      if (this.gate) await this.gate;
      if (this.error) throw this.error;
      return answer();
    };
    const refuse = (): never => {
      throw new Error('the monitor must never write');
    };
    const client: TenantClient = {
      domain: given.domain,
      listStreams: refuse,
      getStream: (id) => read(`get ${id}`, () => (this.exists ? live(id, this.status) : undefined)),
      listFailedDeliveries: (id, window, limit) => {
        this.windows.push(window);
        if (limit !== undefined) this.limits.push(limit);
        return read(`deliveries ${id}`, () => this.failures);
      },
      sendTestEvent: refuse,
      redeliver: refuse,
      redeliverEvent: refuse,
    };
    return client;
  };

  reads(): string[] {
    return this.calls.filter((call) => !call.startsWith('connect'));
  }
}

function setup(options: { maxStreams?: number; maxConcurrentReadings?: number; firstReadingWaitMs?: number } = {}) {
  const tenant = new FakeTenant();
  const clock = { now: Date.parse('2026-02-03T12:00:00.000Z') };
  const monitor = new DeliveryHealthMonitor({ connect: tenant.connect, now: () => clock.now, ...options });
  return { tenant, clock, monitor };
}

/** Lets every pending promise settle (no timer fires). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('one reading per interval per stream', () => {
  it('the first call gets the reading it started; later calls within the interval ask nothing', async () => {
    const { tenant, clock, monitor } = setup();
    const first = await monitor.observe(request());
    expect(first).toMatchObject({ fresh: true, reading: { kind: 'stream', status: 'enabled', failures: { count: 0, truncated: false } } });
    expect(first.expiresAt).toBe(clock.now + 300_000);
    expect(tenant.reads()).toStrictEqual([`get ${ID}`, `deliveries ${ID}`]);
    expect(tenant.windows[0]!.from.toISOString()).toBe('2026-02-03T11:00:00.000Z');
    expect(tenant.limits).toStrictEqual([100]);

    clock.now += 299_000;
    expect(await monitor.observe(request())).toMatchObject({ fresh: true });
    expect(tenant.reads()).toHaveLength(2);
  });

  it('after the interval: the old reading at once, a new one in the background, then the new one', async () => {
    const { tenant, clock, monitor } = setup();
    await monitor.observe(request());
    tenant.status = 'disabled';
    let open!: () => void;
    tenant.gate = new Promise((resolve) => (open = resolve));
    clock.now += 300_000;

    const stale = await monitor.observe(request());
    expect(stale).toMatchObject({ fresh: false, reading: { kind: 'stream', status: 'enabled' } });
    expect(tenant.reads()).toStrictEqual([`get ${ID}`, `deliveries ${ID}`, `get ${ID}`]);
    expect(await monitor.observe(request()), 'a second call does not start another reading').toMatchObject({ fresh: false });

    open();
    await settle();
    expect(await monitor.observe(request())).toMatchObject({ fresh: true, reading: { kind: 'stream', status: 'disabled' } });
    expect(tenant.reads()).toHaveLength(4);
    expect(tenant.connects, 'the client (and its token) is reused').toBe(1);
  });

  it('concurrent first calls share one reading', async () => {
    const { tenant, monitor } = setup();
    const observations = await Promise.all([monitor.observe(request()), monitor.observe(request()), monitor.observe(request())]);
    expect(observations.filter((observation) => observation.fresh).length).toBeGreaterThanOrEqual(1);
    expect(tenant.reads()).toStrictEqual([`get ${ID}`, `deliveries ${ID}`]);
  });

  it('streams are read each on their own', async () => {
    const { tenant, monitor } = setup();
    await monitor.observe(request());
    await monitor.observe(request({ streamId: OTHER }));
    expect(tenant.reads()).toStrictEqual([`get ${ID}`, `deliveries ${ID}`, `get ${OTHER}`, `deliveries ${OTHER}`]);
  });

  it('other credentials, another window or a higher threshold read again at once', async () => {
    const { tenant, monitor } = setup();
    await monitor.observe(request());
    await monitor.observe(request({ credentials: { ...credentials, clientSecret: 'cs-rotated-secret-9876543210' } }));
    await monitor.observe(request({ windowSeconds: 600 }));
    await monitor.observe(request({ maxFailures: 500 }));
    expect(tenant.reads()).toHaveLength(8);
    expect(tenant.connects, 'one client per credentials').toBe(2);
    expect(tenant.limits).toStrictEqual([100, 100, 100, 501]);
  });
});

describe('never holding a call for long', () => {
  it('a first reading that does not come back in time: the call returns without one; later calls do not wait', async () => {
    vi.useFakeTimers();
    const { tenant, monitor } = setup({ firstReadingWaitMs: 3000 });
    tenant.gate = new Promise(() => undefined);
    let first: Awaited<ReturnType<DeliveryHealthMonitor['observe']>> | undefined;
    void monitor.observe(request()).then((observation) => (first = observation));
    await vi.advanceTimersByTimeAsync(2999);
    expect(first, 'waits for the reading up to the budget').toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(first).toMatchObject({ fresh: false });
    expect(first?.reading).toBeUndefined();

    let second: unknown;
    void monitor.observe(request()).then((observation) => (second = observation));
    await settle();
    expect(second, 'answered without waiting for a timer').toMatchObject({ fresh: false });
    expect(tenant.reads()).toStrictEqual([`get ${ID}`]);
  });

  it('no more readings at once than allowed; the others queue', async () => {
    vi.useFakeTimers();
    const { tenant, monitor } = setup({ maxConcurrentReadings: 1, firstReadingWaitMs: 10 });
    let open!: () => void;
    tenant.gate = new Promise((resolve) => (open = resolve));
    void monitor.observe(request());
    void monitor.observe(request({ streamId: OTHER }));
    await vi.advanceTimersByTimeAsync(10);
    expect(tenant.reads()).toStrictEqual([`get ${ID}`]);
    tenant.gate = undefined;
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(tenant.reads()).toStrictEqual([`get ${ID}`, `deliveries ${ID}`, `get ${OTHER}`, `deliveries ${OTHER}`]);
  });
});

describe('what a reading holds', () => {
  it('a stream Auth0 does not have: its deliveries are not asked for', async () => {
    const { tenant, monitor } = setup();
    tenant.exists = false;
    expect(await monitor.observe(request())).toMatchObject({ fresh: true, reading: { kind: 'not-found' } });
    expect(tenant.reads()).toStrictEqual([`get ${ID}`]);
  });

  it('the newest failure, with the URLs in its error cut to scheme, host and path', async () => {
    const { tenant, monitor } = setup();
    tenant.failures = {
      truncated: false,
      deliveries: [
        { id: 'dlv_1', eventType: 'user.created', attempts: 4, lastAttemptAt: '2026-02-03T11:10:00.000Z', lastError: 'old' },
        {
          id: 'dlv_2',
          eventType: 'user.updated',
          attempts: 4,
          lastAttemptAt: '2026-02-03T11:50:00.000Z',
          lastError: 'POST https://hook.example.com/in?token=s3cr3t-query-value failed\nwith 500',
        },
        { id: 'dlv_3', eventType: 'user.deleted', attempts: 0 },
      ],
    };
    const observation = await monitor.observe(request());
    expect(observation.reading).toStrictEqual({
      kind: 'stream',
      status: 'enabled',
      failures: {
        count: 3,
        truncated: false,
        last: { at: '2026-02-03T11:50:00.000Z', eventType: 'user.updated', error: 'POST https://hook.example.com/in?*** failed\\u000awith 500' },
      },
    });
  });

  it('a refused read: what the tenant client said, for the condition', async () => {
    const { tenant, monitor } = setup();
    tenant.error = new Error('wrapped by the SDK', {
      cause: new TenantError('forbidden', 'message for the command line', 403, { endpoint: `GET /api/v2/event-streams/${ID}/deliveries`, detail: '403 insufficient_scope' }),
    });
    expect((await monitor.observe(request())).reading).toStrictEqual({
      kind: 'failed',
      failure: { kind: 'forbidden', status: 403, endpoint: `GET /api/v2/event-streams/${ID}/deliveries`, detail: '403 insufficient_scope' },
    });
  });

  it('a client that cannot be made is tried again at the next reading', async () => {
    const { clock } = setup();
    let attempts = 0;
    const monitor = new DeliveryHealthMonitor({
      now: () => clock.now,
      connect: async () => {
        attempts += 1;
        throw new TypeError('no SDK');
      },
    });
    expect((await monitor.observe(request())).reading).toStrictEqual({ kind: 'failed', failure: { kind: 'api', detail: 'TypeError' } });
    clock.now += 300_000;
    await monitor.observe(request());
    await settle();
    expect(attempts).toBe(2);
  });

  it('keeps a bounded number of streams', async () => {
    const { tenant, monitor } = setup({ maxStreams: 2 });
    const third = 'est_Audt4Custom6Header2kWe';
    for (const streamId of [ID, OTHER, third, ID]) await monitor.observe(request({ streamId }));
    expect(tenant.reads().filter((call) => call.startsWith('get'))).toStrictEqual([`get ${ID}`, `get ${OTHER}`, `get ${third}`, `get ${ID}`]);
  });
});
