/** `serve` flags: limits that would overflow Node.js timers are refused, the cache's byte bound is read in MiB. */
import { describe, expect, it } from 'vitest';
import { MAX_SHUTDOWN_GRACE_SECONDS, parseServeFlags } from '../../src/crossplane/flags.js';
import { runToExit } from '../support/grpc.js';

describe('serve flags', () => {
  it('--shutdown-grace: up to the longest timer Node.js can set (2^31 - 1 ms), not more', () => {
    expect(MAX_SHUTDOWN_GRACE_SECONDS).toBe(2_147_483);
    expect(parseServeFlags(['--shutdown-grace', '2147483'], {})).toMatchObject({ options: { shutdownGraceSeconds: 2_147_483 } });
    for (const value of ['2147484', '3000000', '1e12']) {
      expect(parseServeFlags(['--shutdown-grace', value], {})).toStrictEqual({
        error: `--shutdown-grace must be at most 2147483 seconds (about 24 days), the longest timer Node.js can set; got ${value}`,
      });
    }
  });

  it('--cache-max-size: MiB of encoded responses, 64 by default, 0 turns the cache off', () => {
    expect(parseServeFlags([], {})).toMatchObject({ options: { cacheSize: 256, cacheMaxBytes: 64 * 1024 * 1024 } });
    expect(parseServeFlags(['--cache-max-size', '0.5'], {})).toMatchObject({ options: { cacheMaxBytes: 512 * 1024 } });
    expect(parseServeFlags(['--cache-max-size', '0'], {})).toMatchObject({ options: { cacheMaxBytes: 0 } });
    expect(parseServeFlags(['--cache-max-size=-1'], {})).toStrictEqual({ error: '--cache-max-size must be a number of MiB (0 turns the cache off)' });
  });

  it('the real process refuses an overflowing --shutdown-grace with one line and exit code 2, before it listens', async () => {
    const run = await runToExit(['serve', '--insecure', '--address', '127.0.0.1:0', '--shutdown-grace', '3000000']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'auth0-eventstream-fn serve: --shutdown-grace must be at most 2147483 seconds (about 24 days), the longest timer Node.js can set; got 3000000',
    );
    expect(run.stderr).not.toMatch(/serving|TimeoutOverflowWarning/);
  });
});
