/**
 * Bun.password's native Argon2id, for a Bun whose node:crypto has no `argon2` yet (current Bun has both, and
 * node:crypto is preferred: it takes our salt and hands back the bytes, which we compare in constant time).
 * Bun.password picks its own 32-byte salt and one lane, so only `p = 1` is hashed here (other costs go to
 * `fallback`); it verifies any Argon2id PHC string, re-serialized from what `parsePhc` accepted.
 *
 * @module
 */
import type { Argon2idBackend } from "./backend.ts";
import type { Limiter } from "./limiter.ts";
import { type Argon2idPhc, parsePhc, serializePhc } from "./phc.ts";

/** The part of `Bun.password` used here. */
export interface BunPassword {
  hash(
    password: Uint8Array,
    options: { algorithm: "argon2id"; memoryCost: number; timeCost: number },
  ): Promise<string>;
  verify(password: Uint8Array, hash: string, algorithm?: "argon2id"): Promise<boolean>;
}

/** `globalThis.Bun.password`, when this is Bun. */
export function findBunPassword(): BunPassword | undefined {
  const bun = (globalThis as { Bun?: { password?: BunPassword } }).Bun;
  const password = bun?.password;
  return typeof password?.hash === "function" && typeof password.verify === "function" ? password : undefined;
}

export function bunArgon2id(
  password: BunPassword,
  fallback: Argon2idBackend,
  limit: Limiter,
): Argon2idBackend {
  return {
    name: "Bun.password",
    runsOn: "thread pool",
    async hash(secret, cost) {
      if (cost.parallelism !== 1) return fallback.hash(secret, cost);
      const text = await limit(() =>
        password.hash(secret, {
          algorithm: "argon2id",
          memoryCost: cost.memoryCost,
          timeCost: cost.timeCost,
        }),
      );
      const parsed = parsePhc(text, { maxMemoryKiB: cost.memoryCost });
      if (parsed.isErr() || parsed.value.algorithm !== "argon2id") {
        throw new Error("Bun.password.hash returned an unexpected string", { cause: parsed });
      }
      return parsed.value;
    },
    verify(secret, stored: Argon2idPhc) {
      return limit(() => password.verify(secret, serializePhc(stored), "argon2id"));
    },
  };
}
