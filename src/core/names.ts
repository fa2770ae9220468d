/**
 * Names of generated resources. One function, so pruning and lookup can never disagree.
 *
 * `resourceName(stream, suffix)` is `<stream>-<suffix>` when that is already a DNS label of at most 63 characters
 * (the strictest limit among the kinds generated and AWS rule names). Otherwise — too long, or with characters
 * that had to change (capitals, `_`, `.`, …) — it is the stream name lowercased, every run of characters outside
 * `[a-z0-9-]` made one `-`, cut to leave room, then an 8-character hash of `<stream>\0<suffix>`, then the
 * suffix, so distinct streams keep distinct names: `orders-auth0-stream` stays as is, `Orders` becomes
 * `orders-1a2b3c4d-auth0-stream`, and a 100-character stream name `<first 41>-1a2b3c4d-auth0-stream`.
 */

const MAX = 63;

export function resourceName(stream: string, suffix: string): string {
  const raw = `${stream}-${suffix}`;
  // Most names are DNS labels already, which dnsLabel leaves as they are.
  if (raw.length <= MAX && DNS_LABEL.test(raw)) return raw;
  const full = dnsLabel(raw);
  // A name that had to be cleaned gets a hash too, so `Orders` and `orders` stay apart.
  if (full.length <= MAX && full === raw) return full;
  const hash = shortHash(`${stream}\0${suffix}`);
  const room = MAX - suffix.length - hash.length - 2;
  const head = trimEnd(dnsLabel(stream).slice(0, Math.max(room, 1)), isDash);
  // A stream name of symbols only (`***`, ` `) leaves no head; a DNS label cannot start with '-'.
  const parts = [head, hash, dnsLabel(suffix)].filter((part) => part !== '');
  return trimEnd(parts.join('-').slice(0, MAX), isDash);
}

/** What dnsLabel gives back unchanged: lowercase letters and digits, single hyphens between them. */
const DNS_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A lowercase DNS label: what a stream name must be to serve as a file name as it is. */
const PLAIN_FILE_STEM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Names Windows reserves for devices, whatever follows them after a dot (`nul.generated.yaml` is the null
 * device there, and Git for Windows refuses to check such a file out).
 */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** Whether a file named `<stem>` or `<stem>.<anything>` is a device on Windows. */
export function isWindowsDeviceName(stem: string): boolean {
  return WINDOWS_DEVICE_NAME.test(stem.toLowerCase());
}

/**
 * The file stem of the resources generated for a stream (`<stem>.generated.yaml`): the stream name itself when
 * it is a lowercase DNS label (`orders` → `orders`); otherwise its cleaned form, a `.` and a hash of the exact
 * name (`Orders` → `orders.1a2b3c4d`, `../../x` → `x.5e6f7a8b`, a name of `/`, newlines or only symbols →
 * `stream.<hash>`, a Windows device name such as `nul` → `nul-stream.<hash>`). A stem is never empty, never holds
 * `/`, `\` or a control character, never starts with `.` and never with a device name, so it cannot leave its
 * directory and is a file on every system. Plain stems hold no `.` and hashed ones exactly one, so a plain name
 * never meets a hashed one; all are lowercase, so different streams get different files on case-insensitive
 * file systems too (up to a collision of the hash, which the KRM adapter reports).
 */
export function generatedFileStem(stream: string): string {
  if (PLAIN_FILE_STEM.test(stream) && !isWindowsDeviceName(stream)) return stream;
  const head = trimEnd(dnsLabel(stream).slice(0, 40), isDash);
  return `${head === '' ? 'stream' : isWindowsDeviceName(head) ? `${head}-stream` : head}.${shortHash(stream)}`;
}

/** Lowercase letters, digits and single `-` inside: every other run of characters is one `-`, none at either end. */
export function dnsLabel(text: string): string {
  return trim(
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-'),
    isDash,
  );
}

/** What labelValue gives back unchanged. */
const LABEL_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
export function labelValue(text: string): string {
  if (text.length <= MAX && LABEL_VALUE.test(text)) return text;
  const cleaned = trim(text.replace(/[^A-Za-z0-9._-]+/g, '-'), isNotAlphanumeric);
  if (cleaned.length <= MAX && cleaned === text) return cleaned;
  const hash = shortHash(text);
  return `${trimEnd(cleaned.slice(0, MAX - 9), isNotAlphanumeric)}-${hash}`;
}

/*
 * Trimming is done with loops: a pattern such as /[^a-z]+$/ is tried from every position of a long run that
 * does not reach the end, which takes time quadratic in the run (a label of 100,000 dots took minutes).
 */

function trim(text: string, drop: (code: number) => boolean): string {
  let start = 0;
  while (start < text.length && drop(text.charCodeAt(start))) start++;
  return trimEnd(text.slice(start), drop);
}

function trimEnd(text: string, drop: (code: number) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

function isDash(code: number): boolean {
  return code === 0x2d;
}

function isNotAlphanumeric(code: number): boolean {
  return !((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a));
}

/**
 * 8 hex characters of a 53-bit string hash (cyrb53). Not cryptographic — it only keeps shortened names apart —
 * and pure JavaScript, so start-up does not load node:crypto.
 */
export function shortHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  // The last 8 hex digits of cyrb53's 4294967296 * (2097151 & h2) + (h1 >>> 0) are those of h1 >>> 0, written
  // here as two 16-bit halves: small integers, which V8 writes in hex without the double-to-text path.
  return hex4(h1 >>> 16) + hex4(h1 & 0xffff);
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}
