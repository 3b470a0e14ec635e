/**
 * @module
 * Fields whose value is a `Secret`: any text (`secret()`), or a URL with credentials in it (`secretUrl()`),
 * with the strength rules production enforces.
 */
import { ok } from "@keel/result";
import { makeField } from "./_internal/make-field.ts";
import { own } from "./_internal/own.ts";
import { normaliseProtocols, parseUrl } from "./_internal/parse-url.ts";
import { weakness } from "./_internal/secret-strength.ts";
import type { UrlOptions } from "./coercers.ts";
import type { FieldFor, FieldOptions } from "./field.ts";
import { Secret } from "./secret.ts";

/** Options for {@link secret}. */
export interface SecretOptions extends FieldOptions<Secret> {
  /** Shortest value production accepts; default 16. */
  readonly minLength?: number;
  /** Least estimated entropy (bits, from the value's own character frequencies) production accepts; default 64. */
  readonly minEntropyBits?: number;
}

/**
 * A secret: the loaded value is a {@link Secret} that never prints. In production it must also be strong:
 * not a well-known default (`changeme`, `secret`, ...) nor a placeholder (`CHANGE_ME_IN_PRODUCTION`,
 * `your-256-bit-secret`, `replace-with-a-real-secret`), not a short pattern repeated, at least `minLength`
 * characters, at least `minEntropyBits` of estimated entropy, and not the same as another secret of the
 * config.
 *
 * @example
 * ```ts
 * import { loadConfig, secret } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ JWT_SECRET: secret() }, { source: { JWT_SECRET: "dev-only" } });
 * console.assert(loaded.isOk() && String(loaded.value.JWT_SECRET) === "[redacted]");
 * console.assert(loaded.isOk() && loaded.value.JWT_SECRET.reveal() === "dev-only");
 * ```
 */
export function secret<const O extends SecretOptions = Record<never, never>>(
  options?: O,
): FieldFor<Secret, O> {
  const minLength = own(options, "minLength") ?? 16;
  const minEntropyBits = own(options, "minEntropyBits") ?? 64;
  return makeField("secret()", (raw) => ok(new Secret(raw)), options, {
    secret: true,
    production: (raw) => weakness(raw, minLength, minEntropyBits),
  });
}

/** Options for {@link secretUrl}. */
export type SecretUrlOptions = Omit<UrlOptions, "default"> & FieldOptions<Secret<URL>>;

/**
 * A URL that may carry credentials (a database or Redis URL with its password), as a `Secret<URL>`: it
 * prints as `[redacted]` like any secret; `reveal()` gives the `URL`. `protocols` limits the scheme, with
 * or without the colon. The URL's password is not checked for strength.
 *
 * @example
 * ```ts
 * import { loadConfig, secretUrl } from "@keel/secure-config";
 *
 * const loaded = loadConfig(
 *   { DATABASE_URL: secretUrl({ protocols: ["postgres:", "postgresql:"] }) },
 *   { source: { DATABASE_URL: "postgres://app:hunter2@db.internal:5432/app" } },
 * );
 * console.assert(loaded.isOk() && !JSON.stringify(loaded.value).includes("hunter2"));
 * console.assert(loaded.isOk() && loaded.value.DATABASE_URL.reveal().hostname === "db.internal");
 * ```
 */
export function secretUrl<const O extends SecretUrlOptions = Record<never, never>>(
  options?: O,
): FieldFor<Secret<URL>, O> {
  const protocols = normaliseProtocols(own(options, "protocols"));
  return makeField(
    "secretUrl()",
    (raw) => parseUrl(raw, protocols).map((parsed) => new Secret(parsed)),
    options,
    {
      secret: true,
      checkValue: (value) => parseUrl(String(value.reveal()), protocols).map((parsed) => new Secret(parsed)),
    },
  );
}
