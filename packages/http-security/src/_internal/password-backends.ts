/**
 * @module
 * Picks, once per process (or isolate), the fastest backend each algorithm has here, by feature
 * detection: node:crypto's `argon2` (Node >= 24.7, Bun) or else Bun.password or else @noble/hashes for
 * Argon2id; node:crypto's `scrypt` (Node, Deno, Bun, workerd with nodejs_compat) or else @noble/hashes for
 * scrypt. node:crypto is imported dynamically: on workerd without nodejs_compat the import is refused, and
 * a static import would break every module of the package there.
 */

import type { Argon2idBackend, ScryptBackend } from "./password-backend.ts";
import { type BunPassword, bunArgon2id, findBunPassword } from "./password-bun.ts";
import { nobleArgon2id, nobleScrypt } from "./password-noble.ts";
import { type NodeCryptoKdf, nodeArgon2id, nodeScrypt } from "./password-node.ts";

/** What the runtime offers. */
export interface PasswordRuntime {
  readonly nodeCrypto: NodeCryptoKdf | undefined;
  readonly bunPassword: BunPassword | undefined;
}

export interface PasswordBackends {
  readonly argon2id: Argon2idBackend;
  readonly scrypt: ScryptBackend;
}

export function selectBackends(runtime: PasswordRuntime): PasswordBackends {
  const noble = nobleArgon2id();
  const native = runtime.nodeCrypto === undefined ? undefined : nodeArgon2id(runtime.nodeCrypto);
  const argon2id =
    native ?? (runtime.bunPassword === undefined ? noble : bunArgon2id(runtime.bunPassword, noble));
  const scrypt =
    (runtime.nodeCrypto === undefined ? undefined : nodeScrypt(runtime.nodeCrypto)) ?? nobleScrypt();
  return { argon2id, scrypt };
}

async function importNodeCrypto(): Promise<NodeCryptoKdf | undefined> {
  try {
    return await import("node:crypto");
  } catch {
    return undefined; // workerd without nodejs_compat, a browser: no node:crypto
  }
}

let detected: Promise<PasswordBackends> | undefined;

/** This runtime's backends, detected on first use. Never rejects. */
export function loadBackends(): Promise<PasswordBackends> {
  detected ??= importNodeCrypto().then((nodeCrypto) =>
    selectBackends({ nodeCrypto, bunPassword: findBunPassword() }),
  );
  return detected;
}
