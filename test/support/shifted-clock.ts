/**
 * A clock the test moves forward in a child process, so that intervals of minutes pass at once: a preload
 * (`node --require`) makes the child's `Date.now` add an offset the test writes to a file. Timers are not
 * affected, only what compares times (expiry of readings and cached responses). Move it between calls only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShiftedClock {
  /** The file to pass to `node --require`. */
  readonly preload: string;
  /** Milliseconds the child's clock is ahead. */
  readonly offsetMs: number;
  forward(seconds: number): void;
  dispose(): void;
}

export function shiftedClock(): ShiftedClock {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-clock-'));
  const offsetFile = join(dir, 'offset-ms');
  writeFileSync(offsetFile, '0');
  const preload = join(dir, 'clock.cjs');
  writeFileSync(
    preload,
    `const { readFileSync } = require('node:fs');\nconst realNow = Date.now;\nDate.now = () => realNow() + Number(readFileSync(${JSON.stringify(offsetFile)}, 'utf8'));\n`,
  );
  let offsetMs = 0;
  return {
    preload,
    get offsetMs() {
      return offsetMs;
    },
    forward(seconds) {
      offsetMs += seconds * 1000;
      writeFileSync(offsetFile, String(offsetMs));
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
