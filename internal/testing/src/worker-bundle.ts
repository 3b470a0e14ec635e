/**
 * @module
 * How Keel bundles a module Worker for real workerd, the way a user's Workers build would: one place for
 * the example harness and the consumer check.
 */
import { builtinModules } from "node:module";
import type { BuildOptions } from "esbuild";

/**
 * esbuild options for a module Worker: ESM, the `workerd`/`worker`/`browser` export conditions, and Node's
 * modules (`node:events`, and `events` as older packages such as pg write it) left to the runtime, as
 * Wrangler does: there they fail without a compatibility flag, which is the point of the check.
 *
 * @example
 * ```ts
 * import { build } from "esbuild";
 * import { workerBundleOptions } from "@keel/testing/worker-bundle";
 * await build({ ...workerBundleOptions, entryPoints: ["src/worker.ts"], outfile: "dist/worker.js" });
 * ```
 */
export const workerBundleOptions: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["node:*", "cloudflare:*", ...builtinModules],
  logLevel: "silent",
};
