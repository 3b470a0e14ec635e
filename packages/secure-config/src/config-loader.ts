/**
 * For Workers, where `env` arrives with each request: a loader that validates each binding object once.
 *
 * @module
 */
import type { Result } from "./_internal/external-types.ts";
import { own } from "./_internal/own.ts";
import type { ConfigError } from "./config-error.ts";
import type { EnvRecord } from "./env-source.ts";
import { type Config, type ConfigSpec, type LoadConfigOptions, loadConfig } from "./load-config.ts";

/**
 * Builds (once) a loader for sources that arrive later, such as a Worker's `env` binding with each request:
 * `load(env)` validates a binding object the first time it sees it and caches the `Result` (in a WeakMap, so
 * a retired binding is collected). A bad binding is validated once too: every later call gets the same
 * `ConfigError`. Workers have no `NODE_ENV` unless you bind one: pass `{ environment: "production" }` so
 * the production rules run.
 *
 * @example
 * ```ts
 * import { createConfigLoader, port, secret } from "@keel/secure-config";
 *
 * const loadFromEnv = createConfigLoader({ PORT: port({ default: 8787 }), API_KEY: secret() });
 * const env = { API_KEY: "k-1" }; // in a Worker: the fetch handler's `env`
 * const loaded = loadFromEnv(env);
 * console.assert(loaded === loadFromEnv(env) && loaded.isOk() && loaded.value.PORT === 8787);
 * ```
 */
export function createConfigLoader<const S extends ConfigSpec>(
  spec: S,
  options: Omit<LoadConfigOptions, "source"> = {},
): (env: object) => Result<Config<S>, ConfigError> {
  const given = own(options, "environment");
  const environment = given === undefined ? {} : { environment: given };
  const cache = new WeakMap<object, Result<Config<S>, ConfigError>>();
  return (env) => {
    let loaded = cache.get(env);
    if (loaded === undefined) {
      loaded = loadConfig(spec, { ...environment, source: env as EnvRecord });
      cache.set(env, loaded);
    }
    return loaded;
  };
}
