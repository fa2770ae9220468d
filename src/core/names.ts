/**
 * Names of generated resources. One function, so pruning and lookup can never disagree.
 *
 * `resourceName(stream, suffix)` is `<stream>-<suffix>`, lowercased, with every run of characters outside
 * `[a-z0-9-]` replaced by `-`, trimmed of leading/trailing `-`. When that is longer than 63 characters
 * (a DNS label, the strictest limit among the kinds generated and AWS rule names), the stream part is cut
 * and an 8-character hash of the full name is inserted (also when characters had to be replaced), so distinct
 * streams keep distinct names:
 * `orders-workspace` stays as is; a 100-character stream name becomes `<first 40>-1a2b3c4d-workspace`.
 */
import { createHash } from 'node:crypto';

const MAX = 63;

export function resourceName(stream: string, suffix: string): string {
  const raw = `${stream}-${suffix}`;
  const full = dnsLabel(raw);
  // A name that had to be cleaned gets a hash too, so `Orders` and `orders` stay apart.
  if (full.length <= MAX && full === raw) return full;
  const hash = createHash('sha256').update(`${stream}\0${suffix}`).digest('hex').slice(0, 8);
  const room = MAX - suffix.length - hash.length - 2;
  const head = dnsLabel(stream).slice(0, Math.max(room, 1)).replace(/-+$/, '');
  return `${head}-${hash}-${dnsLabel(suffix)}`.slice(0, MAX).replace(/-+$/, '');
}

function dnsLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length <= MAX && cleaned === text) return cleaned;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX - 9).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
}
