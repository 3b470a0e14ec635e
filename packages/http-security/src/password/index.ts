/**
 * Password hashing: Argon2id (default) or scrypt, stored as PHC strings that other libraries read and
 * write (node-argon2, Bun.password, passlib, the Argon2 reference), off the main thread on every runtime
 * that has threads (node:crypto's `argon2` on Node >= 24.7 and Bun; `Bun.password`; hash-wasm's
 * WebAssembly in a worker thread on Node < 24.7 and Deno; node:crypto's `scrypt`), verified in constant
 * time, with a length bound, Unicode normalization, and a verification for unknown users that costs what a
 * real one does. Workers bundlers take ./workerd.ts instead (the "workerd" export condition).
 *
 * @module
 */
import { loadBackends } from "./backends.ts";
import { buildPasswordHasher, type PasswordHasher, type PasswordHasherOptions } from "./hasher.ts";

// The errors and types both password entries export: one list, so they cannot drift apart.
export * from "./public-types.ts";

/**
 * Builds, once at set-up, a password hasher: Argon2id with OWASP's costs by default, PHC strings, the
 * fastest backend of the runtime off the main thread (detected on first use: native code, else hash-wasm's
 * WebAssembly in a worker thread; only workerd, which has no threads, hashes on the main thread, one at a
 * time; see the runtime table in the README). Every
 * result is a `Result`: a password that is empty, over `maxPasswordBytes` or not well-formed Unicode is a
 * tagged error (never truncated), and a stored hash that is malformed, of another algorithm or beyond
 * `maxMemoryKiB` is one too (never a throw). Bad options throw a `TypeError` here.
 *
 * @example
 * ```ts
 * import { createPasswordHasher } from "@keel/http-security/password";
 *
 * const passwords = createPasswordHasher(); // Argon2id, m=19456 KiB, t=2, p=1
 * const stored = await passwords.hash("correct horse battery staple");
 * if (stored.isOk()) {
 *   console.assert(stored.value.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
 *   const right = await passwords.verify(stored.value, "correct horse battery staple");
 *   const wrong = await passwords.verify(stored.value, "correct horse battery stapler");
 *   console.assert(right.isOk() && right.value === true && wrong.isOk() && wrong.value === false);
 *   console.assert(!passwords.needsRehash(stored.value));
 * }
 *
 * // An unknown account costs the same time as a wrong password, and answers false.
 * const unknown = await passwords.verifyUser(undefined, "guess");
 * console.assert(unknown.isOk() && unknown.value === false);
 *
 * // A stored hash from elsewhere that cannot be read is an error, never a throw.
 * const broken = await passwords.verify("$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$AAAA", "x");
 * console.assert(broken.isErr() && broken.error._tag === "PasswordHashUnsupported");
 * ```
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  return buildPasswordHasher(options, loadBackends);
}
