/**
 * @module
 * The last resort: pure-JS Argon2id and scrypt from @noble/hashes, for runtimes with neither node:crypto's
 * argon2/scrypt nor Bun.password (workerd without nodejs_compat; Argon2id on Node < 24.7, Deno and workerd).
 * Loaded on first use only, so a runtime with a native path never evaluates it. It yields to the event loop
 * every few milliseconds, but the CPU time is all spent: several times the native cost (see the README).
 */
import {
  type Argon2idBackend,
  argon2idFromDerive,
  type ScryptBackend,
  scryptFromDerive,
  scryptMemoryBytes,
} from "./password-backend.ts";

const ASYNC_TICK_MS = 10;

export function nobleArgon2id(): Argon2idBackend {
  return argon2idFromDerive("@noble/hashes", async (password, salt, cost, length) => {
    const { argon2idAsync } = await import("@noble/hashes/argon2.js");
    return argon2idAsync(password, salt, {
      m: cost.memoryCost,
      t: cost.timeCost,
      p: cost.parallelism,
      dkLen: length,
      asyncTick: ASYNC_TICK_MS,
    });
  });
}

export function nobleScrypt(): ScryptBackend {
  return scryptFromDerive("@noble/hashes", async (password, salt, cost, length) => {
    const { scryptAsync } = await import("@noble/hashes/scrypt.js");
    return scryptAsync(password, salt, {
      N: cost.cost,
      r: cost.blockSize,
      p: cost.parallelization,
      dkLen: length,
      maxmem: scryptMemoryBytes(cost),
      asyncTick: ASYNC_TICK_MS,
    });
  });
}
