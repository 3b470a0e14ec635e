/**
 * The password entry for Workers (workerd), chosen by the "workerd" export condition (Wrangler, the
 * Cloudflare Vite plugin): the same API as ./index.ts without any `node:` import, so a Workers build prints
 * no warning about node:crypto. workerd has no threads and compiles no WebAssembly at run time, so keys are
 * stretched in pure JS (@noble/hashes) on the isolate's thread, one hash at a time, yielding every 10 ms
 * where the clock advances. At OWASP's costs that is about 0.25-0.6 s of CPU time per hash (see the README):
 * within the paid plan's CPU limit, over the free plan's 10 ms.
 *
 * @module
 */

import { buildPasswordHasher, type PasswordHasher, type PasswordHasherOptions } from "./hasher.ts";
import { mainThreadBackends, type PasswordBackends } from "./select-backends.ts";

// The errors and types both password entries export: one list, so they cannot drift apart.
export * from "./public-types.ts";

let backends: Promise<PasswordBackends> | undefined;
const load = (): Promise<PasswordBackends> => {
  backends ??= Promise.resolve(mainThreadBackends());
  return backends;
};

/**
 * `createPasswordHasher` of `@keel/http-security/password` as Workers get it: the same options and
 * results, with Argon2id and scrypt in pure JS on the isolate's thread, one hash at a time.
 *
 * @example
 * ```ts
 * import { createPasswordHasher } from "@keel/http-security/password";
 *
 * const passwords = createPasswordHasher();
 * const stored = await passwords.hash("correct horse battery staple");
 * const info = await passwords.backends();
 * console.assert(stored.isOk() && typeof info.argon2idRunsOn === "string");
 * ```
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  return buildPasswordHasher(options, load);
}
