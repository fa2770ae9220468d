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

  it('numbers are written in decimal: blank, hexadecimal, negative, infinite or too small values are refused, not read as 0 or at once', () => {
    const refused = ['', ' ', '\t', '0x10', '0b1', '-1', '+-1', 'Infinity', '1e400', 'NaN', '4MiB', '1,5'];
    for (const value of refused) {
      for (const flag of ['--max-recv-message-size', '--shutdown-grace', '--cache-size', '--cache-max-size']) {
        expect(parseServeFlags([`${flag}=${value}`], {}), `${flag}=${JSON.stringify(value)}`).toHaveProperty('error');
      }
    }
    // Less than one byte would refuse every request.
    expect(parseServeFlags(['--max-recv-message-size', '1e-9'], {})).toStrictEqual({ error: '--max-recv-message-size must be a number of MiB, more than 0 and at most 2047' });
    expect(parseServeFlags(['--max-recv-message-size', '4096'], {})).toHaveProperty('error');
    expect(parseServeFlags(['--cache-size', '1.5'], {})).toHaveProperty('error');
    expect(parseServeFlags(['--max-recv-message-size', '0.5', '--shutdown-grace', '.5', '--cache-max-size', '1e1'], {})).toMatchObject({
      options: { maxRecvMessageSizeMiB: 0.5, shutdownGraceSeconds: 0.5, cacheMaxBytes: 10 * 1024 * 1024 },
    });
  });

  it('the real process refuses an overflowing --shutdown-grace with one line and exit code 2, before it listens', async () => {
    const run = await runToExit(['serve', '--insecure', '--address', '127.0.0.1:0', '--shutdown-grace', '3000000']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'auth0-eventstream-fn serve: --shutdown-grace must be at most 2147483 seconds (about 24 days), the longest timer Node.js can set; got 3000000',
    );
    expect(run.stderr).not.toMatch(/serving|TimeoutOverflowWarning/);
  });

  it('the real process refuses a blank --cache-size with one line and exit code 2, rather than turning the cache off', async () => {
    const run = await runToExit(['serve', '--insecure', '--address', '127.0.0.1:0', '--cache-size=']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('auth0-eventstream-fn serve: --cache-size must be a whole number (0 turns the cache off)');
  });
});
