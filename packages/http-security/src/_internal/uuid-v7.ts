// A UUIDv7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, then version, 12 bits of a counter seeded
// at random each millisecond (so ids made in the same millisecond still sort in order), variant, 62 random
// bits. Web Crypto only.

let lastMillis = -1;
let counter = 0;

// Random bytes are drawn 4 KiB at a time: one getRandomValues call costs about as much as formatting an id.
const POOL_SIZE = 4096;
const pool = /* @__PURE__ */ new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes16(): Uint8Array {
  if (poolOffset === POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.slice(poolOffset, poolOffset + 16);
  // Zeroed once used, so no byte of one id can ever reappear in another.
  pool.fill(0, poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

const HEX: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, "0"),
);
const hex = (bytes: Uint8Array, from: number, to: number): string => {
  let text = "";
  for (let index = from; index < to; index++) text += HEX[bytes[index] ?? 0];
  return text;
};

/** A fresh UUIDv7 in its lower-case 8-4-4-4-12 form, ordered by creation time within the process. */
export function uuidV7(now: number = Date.now()): string {
  const bytes = randomBytes16();
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
  return `${hex(bytes, 0, 4)}-${hex(bytes, 4, 6)}-${hex(bytes, 6, 8)}-${hex(bytes, 8, 10)}-${hex(bytes, 10, 16)}`;
}
