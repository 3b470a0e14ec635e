/**
 * Which backend does each algorithm, from what the runtime offers (found by ./backends.ts, or nothing but
 * the main thread on workerd: ./workerd.ts), in order of preference: native code on a thread pool, then
 * WebAssembly in a worker thread, then pure JS on the main thread. No `node:` import here: the Workers
 * entry loads this file.
 *
 * @module
 */
import { type Argon2idBackend, argon2idFromDerive, type ScryptBackend } from "./backend.ts";
import { type BunPassword, bunArgon2id } from "./backend-bun.ts";
import { nobleArgon2id, nobleScrypt } from "./backend-noble.ts";
import { type NodeCryptoKdf, nodeArgon2id, nodeScrypt } from "./backend-node.ts";
import { createLimiter } from "./limiter.ts";
import type { Argon2idPool } from "./worker-pool.ts";

/** What the runtime offers. */
export interface PasswordRuntime {
  readonly nodeCrypto: NodeCryptoKdf | undefined;
  readonly bunPassword: BunPassword | undefined;
  /** A started pool of Argon2id worker threads, where the runtime has threads and no native Argon2id. */
  readonly argon2idPool?: Argon2idPool | undefined;
  /** Native derivations at once (thread-pool backends); 1 when not given. */
  readonly nativeLanes?: number;
}

export interface PasswordBackends {
  readonly argon2id: Argon2idBackend;
  readonly scrypt: ScryptBackend;
}

export function selectBackends(runtime: PasswordRuntime): PasswordBackends {
  // noble's Argon2id and scrypt share the one thread, and let timers and I/O run between two derivations
  const mainThread = createLimiter(1, { turnBetweenTasks: true });
  const native = createLimiter(runtime.nativeLanes ?? 1);
  const noble = nobleArgon2id(mainThread);
  const pool = runtime.argon2idPool;
  const fallback = pool === undefined ? noble : argon2idFromDerive(pool.engine, "worker", pool.derive);
  const nodeCrypto = runtime.nodeCrypto;
  const argon2id =
    (nodeCrypto === undefined ? undefined : nodeArgon2id(nodeCrypto, native)) ??
    (runtime.bunPassword === undefined ? fallback : bunArgon2id(runtime.bunPassword, fallback, native));
  const scrypt =
    (nodeCrypto === undefined ? undefined : nodeScrypt(nodeCrypto, native)) ?? nobleScrypt(mainThread);
  return { argon2id, scrypt };
}

/** Only noble, on the main thread: workerd, where there is nothing else (./workerd.ts). */
export function mainThreadBackends(): PasswordBackends {
  return selectBackends({ nodeCrypto: undefined, bunPassword: undefined });
}
