// A UUIDv7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then version, 12 bits of a counter seeded
// at random each millisecond (so ids made in the same millisecond still sort in order), variant, 62 random
// bits. Web Crypto only.

let lastMillis = -1;
let counter = 0;

const hex = (byte: number): string => byte.toString(16).padStart(2, "0");

/** A fresh UUIDv7 in its lower-case 8-4-4-4-12 form, ordered by creation time within the process. */
export function uuidV7(now: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let millis = Math.max(now, lastMillis);
  if (millis === lastMillis) {
    counter++;
    if (counter > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next millisecond rather than break the order.
      millis++;
      counter = (bytes[6] ?? 0) & 0x7;
    }
  } else {
    // Seeded low (at most 0x7ff) so a millisecond has room for at least 2,048 more ids.
    counter = (((bytes[6] ?? 0) & 0x7) << 8) | (bytes[7] ?? 0);
  }
  lastMillis = millis;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = millis % 256;
    millis = Math.floor(millis / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const text = Array.from(bytes, hex).join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
