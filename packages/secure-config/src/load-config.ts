/**
 * @module
 * Load and validate a whole configuration at start-up: one typed, deeply frozen object, or one
 * `ConfigError` listing every problem by key, never by value.
 */
import { err, ok, type Result, ResultAsync } from "@keel/result";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { type EnvReader, type EnvRecord, runtimeEnv } from "./env-source.ts";
import { type Field, type FieldLike, type FieldValue, parseWithSchema } from "./field.ts";

/** Variable names mapped to fields (Keel coercers, `secret()`, or any Standard Schema of the raw string). */
export type ConfigSpec = Readonly<Record<string, FieldLike>>;

/** The loaded configuration of a spec. */
export type Config<S extends ConfigSpec> = { readonly [K in keyof S]: FieldValue<S[K]> };

/** Options for {@link loadConfig} and its variants. */
export interface LoadConfigOptions {
  /** Where variables come from; defaults to the runtime's environment (`runtimeEnv()`). Never modified. */
  readonly source?: EnvRecord | EnvReader;
  /**
   * The environment name, e.g. "production"; defaults to the source's `NODE_ENV`, else "development".
   * Production turns on `requiredIn: ["production"]` fields and the secret-strength rules.
   */
  readonly environment?: string;
}

const PRODUCTION = "production";

function readerOf(source: LoadConfigOptions["source"]): EnvReader | undefined {
  if (typeof source === "function") return source;
  if (source !== undefined) return (key) => (Object.hasOwn(source, key) ? source[key] : undefined);
  return runtimeEnv();
}

// A Standard Schema is recognised by its "~standard" property (zod schemas also have `parse` and `options`).
function isField(candidate: FieldLike): candidate is Field<unknown> {
  return !("~standard" in candidate);
}

/** A field from a bare Standard Schema: required, not secret, validating the raw string. */
function fieldOf(candidate: FieldLike): Field<unknown> {
  if (isField(candidate)) return candidate;
  return { secret: false, options: {}, parse: (raw) => parseWithSchema(candidate, raw, "loadConfig") };
}

// Values the loader made (json() and list() results) are frozen all the way down; defaults stay the caller's. Class
// instances (URL, Secret) are left alone: freezing them protects nothing (URL setters work on internal
// state) and was most of the cost of a load.
function deepFreeze<T>(value: T): T {
  if (
    Array.isArray(value) ||
    (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype)
  ) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function validate<S extends ConfigSpec>(
  spec: S,
  read: EnvReader,
  environment: string | undefined,
): Result<Config<S>, ConfigError> {
  const issues: ConfigIssue[] = [];
  const config: Record<string, unknown> = {};
  let env = environment ?? "development";
  if (environment === undefined) {
    // Unreadable NODE_ENV is an issue, not "development": that guess would switch off production's rules.
    try {
      const nodeEnv = read("NODE_ENV");
      if (typeof nodeEnv === "string" && nodeEnv !== "") env = nodeEnv;
    } catch (error) {
      const reason = error instanceof Error ? error.message : "could not be read";
      issues.push({ key: "NODE_ENV", reason: `${reason}, or pass \`environment\`` });
    }
  }
  const production = env === PRODUCTION;
  const secretOwners = new Map<string, string>();
  for (const key of Object.keys(spec)) {
    const current = fieldOf(spec[key] as FieldLike);
    const { options } = current;
    let raw: unknown;
    try {
      raw = read(key);
    } catch (error) {
      issues.push({ key, reason: error instanceof Error ? error.message : "could not be read" });
      continue;
    }
    if (raw !== undefined && typeof raw !== "string") {
      issues.push({ key, reason: "is a binding, not a text variable" });
      continue;
    }
    if (raw === undefined || (raw === "" && options.allowEmpty !== true)) {
      if ("default" in options) config[key] = options.default;
      else if (
        options.optional === true ||
        (options.requiredIn !== undefined && !options.requiredIn.includes(env))
      ) {
        config[key] = undefined;
      } else issues.push({ key, reason: raw === "" ? "empty" : "missing" });
      continue;
    }
    const parsed = current.parse(raw);
    if ("reason" in parsed) {
      issues.push({ key, reason: parsed.reason });
      continue;
    }
    if (production && current.production !== undefined) {
      const weakness = current.production(raw);
      if (weakness !== undefined) issues.push({ key, reason: `${weakness} (production)` });
    }
    if (production && current.secret) {
      const owner = secretOwners.get(raw);
      if (owner !== undefined) issues.push({ key, reason: `has the same value as ${owner} (production)` });
      else secretOwners.set(raw, key);
    }
    config[key] = deepFreeze(parsed.value);
  }
  if (issues.length > 0) return err(new ConfigError({ issues }));
  return ok(Object.freeze(config) as Config<S>);
}

function noSource(): ConfigError {
  return new ConfigError({
    issues: [
      {
        key: "(source)",
        reason: "this runtime has no global environment (Workers?): pass the env binding as `source`",
      },
    ],
  });
}

/**
 * Loads and validates a configuration. Never throws (a `TypeError` for an async field schema aside): every
 * problem is an issue of one `ConfigError`.
 *
 * @example
 * ```ts
 * import { port, safeLoadConfig, secret, url } from "@keel/secure-config";
 * const loaded = safeLoadConfig(
 *   { PORT: port(), DATABASE_URL: url(), API_KEY: secret() },
 *   { source: { PORT: "eighty", API_KEY: "k-123" } },
 * );
 * console.assert(loaded.isErr() && loaded.error.issues.map((i) => i.key).join() === "PORT,DATABASE_URL");
 * ```
 */
export function safeLoadConfig<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigOptions = {},
): Result<Config<S>, ConfigError> {
  const read = readerOf(options.source);
  return read === undefined ? err(noSource()) : validate(spec, read, options.environment);
}

