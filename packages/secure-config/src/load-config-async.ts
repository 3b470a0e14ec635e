/**
 * Load a configuration with some values from async providers (a vault, Cloudflare Secrets Store).
 *
 * @module
 */
import type { ResultAsync } from "./_internal/external-types.ts";
import { noSourceIssue } from "./_internal/no-source.ts";
import { own } from "./_internal/own.ts";
import { readerOf } from "./_internal/read-source.ts";
import { ResultAsync as NeverthrowResultAsync } from "./_internal/result.ts";
import { MAX_TIMEOUT_MS, type ProviderOutcome, settleProvider } from "./_internal/settle-provider.ts";
import { validateSpec } from "./_internal/validate-spec.ts";
import type { ConfigError, ConfigIssue } from "./config-error.ts";
import type { Config, ConfigSpec, LoadConfigOptions } from "./load-config.ts";

/** A source of one value that takes time: a vault client, Cloudflare Secrets Store's `get()`. */
export type AsyncProvider = () => Promise<string | undefined>;

/** Options for {@link loadConfigAsync}. */
export interface LoadConfigAsyncOptions extends LoadConfigOptions {
  /** Per key, a provider whose value overrides the source's. */
  readonly providers: Readonly<Record<string, AsyncProvider>>;
  /** How long each provider may take, in ms: an integer from 1 to 2147483647 (`setTimeout`'s limit); default 5000. */
  readonly timeoutMs?: number;
}

/**
 * {@link loadConfig} with values from async providers merged in first (all in parallel). Every problem is
 * one issue of one `ConfigError`: a provider that throws, rejects or times out is an issue naming its key
 * (its error's message is not included, since a client library may quote the secret or a token in it),
 * reported together with every other key's issues. An invalid `timeoutMs` is an issue too. Never rejects.
 *
 * @example
 * ```ts
 * import { loadConfigAsync, secret } from "@keel/secure-config";
 *
 * const loaded = await loadConfigAsync(
 *   { DB_PASSWORD: secret() },
 *   { source: {}, providers: { DB_PASSWORD: async () => "from-the-vault" } },
 * );
 * console.assert(loaded.isOk() && loaded.value.DB_PASSWORD.reveal() === "from-the-vault");
 * ```
 */
export function loadConfigAsync<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigAsyncOptions,
): ResultAsync<Config<S>, ConfigError> {
  const timeoutMs = own(options, "timeoutMs") ?? 5000;
  const providers = Object.entries(own(options, "providers") ?? {});
  const timeoutValid = Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS;
  const settled: Promise<(readonly [string, ProviderOutcome])[]> = timeoutValid
    ? Promise.all(
        providers.map(async ([key, provider]) => [key, await settleProvider(provider, timeoutMs)] as const),
      )
    : Promise.resolve([]);
  return new NeverthrowResultAsync(
    settled.then((outcomes) => {
      const issues: ConfigIssue[] = [];
      if (!timeoutValid) {
        issues.push({
          key: "(timeoutMs)",
          reason: `expected an integer from 1 to ${MAX_TIMEOUT_MS} (milliseconds)`,
        });
      }
      const provided = new Map<string, unknown>();
      for (const [key, outcome] of outcomes) {
        if ("reason" in outcome) issues.push({ key, reason: outcome.reason });
        else provided.set(key, outcome.value);
      }
      const read = readerOf(own(options, "source"));
      if (read === undefined) issues.push(noSourceIssue);
      const readMerged = (key: string): unknown => (provided.has(key) ? provided.get(key) : read?.(key));
      return validateSpec(spec, readMerged, own(options, "environment"), issues);
    }),
  );
}

/**
 * {@link loadConfigAsync} for start-up code that cannot go on without its config: resolves to the config,
 * or rejects with the `ConfigError`.
 *
 * @example
 * ```ts
 * import { loadConfigAsyncOrThrow, secret } from "@keel/secure-config";
 *
 * const failing = loadConfigAsyncOrThrow(
 *   { KEY: secret() },
 *   { source: {}, providers: { KEY: () => Promise.reject(new Error("vault down")) } },
 * );
 * const error = await failing.catch((thrown: unknown) => thrown);
 * console.assert(String(error).includes("KEY: its provider failed"));
 * ```
 */
export async function loadConfigAsyncOrThrow<const S extends ConfigSpec>(
  spec: S,
  options: LoadConfigAsyncOptions,
): Promise<Config<S>> {
  const loaded = await loadConfigAsync(spec, options);
  if (loaded.isErr()) throw loaded.error;
  return loaded.value;
}
