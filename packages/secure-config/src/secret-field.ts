/**
 * Fields whose value is a `Secret`: any text (`secret()`), or a URL with credentials in it (`secretUrl()`),
 * with the strength rules production enforces.
 *
 * @module
 */
import { makeField } from "./_internal/make-field.ts";
import { own } from "./_internal/own.ts";
import { normaliseProtocols, parseUrl } from "./_internal/parse-url.ts";
import { err, ok } from "./_internal/result.ts";
import { characterCount, productionWeakness } from "./_internal/secret-strength.ts";
import type { UrlOptions } from "./coercers.ts";
import type { FieldFor, FieldOptions } from "./field.ts";
import { Secret } from "./secret.ts";

/** Options for {@link secret}. */
export interface SecretOptions extends FieldOptions<Secret> {
  /**
   * Fewest characters (code points) the value may have, in EVERY environment (development, staging,
   * production, ...), a default included. A positive integer. Unset: no minimum outside production, and 16 in
   * production (one of its strength rules).
   */
  readonly minLength?: number;
  /**
   * Production only: least estimated entropy (bits, from the value's own character frequencies); default 64.
   * A number from 0 up.
   */
  readonly minEntropyBits?: number;
}

const PRODUCTION_MIN_LENGTH = 16;

/**
 * A secret: the loaded value is a {@link Secret} that never prints. `minLength`, when given, holds in every
 * environment. In production the value must also pass the production-only strength rules (their reasons end
 * in "(production)"): not a well-known default (`changeme`, `secret`, ...), not a placeholder
 * (`CHANGE_ME_IN_PRODUCTION`, `your-256-bit-secret`), not made of common words and sequences
 * (`password1234567890`, `qwerty1234567890ab`; case, accents, full-width forms, separators and leetspeak do
 * not hide them), not a short pattern repeated, at least 16 characters unless `minLength` says otherwise, at
 * least `minEntropyBits` of estimated entropy, and not the same as another secret of the config. An invalid
 * option throws a `TypeError` here, at set-up.
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
  const minLength = own(options, "minLength");
  const minEntropyBits = own(options, "minEntropyBits") ?? 64;
  if (minLength !== undefined && !(Number.isSafeInteger(minLength) && minLength >= 1)) {
    throw new TypeError("secret(): minLength must be a positive integer");
  }
  if (!(typeof minEntropyBits === "number" && minEntropyBits >= 0 && Number.isFinite(minEntropyBits))) {
    throw new TypeError("secret(): minEntropyBits must be a finite number from 0 up");
  }
  const tooShort = `is shorter than ${minLength} characters`;
  const parse = (raw: string) =>
    minLength !== undefined && characterCount(raw) < minLength ? err(tooShort) : ok(new Secret(raw));
  return makeField("secret()", parse, options, {
    secret: true,
    // A Secret given as the default is checked like its text.
    checkValue: (value) =>
      value instanceof Secret ? parse(String(value.reveal())) : err("expected a Secret"),
    production: (raw) => productionWeakness(raw, minLength ?? PRODUCTION_MIN_LENGTH, minEntropyBits),
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
