/**
 * Finds, once per process (or isolate), what the runtime offers, by feature detection, so that no
 * runtime stretches keys on its main thread when it has another: Argon2id on node:crypto's `argon2`
 * (Node >= 24.7, Bun), else Bun.password, else a worker thread running hash-wasm's WebAssembly (Node < 24.7,
 * Deno), else @noble/hashes on the main thread; scrypt on node:crypto's `scrypt` (Node, Deno, Bun, workerd
 * with nodejs_compat), else @noble/hashes. node:crypto, node:os and node:worker_threads are imported
 * dynamically: on workerd the refused import falls back instead of breaking the package. (Bundlers for
 * Workers pick ./workerd.ts through the "workerd" export condition and never see these imports.)
 *
 * @module
 */

import { findBunPassword } from "./backend-bun.ts";
import type { NodeCryptoKdf } from "./backend-node.ts";
import { type PasswordBackends, selectBackends } from "./select-backends.ts";
import { startArgon2idPool } from "./worker-pool.ts";

async function importNodeCrypto(): Promise<NodeCryptoKdf | undefined> {
  try {
    return await import("node:crypto");
  } catch {
    return undefined; // workerd without nodejs_compat, a browser: no node:crypto
  }
}

/** This machine's cores: navigator (Node >= 21, Deno, Bun), else node:os (Node 20), else 2. */
async function cores(): Promise<number> {
  const hardware = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  if (typeof hardware === "number" && hardware >= 1) return hardware;
  try {
    const os = (await import("node:os")) as { availableParallelism?: () => number };
    return os.availableParallelism?.() ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Derivations at once: one core is left to the main thread (a busy main thread is a stalled server), at
 * most 3 on libuv's pool of 4 (one is left for files and DNS) and at most 4 worker threads (each holds
 * its own 19 MiB at OWASP's costs).
 */
export const lanes = (cores: number, most: number): number => Math.max(1, Math.min(most, cores - 1));

async function detect(): Promise<PasswordBackends> {
  const nodeCrypto = await importNodeCrypto();
  const bunPassword = findBunPassword();
  const count = await cores();
  const native = typeof nodeCrypto?.argon2 === "function" || bunPassword !== undefined;
  const argon2idPool = native ? undefined : await startArgon2idPool(lanes(count, 4));
  return selectBackends({ nodeCrypto, bunPassword, argon2idPool, nativeLanes: lanes(count, 3) });
}

let detected: Promise<PasswordBackends> | undefined;

/** This runtime's backends, detected on first use. Never rejects. */
export function loadBackends(): Promise<PasswordBackends> {
  // A detection that throws (it should not) leaves the main thread's backends, never a rejected hasher.
  detected ??= detect().catch(() => selectBackends({ nodeCrypto: undefined, bunPassword: undefined }));
  return detected;
}
