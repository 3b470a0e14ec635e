/**
 * @module
 * The one place that tells test code which runtime it is running on.
 *
 * Workers are checked first, by `navigator.userAgent`: inside workerd with `nodejs_compat`
 * (and always inside the vitest workerd pool) `process.version` reports a Node version.
 */

/** A runtime a Keel test suite runs on. */
export type Runtime = "workerd" | "deno" | "bun" | "node";

function detectRuntime(): Runtime {
  const global = globalThis as { navigator?: { userAgent?: string }; Deno?: unknown; Bun?: unknown };
  if (global.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (global.Deno !== undefined) return "deno";
  if (global.Bun !== undefined) return "bun";
  return "node";
}

/**
 * The runtime this code runs on.
 *
 * @example
 * ```ts
 * import { runtime } from "@keel/testing";
 * console.log(runtime); // "node", "bun", "deno" or "workerd"
 * ```
 */
export const runtime: Runtime = detectRuntime();
