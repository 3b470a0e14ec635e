/**
 * Load and validate a whole configuration at start-up: one typed, deeply frozen object, or one
 * `ConfigError` listing every problem by key, never by value.
 *
 * @module
 */
import type { Result } from "./_internal/external-types.ts";
import { noSourceIssue } from "./_internal/no-source.ts";
import { own } from "./_internal/own.ts";
import { readerOf } from "./_internal/read-source.ts";
import { err } from "./_internal/result.ts";
import { validateSpec } from "./_internal/validate-spec.ts";
import { ConfigError } from "./config-error.ts";
import type { EnvReader, EnvRecord } from "./env-source.ts";
import type { FieldLike, FieldValue } from "./field.ts";

/** Variable names mapped to fields (Keel coercers, `secret()`, or any Standard Schema of the raw string). */
export type ConfigSpec = Readonly<Record<string, FieldLike>>;

/** The loaded configuration of a spec: `Readonly<{ PORT: number; ... }>`, written so an editor shows the value types. */
export type Config<S extends ConfigSpec> = Readonly<{ [K in keyof S]: FieldValue<S[K]> }>;

/** Options for {@link loadConfig} and its variants. */
export interface LoadConfigOptions {
  /**
   * Where variables come from: an object (own properties only) or a reader function; defaults to the
   * runtime's environment (`runtimeEnv()`). Never modified.
   */
  readonly source?: EnvRecord | EnvReader;
  /**
   * The environment name, e.g. "production"; defaults to the source's `NODE_ENV`, else "development".
   * Production turns on `requiredIn: ["production"]` fields and the secret-strength rules.
   */
  readonly environment?: string;
}

/**
 * Loads and validates a configuration: `Ok` with the typed, deeply frozen config, or `Err` with one
 * `ConfigError` naming every missing or invalid key with a reason and no value. Never throws on any input
 * (a field schema that validates asynchronously is a programmer error: a `TypeError`).
 *
 * @example
 * ```ts
 * import { loadConfig, port, secret, url } from "@keel/secure-config";
 *
 * const loaded = loadConfig(
 *   { PORT: port(), UPSTREAM: url(), API_KEY: secret() },
 *   { source: { PORT: "eighty", API_KEY: "k-123" } },
 * );
 * console.assert(loaded.isErr() && loaded.error.issues.map((issue) => issue.key).join() === "PORT,UPSTREAM");
 * ```
 */
export function loadConfig<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigOptions = {},
): Result<Config<S>, ConfigError> {
  const read = readerOf(own(options, "source"));
  if (read === undefined) return err(new ConfigError({ issues: [noSourceIssue] }));
  return validateSpec(spec, read, own(options, "environment"));
}

/**
 * {@link loadConfig} for start-up code that cannot go on without its config: the config, or it throws the
 * `ConfigError` (uncaught, it ends the process with a message naming every bad key and no value).
 *
 * @example
 * ```ts
 * import { bool, loadConfigOrThrow, port, secret } from "@keel/secure-config";
 *
 * const config = loadConfigOrThrow(
 *   { PORT: port({ default: 3000 }), DEBUG: bool({ optional: true }), TOKEN: secret() },
 *   { source: { TOKEN: "t0k3n" } },
 * );
 * console.assert(config.PORT === 3000 && config.DEBUG === undefined && Object.isFrozen(config));
 * ```
 */
export function loadConfigOrThrow<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigOptions = {},
): Config<S> {
  const loaded = loadConfig(spec, options);
  if (loaded.isErr()) throw loaded.error;
  return loaded.value;
}
