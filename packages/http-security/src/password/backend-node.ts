/**
 * node:crypto's native Argon2id (`crypto.argon2`, Node >= 24.7 and Bun) and scrypt (`crypto.scrypt`: Node,
 * Deno, Bun, workerd with nodejs_compat), both asynchronous on the runtime's thread pool. The module is
 * handed in by the caller, which imports it dynamically behind feature detection; so is the limit on
 * derivations at once, which leaves libuv threads for file and DNS work and a core for the main thread.
 *
 * @module
 */
import type { Argon2idBackend, ScryptBackend } from "./backend.ts";
import { argon2idFromDerive, scryptFromDerive, scryptMemoryBytes } from "./backend.ts";
import type { Limiter } from "./limiter.ts";

type Callback = (error: Error | null, key: Uint8Array) => void;

/** The two functions of node:crypto this file uses, as far as it relies on them. */
export interface NodeCryptoKdf {
  readonly argon2?: unknown;
  readonly scrypt?: unknown;
}

type Argon2 = (
  algorithm: "argon2id",
  parameters: {
    message: Uint8Array;
    nonce: Uint8Array;
    parallelism: number;
    tagLength: number;
    memory: number;
    passes: number;
  },
  callback: Callback,
) => void;

type Scrypt = (
  password: Uint8Array,
  salt: Uint8Array,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
  callback: Callback,
) => void;

const bytes = (key: Uint8Array): Uint8Array => new Uint8Array(key.buffer, key.byteOffset, key.byteLength);

/** Argon2id through `crypto.argon2`, when the module has it. */
export function nodeArgon2id(module: NodeCryptoKdf, limit: Limiter): Argon2idBackend | undefined {
  if (typeof module.argon2 !== "function") return undefined;
  const argon2 = module.argon2 as Argon2;
  return argon2idFromDerive("node:crypto", "thread pool", (password, salt, cost, length) =>
    limit(
      () =>
        new Promise((resolve, reject) => {
          argon2(
            "argon2id",
            {
              message: password,
              nonce: salt,
              parallelism: cost.parallelism,
              tagLength: length,
              memory: cost.memoryCost,
              passes: cost.timeCost,
            },
            (error, key) => (error ? reject(error) : resolve(bytes(key))),
          );
        }),
    ),
  );
}

/** scrypt through `crypto.scrypt`, when the module has it. */
export function nodeScrypt(module: NodeCryptoKdf, limit: Limiter): ScryptBackend | undefined {
  if (typeof module.scrypt !== "function") return undefined;
  const scrypt = module.scrypt as Scrypt;
  return scryptFromDerive("node:crypto", "thread pool", (password, salt, cost, length) =>
    limit(
      () =>
        new Promise((resolve, reject) => {
          scrypt(
            password,
            salt,
            length,
            { N: cost.cost, r: cost.blockSize, p: cost.parallelization, maxmem: scryptMemoryBytes(cost) },
            (error, key) => (error ? reject(error) : resolve(bytes(key))),
          );
        }),
    ),
  );
}
