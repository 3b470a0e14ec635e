/**
 * Pure-JS Argon2id and scrypt from @noble/hashes, on the main thread: the path of workerd (no threads, and
 * no WebAssembly compiled at run time) and the last resort elsewhere (a runtime whose worker thread cannot
 * start). Loaded on first use only. One derivation at a time (`limit`), yielding to the event loop every
 * few milliseconds, so the longest stall is one time slice, not one slice per hash in flight; the CPU time
 * is all spent on this thread, several times the native cost (see the README).
 *
 * @module
 */
import type { Argon2idBackend, ScryptBackend } from "./backend.ts";
import { argon2idFromDerive, scryptFromDerive, scryptMemoryBytes } from "./backend.ts";
import type { Limiter } from "./limiter.ts";

/** How long one slice runs before yielding, in ms (noble measures it with Date.now()). */
const ASYNC_TICK_MS = 10;

export function nobleArgon2id(limit: Limiter): Argon2idBackend {
  return argon2idFromDerive("@noble/hashes", "main thread", async (password, salt, cost, length) => {
    const { argon2idAsync } = await import("@noble/hashes/argon2.js");
    return limit(() =>
      argon2idAsync(password, salt, {
        m: cost.memoryCost,
        t: cost.timeCost,
        p: cost.parallelism,
        dkLen: length,
        asyncTick: ASYNC_TICK_MS,
      }),
    );
  });
}

export function nobleScrypt(limit: Limiter): ScryptBackend {
  return scryptFromDerive("@noble/hashes", "main thread", async (password, salt, cost, length) => {
    const { scryptAsync } = await import("@noble/hashes/scrypt.js");
    return limit(() =>
      scryptAsync(password, salt, {
        N: cost.cost,
        r: cost.blockSize,
        p: cost.parallelization,
        dkLen: length,
        maxmem: scryptMemoryBytes(cost),
        asyncTick: ASYNC_TICK_MS,
      }),
    );
  });
}
