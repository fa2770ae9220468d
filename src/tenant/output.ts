/**
 * Everything the tenant commands print goes through here: one place that scrubs secrets (the client secret and
 * every access token the client sent), hides credentials in the URLs of what it reports (an endpoint's userinfo,
 * query and fragment, as the function's own findings do), and makes untrusted text (stream names, endpoints,
 * Auth0's error messages) safe for a terminal. Only manifests, the streams as Auth0 holds them, keep their
 * endpoints whole.
 */
import { redactText, redactUrlsIn } from '../core/index.js';
import type { LiveStream } from './model.js';

/** Shorter values would match ordinary text by chance; they are still never printed by construction. */
const MIN_SCRUBBED_LENGTH = 8;
export const REDACTED = '[redacted]';

export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SCRUBBED_LENGTH) return;
    // The forms a value takes in JSON, in a URL and in a query string, so none of them slips through.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)]) {
      if (form.length >= MIN_SCRUBBED_LENGTH) this.secrets.add(form);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
    return out;
  }
}

export interface Output {
  /** Writes to stdout (the command's result: a table, JSON, help). */
  out(text: string): void;
  /** Writes to stderr (progress, summaries, errors). */
  err(text: string): void;
  /** Writes manifests to stdout: the streams' configuration as Auth0 holds it, endpoints whole. */
  manifests(text: string): void;
}

export function redactingOutput(redactor: Redactor, write: (fd: 1 | 2, text: string) => void): Output {
  return {
    out: (text) => write(1, redactUrlsIn(redactor.redact(text))),
    err: (text) => write(2, redactUrlsIn(redactor.redact(text))),
    manifests: (text) => write(1, redactor.redact(text)),
  };
}

/**
 * Text from Auth0 or from manifests, made printable on one line: control characters (escape sequences
 * included), line and paragraph separators and lone surrogates are written as `\u` escapes.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** At most `width` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(width - 1, 0)).join('')}…`;
}

/** A plain text table: a header row and left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => rows.reduce((widest, row) => Math.max(widest, [...(row[column] ?? '')].length), title.length));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - [...cell].length)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `webhook https://…`, `eventbridge <account> <region>` or `action <id>`: a stream's destination on one short line. */
export function destinationText(live: LiveStream): string {
  const { destination } = live;
  switch (destination.type) {
    case 'webhook':
      return `webhook ${truncate(printable(redactText(destination.endpoint)), 48)}`;
    case 'eventbridge':
      return printable(`eventbridge ${destination.awsAccountId} ${destination.awsRegion}`);
    case 'action':
      return printable(`action ${destination.actionId}`);
    default:
      return printable(destination.name);
  }
}
