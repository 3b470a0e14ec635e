/**
 * @module
 * The example-app harness: start an example app on one runtime, on a free 127.0.0.1 port, talk to it over
 * real HTTP, stop it. Runs in Node (vitest); the other runtimes come from the repo's `node_modules`.
 *
 * Every `examples/<name>/` follows one convention:
 *
 * | file           | what it is                                   | how the harness runs it                  |
 * |----------------|----------------------------------------------|------------------------------------------|
 * | `src/app.ts`   | `export default` the Hono app; no listening  | (imported by the entry files)            |
 * | `src/node.ts`  | `@hono/node-server` `serve`                  | `node src/node.ts` (Node 24 type strip)  |
 * | `src/bun.ts`   | `Bun.serve({ port, hostname, fetch })`       | `bun src/bun.ts`                         |
 * | `src/deno.ts`  | `Deno.serve({ port, hostname }, app.fetch)`  | `deno run -A --no-lock src/deno.ts`      |
 * | `src/worker.ts`| module worker: `export default app`          | esbuild bundle + generated config, `workerd serve` |
 *
 * The Node, Bun and Deno entries listen on `127.0.0.1` and the port in the `PORT` environment variable. The
 * worker gets `env` as text bindings. Workspace packages resolve to their `dist`: build them first.
 *
 * `runExampleToExit` is for the start-up that must fail (a bad environment): it runs a Node, Bun or Deno
 * entry like `startExample` does and returns its exit code and output instead of waiting for HTTP.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { build } from "esbuild";
import { binaries, readRuntimes } from "./binaries.ts";
import { type StartedProcess, startProcess } from "./process.ts";
import { workerBundleOptions } from "./worker-bundle.ts";
import { workerdConfig } from "./workerd-config.ts";

/** A runtime an example app runs on. */
export type ExampleRuntime = "node" | "bun" | "deno" | "workerd";

/** Every runtime an example must run on, in the order tests usually list them. */
export const exampleRuntimes: readonly ExampleRuntime[] = ["node", "bun", "deno", "workerd"];

// Types only: the harness does not load vitest, it tells vitest's TaskMeta about `runtime`.
import type {} from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** The server runtime an example's e2e test talks to; `npm test` counts results by it. */
    runtime?: ExampleRuntime;
  }
}

/**
 * The suite options that tag every test in a `describe` with the runtime it exercises, so that `npm test`
 * reads per-runtime counts from vitest's JSON report (`meta.runtime`) instead of from titles.
 *
 * @example
 * ```ts no-run
 * import { exampleRuntimes, onRuntime } from "@keel/testing/example-server";
 * import { describe, it } from "vitest";
 *
 * for (const runtime of exampleRuntimes) {
 *   describe(`my-example on ${runtime}`, onRuntime(runtime), () => {
 *     it("answers", () => {});
 *   });
 * }
 * ```
 */
export function onRuntime(runtime: ExampleRuntime): { readonly meta: { readonly runtime: ExampleRuntime } } {
  return { meta: { runtime } };
}

/** Options for {@link startExample}. */
export interface StartExampleOptions {
  /** The example's directory (the one holding `package.json` and `src/`); relative to the working directory. */
  readonly dir: string;
  readonly runtime: ExampleRuntime;
  /** Extra environment variables (for workerd: text bindings on the worker's `env`). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * workerd only: Durable Object bindings on the worker's `env`, binding name to the class `src/worker.ts`
   * exports (`{ LOGIN_LIMITER: "RateLimiterObject" }`), with in-memory storage.
   */
  readonly durableObjects?: Readonly<Record<string, string>>;
  /** How long to wait for the first HTTP answer; defaults to 20 s. */
  readonly readyTimeoutMs?: number;
}

/** A running example app. */
export interface ExampleServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly runtime: ExampleRuntime;
  /** Everything the process printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Kills the process group and waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
  /** Sends `signal` to the server process alone, e.g. SIGTERM to see it shut down gracefully. */
  kill(signal: NodeJS.Signals): void;
  /** The exit code once the process has exited and its output has closed (`null`: a signal ended it). */
  readonly closed: Promise<number | null>;
}

const POLL_INTERVAL_MS = 100;

/**
 * Starts an example app on a free loopback port and resolves once it answers HTTP. On a timeout or an early
 * exit it kills the process and rejects with everything the process printed.
 *
 * @example
 * ```ts
 * import { startExample } from "@keel/testing/example-server";
 *
 * const server = await startExample({ dir: "examples/result-hono", runtime: "deno" });
 * try {
 *   const response = await fetch(`${server.url}/users/nobody`);
 *   console.assert(response.status === 404);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function startExample(options: StartExampleOptions): Promise<ExampleServer> {
  const { runtime, env = {}, readyTimeoutMs = 60_000, durableObjects = {} } = options;
  const dir = resolvePath(options.dir);
  const port = await freePort();
  const launch = await prepare(runtime, dir, port, env, durableObjects);
  const server = spawnServer(launch, dir, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, server.exited, readyTimeoutMs);
  } catch (error) {
    await server.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${runtime} example in ${dir} did not start: ${reason}\n--- output ---\n${server.output()}`,
    );
  }
  return {
    url,
    runtime,
    output: server.output,
    stop: server.stop,
    kill: server.kill,
    closed: server.closed,
  };
}

/** Options for {@link runExampleToExit}. */
export interface RunExampleToExitOptions {
  /** The example's directory (the one holding `package.json` and `src/`); relative to the working directory. */
  readonly dir: string;
  /** Not workerd: a worker has no start-up to fail, its `env` arrives with each request. */
  readonly runtime: Exclude<ExampleRuntime, "workerd">;
  /** Extra environment variables; `PORT` is set to a free port, as for {@link startExample}. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long the process may run before it is killed and the call rejects; defaults to 20 s. */
  readonly timeoutMs?: number;
}

