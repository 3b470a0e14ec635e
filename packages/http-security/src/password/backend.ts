/**
 * What the password hasher needs from a key-derivation backend, and the one way every backend that hands
 * back the derived bytes (node:crypto, hash-wasm in a worker, @noble/hashes) hashes and verifies: a random 16-byte salt, a 32-byte
 * output, and a constant-time comparison (`timingSafeEqual`) of the bytes derived from the stored salt.
 *
 * @module
 */
import { timingSafeEqual } from "../timing-safe/timing-safe.ts";
import type { Argon2idPhc, ScryptPhc } from "./phc.ts";

/** What does the work: native code, WebAssembly (hash-wasm) or pure JS (@noble/hashes). */
export type PasswordBackendName = "node:crypto" | "Bun.password" | "hash-wasm" | "@noble/hashes";

/**
 * Where the work runs: the runtime's native thread pool, a worker thread of this package, or the main
 * thread (workerd, which has no threads: one hash at a time, in time slices).
 */
export type PasswordBackendThread = "thread pool" | "worker" | "main thread";

/** Argon2id costs, as in the PHC string: memory in KiB, passes, lanes. */
export interface Argon2idCost {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** scrypt costs: N, r, p. */
export interface ScryptCost {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
}

/** One algorithm on one backend: hash with fresh salt, or verify against a stored hash. May reject. */
export interface KdfBackend<Cost, Stored> {
  readonly name: PasswordBackendName;
  readonly runsOn: PasswordBackendThread;
  hash(password: Uint8Array, cost: Cost): Promise<Stored>;
  verify(password: Uint8Array, stored: Stored): Promise<boolean>;
}

export type Argon2idBackend = KdfBackend<Argon2idCost, Argon2idPhc>;
export type ScryptBackend = KdfBackend<ScryptCost, ScryptPhc>;

/** A derivation of `length` bytes from a password and a salt. */
export type Derive<Cost> = (
  password: Uint8Array,
  salt: Uint8Array,
  cost: Cost,
  length: number,
) => Promise<Uint8Array>;

export const SALT_LENGTH = 16;
export const HASH_LENGTH = 32;

/**
 * A backend from a derivation: hashing draws a fresh salt and derives `HASH_LENGTH` bytes, which `stored`
 * turns into the PHC fields; verifying derives again with the stored salt and costs and compares in
 * constant time.
 */
function fromDerive<Cost, Stored extends Cost & { salt: Uint8Array; hash: Uint8Array }>(
  name: PasswordBackendName,
  runsOn: PasswordBackendThread,
  derive: Derive<Cost>,
  stored: (cost: Cost, salt: Uint8Array, hash: Uint8Array) => Stored,
): KdfBackend<Cost, Stored> {
  return {
    name,
    runsOn,
    async hash(password, cost) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
      return stored(cost, salt, await derive(password, salt, cost, HASH_LENGTH));
    },
    async verify(password, phc) {
      return timingSafeEqual(await derive(password, phc.salt, phc, phc.hash.length), phc.hash);
    },
  };
}

export const argon2idFromDerive = (
  name: PasswordBackendName,
  runsOn: PasswordBackendThread,
  derive: Derive<Argon2idCost>,
): Argon2idBackend =>
  fromDerive(name, runsOn, derive, ({ memoryCost, timeCost, parallelism }, salt, hash) => {
    return { algorithm: "argon2id", memoryCost, timeCost, parallelism, salt, hash };
  });

export const scryptFromDerive = (
  name: PasswordBackendName,
  runsOn: PasswordBackendThread,
  derive: Derive<ScryptCost>,
): ScryptBackend =>
  fromDerive(name, runsOn, derive, ({ cost, blockSize, parallelization }, salt, hash) => {
    return { algorithm: "scrypt", cost, blockSize, parallelization, salt, hash };
  });

/** The bytes scrypt needs (RFC 7914: V is 128·r·N, B is 128·r·p), with room: both backends' `maxmem`. */
export const scryptMemoryBytes = ({ cost, blockSize, parallelization }: ScryptCost): number =>
  128 * blockSize * (cost + parallelization + 2) + 65_536;
