/** The one piece of the protobuf wire format read by hand here (request tags, health checks): a varint. */

/** The varint at `at` (before `end`) and where the next field starts; undefined when it is cut short or longer than 53 bits. */
export function varint(bytes: Uint8Array, at: number, end: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let shift = 0, i = at; i < end && shift < 53; shift += 7, i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next: i + 1 };
  }
  return undefined;
}