/** How an example process ended. */
export interface ExampleExit {
  /** The exit code; `null` when a signal ended the process. */
  readonly code: number | null;
  /** Everything the process printed, stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

/**
 * Runs an example's entry until the process exits by itself, e.g. to check that a bad environment stops it
 * before it serves. Rejects with everything the process printed when it is still running after `timeoutMs`
 * (it is killed first).
 *
 * @example
 * ```ts
 * import { runExampleToExit } from "@keel/testing/example-server";
 *
 * const { code, output } = await runExampleToExit({
 *   dir: "examples/secure-config-hono",
 *   runtime: "node",
 *   env: { DATABASE_URL: "not-a-url" },
 * });
 * console.assert(code !== 0 && output.includes("DATABASE_URL"));
 * ```
 */
export async function runExampleToExit(options: RunExampleToExitOptions): Promise<ExampleExit> {
  const { runtime, env = {}, timeoutMs = 20_000 } = options;
  const dir = resolvePath(options.dir);
  const port = await freePort();
  const launch = await prepare(runtime, dir, port, env);
  const server = spawnServer(launch, dir, { ...env, PORT: String(port) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  // `closed`, not `exited`: it also waits for the pipes to drain, so the output is complete.
  const outcome = await Promise.race([server.closed, timeout]);
  clearTimeout(timer);
  await server.stop();
  if (outcome === "timeout") {
    const reason = `${runtime} example in ${dir} was still running after ${timeoutMs} ms`;
    throw new Error(`${reason}\n--- output ---\n${server.output()}`);
  }
  return { code: outcome, output: server.output() };
}

interface ServerProcess {
  readonly exited: Promise<void>;
  /** The exit code once the process has exited and its stdout and stderr have closed (null: a signal). */
  readonly closed: Promise<number | null>;
  output(): string;
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** Spawns the launch command in its own process group (see `@keel/testing/process`). */
function spawnServer(launch: Launch, dir: string, env: Readonly<Record<string, string>>): ServerProcess {
  const started: StartedProcess = startProcess(launch.command, launch.args, { cwd: dir, env });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= started.stop().finally(launch.cleanup);
    return stopping;
  };
  const kill = (signal: NodeJS.Signals): void => void started.child.kill(signal);
  return { exited: started.exited, closed: started.closed, output: started.output, stop, kill };
}

/** A free TCP port on 127.0.0.1: bind port 0, read the port the OS chose, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => (port === 0 ? reject(new Error("no port assigned")) : resolve(port)));
    });
  });
}

interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cleanup: () => Promise<void>;
}

const nothingToClean = async (): Promise<void> => {};

async function prepare(
  runtime: ExampleRuntime,
  dir: string,
  port: number,
  env: Readonly<Record<string, string>>,
  durableObjects: Readonly<Record<string, string>> = {},
): Promise<Launch> {
  switch (runtime) {
    case "node":
      // Node 24 (the root devDependency) runs `.ts` by type stripping.
      return { command: binaries.node24, args: ["src/node.ts"], cleanup: nothingToClean };
    case "bun":
      return { command: binaries.bun, args: ["src/bun.ts"], cleanup: nothingToClean };
    case "deno":
      // --no-lock: do not write a deno.lock into the example; npm packages come from node_modules.
      return {
        command: binaries.deno,
        args: ["run", "-A", "--no-lock", "src/deno.ts"],
        cleanup: nothingToClean,
      };
    case "workerd":
      return prepareWorkerd(dir, port, env, durableObjects);
  }
}

/** Bundles `src/worker.ts` and writes a workerd config next to it, in a fresh temp dir. */
async function prepareWorkerd(
  dir: string,
  port: number,
  env: Readonly<Record<string, string>>,
  durableObjects: Readonly<Record<string, string>>,
): Promise<Launch> {
  const outDir = await mkdtemp(join(tmpdir(), "keel-workerd-"));
  const cleanup = () => rm(outDir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: [join(dir, "src", "worker.ts")],
      outfile: join(outDir, "worker.js"),
      ...workerBundleOptions,
    });
    const config = workerdConfig({
      mainModule: "worker.js",
      compatibilityDate: readRuntimes().workerdCompatibilityDate,
      compatibilityFlags: ["nodejs_compat"],
      bindings: env,
      durableObjects,
      // Examples may talk to the PostgreSQL and Redis on this machine (127.0.0.1) over TCP sockets.
      allowNetworks: ["public", "local"],
      port,
    });
    await writeFile(join(outDir, "config.capnp"), config);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { command: binaries.workerd, args: ["serve", join(outDir, "config.capnp"), "--verbose"], cleanup };
}

/** Polls `url` until any HTTP response arrives; rejects on timeout or when the process exits first. */
async function waitUntilAnswering(url: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error("the process exited before answering HTTP");
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
  throw new Error(`no HTTP answer from ${url} within ${timeoutMs} ms`);
}
