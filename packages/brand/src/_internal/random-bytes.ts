/** Fresh random bytes from a 4 KiB pool (crypto.getRandomValues costs microseconds a call on some machines). */

/** A source of random bytes: `length` fresh bytes, in a new array the caller may write into. */
export type RandomBytes = (length: number) => Uint8Array;

const POOL_SIZE = 4096;
let pool: Uint8Array | undefined; // drawn on first use: no work at import
let poolOffset = 0;

/** `length` (at most 4096) fresh random bytes from the pool, as a copy. */
export const randomBytes: RandomBytes = (length) => {
  if (pool === undefined || poolOffset + length > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    poolOffset = 0;
  }
  poolOffset += length;
  return pool.slice(poolOffset - length, poolOffset);
};
