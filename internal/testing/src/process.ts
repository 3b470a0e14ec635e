/**
 * @module
 * Child processes for scripts and test harnesses: each runs in its own process group, so that stopping it (or
 * a timeout) also ends whatever it started (npm's node, workerd, a runtime's workers). One implementation for
 * the example-app harness, the consumer check and the test matrix.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** Options for {@link startProcess} and {@link runProcess}. */
export interface ProcessOptions {
  readonly cwd: string;
  /** Added to the caller's environment (without `npm run`'s `npm_*` variables) and the no-colour settings. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A started process. */
export interface StartedProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (or failed to spawn). */
  readonly exited: Promise<void>;
  /** The exit code once the process has exited and its stdout and stderr have closed (null: a signal). */
  readonly closed: Promise<number | null>;
  /** Everything the process printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** What it printed on stdout only. */
  stdout(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`, then waits for the exit. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** How a process run by {@link runProcess} ended. */
export interface ProcessResult {
  /** The exit code; null when a signal ended it (e.g. the timeout's SIGKILL) or it could not spawn. */
  readonly code: number | null;
  readonly stdout: string;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly seconds: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every process group this module started and that is still running (for a SIGINT handler). */
export function killAllStarted(): void {
  for (const child of running) killGroup(child, "SIGKILL");
}

/** Sends `signal` to the child's whole process group; a group that is already gone is not an error. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * The caller's environment without `npm run`'s npm_* variables (which would point npm back at the repo) and
 * without FORCE_COLOR (Deno colours whenever it is set, even to 0); NO_COLOR turns colour off everywhere.
 */
export function childEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("npm_") && name !== "FORCE_COLOR"),
  );
  return { ...env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...extra };
}

/**
 * Starts `command` in its own process group with piped output. The process is killed if this process exits
 * without stopping it.
 *
 * @example
 * ```ts
 * import { startProcess } from "@keel/testing/process";
 *
 * const sleeper = startProcess("sleep", ["30"], { cwd: "." });
 * await sleeper.stop();
 * console.assert((await sleeper.closed) === null);
 * ```
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): StartedProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killAllStarted);
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: childEnvironment({ PWD: options.cwd, ...options.env }),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stop() and timeouts also end anything it spawned.
    detached: true,
  });
  running.add(child);
  let output = "";
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // A failed spawn (a missing binary) emits "error" and never "exit".
    child.once("error", (error) => {
      output += `\n[process] spawn of ${command} failed: ${error.message}\n`;
      resolve();
    });
  });
  const closed = new Promise<number | null>((resolve) => {
    child.once("close", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
  void closed.then(() => running.delete(child));
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 3_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, "SIGTERM");
        const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything it left behind in its group goes too.
      killGroup(child, "SIGKILL");
      running.delete(child);
    })();
    return stopping;
  };
  return { child, exited, closed, output: () => output, stdout: () => stdout, stop };
}

/**
 * Runs `command` to completion; after `timeoutMs` its whole process group is killed (`timedOut: true`).
 *
 * @example
 * ```ts
 * import { runProcess } from "@keel/testing/process";
 *
 * const result = await runProcess("echo", ["hi"], { cwd: ".", timeoutMs: 5_000 });
 * console.assert(result.code === 0 && result.stdout === "hi\n");
 * ```
 */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions & { readonly timeoutMs: number },
): Promise<ProcessResult> {
  const started = performance.now();
  const child = startProcess(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.child, "SIGKILL");
  }, options.timeoutMs);
  const code = await child.closed;
  clearTimeout(timer);
  await child.stop();
  const seconds = (performance.now() - started) / 1000;
  return { code, stdout: child.stdout(), output: child.output(), timedOut, seconds };
}

/** The last `count` lines of a process's output, for a failure message. */
export function lastLines(text: string, count = 25): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/**
 * Runs a command and throws a message naming `description` unless it exits with 0 in time.
 *
 * @example
 * ```ts
 * import { mustSucceed } from "@keel/testing/process";
 *
 * const { stdout } = await mustSucceed("node --version", process.execPath, ["--version"], { cwd: "." });
 * console.assert(stdout.startsWith("v"));
 * ```
 */
export async function mustSucceed(
  description: string,
  command: string,
  args: readonly string[],
  options: ProcessOptions & { readonly timeoutMs?: number },
): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = await runProcess(command, args, { ...options, timeoutMs });
  if (result.timedOut) {
    throw new Error(`${description} did not finish within ${timeoutMs / 1000} s and was killed`);
  }
  if (result.code !== 0) {
    throw new Error(`${description} exited with code ${result.code}:\n${lastLines(result.output)}`);
  }
  return result;
}

/**
 * Runs `work` on every item, at most `width` at a time (default 2: one per core of the machines this repo
 * is tested on), and gives the results in the items' order.
 *
 * @example
 * ```ts
 * import { runPool } from "@keel/testing/process";
 * const doubled = await runPool([1, 2, 3], async (n) => n * 2);
 * console.assert(doubled.join() === "2,4,6");
 * ```
 */
export async function runPool<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  width = 2,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
