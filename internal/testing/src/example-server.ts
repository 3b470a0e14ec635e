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
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { workerBundleOptions } from "./worker-bundle.ts";

/** A runtime an example app runs on. */
export type ExampleRuntime = "node" | "bun" | "deno" | "workerd";

/** Every runtime an example must run on, in the order tests usually list them. */
export const exampleRuntimes: readonly ExampleRuntime[] = ["node", "bun", "deno", "workerd"];

/** Options for {@link startExample}. */
export interface StartExampleOptions {
  /** The example's directory (the one holding `package.json` and `src/`); relative to the working directory. */
  readonly dir: string;
  readonly runtime: ExampleRuntime;
  /** Extra environment variables (for workerd: text bindings on the worker's `env`). */
  readonly env?: Readonly<Record<string, string>>;
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
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const bin = (name: string): string => join(repoRoot, "node_modules", ".bin", name);

const STOP_GRACE_MS = 3_000;
const POLL_INTERVAL_MS = 100;

/** Processes still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

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
  const { runtime, env = {}, readyTimeoutMs = 20_000 } = options;
  const dir = resolvePath(options.dir);
  const port = await freePort();
  const launch = await prepare(runtime, dir, port, env);
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
  return { url, runtime, output: server.output, stop: server.stop };
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
}

/** Spawns the launch command in its own process group, recording everything it prints. */
function spawnServer(launch: Launch, dir: string, env: Readonly<Record<string, string>>): ServerProcess {
  const child = spawn(launch.command, launch.args, {
    cwd: dir,
    env: { ...process.env, PWD: dir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stop() also ends anything the runtime spawned.
    detached: true,
  });
  running.add(child);
  let output = "";
  const record = (chunk: string): void => {
    output += chunk;
  };
  child.stdout?.setEncoding("utf8").on("data", record);
  child.stderr?.setEncoding("utf8").on("data", record);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // A failed spawn (a missing binary) emits "error" and never "exit".
    child.once("error", (error) => {
      record(`\n[harness] spawn failed: ${error.message}\n`);
      resolve();
    });
  });
  const closed = new Promise<number | null>((resolve) => {
    child.once("close", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopProcess(child, exited).finally(launch.cleanup);
    return stopping;
  };
  return { exited, closed, output: () => output, stop };
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
): Promise<Launch> {
  switch (runtime) {
    case "node":
      // node_modules/.bin/node is Node 24 (the root devDependency), which runs `.ts` by type stripping.
      return { command: bin("node"), args: ["src/node.ts"], cleanup: nothingToClean };
    case "bun":
      return { command: bin("bun"), args: ["src/bun.ts"], cleanup: nothingToClean };
    case "deno":
      // --no-lock: do not write a deno.lock into the example; npm packages come from node_modules.
      return {
        command: bin("deno"),
        args: ["run", "-A", "--no-lock", "src/deno.ts"],
        cleanup: nothingToClean,
      };
    case "workerd":
      return prepareWorkerd(dir, port, env);
  }
}

/** Bundles `src/worker.ts` and writes a workerd config next to it, in a fresh temp dir. */
async function prepareWorkerd(
  dir: string,
  port: number,
  env: Readonly<Record<string, string>>,
): Promise<Launch> {
  const outDir = await mkdtemp(join(tmpdir(), "keel-workerd-"));
  const cleanup = () => rm(outDir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: [join(dir, "src", "worker.ts")],
      outfile: join(outDir, "worker.js"),
      ...workerBundleOptions,
    });
    await writeFile(join(outDir, "config.capnp"), workerdConfig(port, await compatibilityDate(), env));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { command: bin("workerd"), args: ["serve", join(outDir, "config.capnp"), "--verbose"], cleanup };
}

/** The workerd compatibility date every Keel test uses, from `runtimes.json`. */
async function compatibilityDate(): Promise<string> {
  const runtimes = JSON.parse(await readFile(join(repoRoot, "runtimes.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const date = runtimes.workerdCompatibilityDate;
  if (typeof date !== "string") throw new Error("runtimes.json has no workerdCompatibilityDate");
  return date;
}

/** A workerd config: one module worker with `nodejs_compat`, served on 127.0.0.1:`port`. */
function workerdConfig(
  port: number,
  compatibilityDate: string,
  env: Readonly<Record<string, string>>,
): string {
  // JSON string literals are valid Cap'n Proto text literals for the printable values tests pass.
  const bindings = Object.entries(env).map(
    ([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  compatibilityFlags = ["nodejs_compat"],
  bindings = [${bindings.join(", ")}],
);
`;
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

/** SIGTERM to the group, SIGKILL after a grace period, then wait for the exit. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  // Anything the runtime left behind in its group goes too.
  killGroup(child, "SIGKILL");
  running.delete(child);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
