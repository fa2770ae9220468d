/**
 * RunFunctionRequest.meta.tag read straight from the request's bytes, so that a request whose answer is
 * already cached need not be decoded (its observed state, Structs included, is most of its size). Only the
 * two length-delimited fields on the way are interpreted; everything else is skipped by its wire type, and
 * bytes that are not well-formed give undefined (the full decoder then reports them as usual).
 */

import { varint } from './protobuf.js';

/** Field 1 of RunFunctionRequest (meta) and field 1 of RequestMeta (tag) are both length-delimited. */
const META = 1;
const TAG = 1;
const LENGTH_DELIMITED = 2;
const UTF8 = new TextDecoder('utf-8', { fatal: false });

export function requestTag(bytes: Uint8Array): string | undefined {
  const meta = lastField(bytes, 0, bytes.length, META);
  if (meta === undefined) return undefined;
  const tag = lastField(bytes, meta.start, meta.end, TAG);
  return tag === undefined ? undefined : UTF8.decode(bytes.subarray(tag.start, tag.end));
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The last occurrence of a length-delimited field between `start` and `end` (protobuf: the last one wins). */
function lastField(bytes: Uint8Array, start: number, end: number, field: number): Span | undefined {
  let found: Span | undefined;
  let at = start;
  while (at < end) {
    const key = varint(bytes, at, end);
    if (key === undefined) return undefined;
    at = key.next;
    const wireType = key.value % 8;
    const number = Math.floor(key.value / 8);
    if (wireType === 0) {
      const value = varint(bytes, at, end);
      if (value === undefined) return undefined;
      at = value.next;
    } else if (wireType === 1 || wireType === 5) {
      at += wireType === 1 ? 8 : 4;
    } else if (wireType === LENGTH_DELIMITED) {
      const length = varint(bytes, at, end);
      if (length === undefined || length.next + length.value > end) return undefined;
      if (number === field) found = { start: length.next, end: length.next + length.value };
      at = length.next + length.value;
    } else {
      return undefined; // groups (3, 4) do not occur in these messages; anything else is not protobuf
    }
  }
  return at === end ? found : undefined;
}
