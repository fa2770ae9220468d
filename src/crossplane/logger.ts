/**
 * Structured logs: one JSON object per line on stderr, `severity` as Crossplane's functions use it. Callers pass
 * counts, names and durations — never resource bodies, inputs or credentials.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function jsonLogger(debug: boolean, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log =
    (severity: string) =>
    (msg: string, fields: LogFields = {}) =>
      write(`${JSON.stringify({ time: new Date().toISOString(), severity, msg, ...fields })}\n`);
  return {
    debug: debug ? log('debug') : () => undefined,
    info: log('info'),
    warn: log('warning'),
    error: log('error'),
  };
}