/**
 * Loads and validates a configuration at start-up, or throws one `ConfigError` that lists every missing
 * or invalid key with its reason and no value. The result is typed and deeply frozen.
 *
 * @example
 * ```ts
 * import { bool, loadConfig, port, secret } from "@keel/secure-config";
 * const config = loadConfig(
 *   { PORT: port({ default: 3000 }), DEBUG: bool({ optional: true }), TOKEN: secret() },
 *   { source: { TOKEN: "t0k3n" } },
 * );
 * console.assert(config.PORT === 3000 && config.DEBUG === undefined && Object.isFrozen(config));
 * ```
 */
export function loadConfig<const S extends ConfigSpec>(spec: S, options: LoadConfigOptions = {}): Config<S> {
  const loaded = safeLoadConfig(spec, options);
  if (loaded.isErr()) throw loaded.error;
  return loaded.value;
}

/** A source of one value that takes time: a vault client, Cloudflare Secrets Store's `get()`. */
export type AsyncProvider = () => Promise<string | undefined>;

/** Options for {@link safeLoadConfigAsync}. */
export interface LoadConfigAsyncOptions extends LoadConfigOptions {
  /** Per key, a provider whose value overrides the source's. */
  readonly providers: Readonly<Record<string, AsyncProvider>>;
  /** How long each provider may take; default 5000 ms. */
  readonly timeoutMs?: number;
}

// Told apart by identity, so no provider error (whatever its message says) can pass as the timeout.
const timedOut = Symbol("timed out");

async function settleProvider(key: string, provider: AsyncProvider, timeoutMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), timeoutMs);
  });
  try {
    const value = await Promise.race([provider(), timeout]);
    if (value === timedOut) return { key, reason: `its provider did not answer within ${timeoutMs} ms` };
    return { key, value };
  } catch {
    return { key, reason: "its provider failed" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * {@link safeLoadConfig} with values from async providers merged in first (all in parallel). A provider
 * that throws, rejects or times out is an issue naming its key; its error message is not included, since
 * a client library may quote the secret or a token in it.
 *
 * @example
 * ```ts
 * import { safeLoadConfigAsync, secret } from "@keel/secure-config";
 * const loaded = await safeLoadConfigAsync(
 *   { DB_PASSWORD: secret() },
 *   { source: {}, providers: { DB_PASSWORD: async () => "from-the-vault" } },
 * );
 * console.assert(loaded.isOk() && loaded.value.DB_PASSWORD.reveal() === "from-the-vault");
 * ```
 */
export function safeLoadConfigAsync<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigAsyncOptions,
): ResultAsync<Config<S>, ConfigError> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const work = Promise.all(
    Object.entries(options.providers).map(([key, provider]) => settleProvider(key, provider, timeoutMs)),
  ).then((outcomes) => {
    const read = readerOf(options.source);
    if (read === undefined) return err(noSource());
    const failed = outcomes.flatMap((outcome) =>
      "reason" in outcome ? [{ key: outcome.key, reason: outcome.reason }] : [],
    );
    if (failed.length > 0) return err(new ConfigError({ issues: failed }));
    const provided = new Map(
      outcomes.map((outcome) => [outcome.key, "value" in outcome ? outcome.value : undefined]),
    );
    return validate(spec, (key) => (provided.has(key) ? provided.get(key) : read(key)), options.environment);
  });
  return new ResultAsync(work);
}

/**
 * {@link safeLoadConfigAsync} that rejects with the `ConfigError` instead of returning it.
 *
 * @example
 * ```ts
 * import { loadConfigAsync, secret } from "@keel/secure-config";
 * const failing = loadConfigAsync({ KEY: secret() }, { source: {}, providers: { KEY: () => Promise.reject(new Error("vault down")) } });
 * console.assert((await failing.catch((error) => error)).issues[0].reason === "its provider failed");
 * ```
 */
export async function loadConfigAsync<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigAsyncOptions,
): Promise<Config<S>> {
  const loaded = await safeLoadConfigAsync(spec, options);
  if (loaded.isErr()) throw loaded.error;
  return loaded.value;
}

/**
 * For Workers, where `env` arrives with each request: validates once per binding object and caches the
 * result (a WeakMap, so a retired binding is collected). Throws the (cached) `ConfigError` for a bad
 * binding. Workers have no `NODE_ENV` unless you bind one: pass `{ environment: "production" }` so the
 * production rules run.
 *
 * @example
 * ```ts
 * import { configForBinding, port, secret } from "@keel/secure-config";
 * const configOf = configForBinding({ PORT: port({ default: 8787 }), API_KEY: secret() });
 * const env = { API_KEY: "k-1" }; // in a Worker: the fetch handler's `env`
 * console.assert(configOf(env) === configOf(env) && configOf(env).PORT === 8787);
 * ```
 */
export function configForBinding<const S extends ConfigSpec>(
  spec: S,
  options: Omit<LoadConfigOptions, "source"> = {},
): (env: object) => Config<S> {
  // Failures are cached too: a bad binding throws the same ConfigError on every request, validated once.
  const cache = new WeakMap<object, Result<Config<S>, ConfigError>>();
  return (env) => {
    let loaded = cache.get(env);
    if (loaded === undefined) {
      loaded = safeLoadConfig(spec, { ...options, source: env as EnvRecord });
      cache.set(env, loaded);
    }
    if (loaded.isErr()) throw loaded.error;
    return loaded.value;
  };
}
