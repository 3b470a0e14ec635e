/**
 * Where variables come from: a plain object (tests, a Workers `env` binding) or the runtime's own
 * environment (`process.env` on Node, `Bun.env`, `Deno.env`), read key by key, own properties only, and
 * never modified.
 *
 * @module
 */
import { ReadRefusal } from "./_internal/read-refusal.ts";

/** A plain object of variables, such as a Workers `env` binding or a test fixture. */
export type EnvRecord = Readonly<Record<string, unknown>>;

/**
 * Reads one variable; `undefined` when unset. Whatever it throws is reported as "could not be read", never
 * with its message (a getter's or a client library's message may quote a secret).
 */
export type EnvReader = (key: string) => unknown;

interface RuntimeGlobals {
  Deno?: { env: { get(key: string): string | undefined } };
  Bun?: { env: Record<string, string | undefined> };
  process?: { env?: Record<string, string | undefined> };
}

/**
 * A reader for the runtime's own environment: `Deno.env` on Deno (one key at a time, so
 * `--allow-env=KEY,...` is enough), `Bun.env` on Bun, `process.env` on Node. On Workers there is no global
 * environment: pass the `env` binding as `source` instead. Returns undefined when the runtime has none.
 * Only the environment's own variables are read: a key inherited from a polluted `Object.prototype` is unset.
 *
 * @example
 * ```ts
 * import { runtimeEnv } from "@keel/secure-config";
 * const read = runtimeEnv();
 * console.assert(read === undefined || typeof read("PATH") === "string" || read("PATH") === undefined);
 * ```
 */
export function runtimeEnv(): EnvReader | undefined {
  const runtime = globalThis as RuntimeGlobals;
  const deno = runtime.Deno;
  if (deno !== undefined) {
    return (key) => {
      try {
        return deno.env.get(key);
      } catch {
        // Deno.errors.NotCapable (Deno 2) or PermissionDenied (Deno 1): say what to grant, not a stack.
        throw new ReadRefusal(`Deno may not read it: run with --allow-env=${key} (or --allow-env)`);
      }
    };
  }
  const env = runtime.Bun?.env ?? runtime.process?.env;
  // Workers with nodejs_compat have a process.env that is empty unless a flag fills it: not a source.
  const isWorkers =
    (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";
  return env === undefined || isWorkers
    ? undefined
    : (key) => (Object.hasOwn(env, key) ? env[key] : undefined);
}
