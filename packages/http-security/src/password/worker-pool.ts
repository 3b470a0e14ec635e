/**
 * A small pool of worker threads that derive Argon2id keys (./argon2-worker.js: hash-wasm's WebAssembly, or
 * @noble/hashes where WebAssembly cannot be compiled), for runtimes with threads but no native Argon2id:
 * Node < 24.7 and Deno. The main thread only posts the job and reads the key, so 50 logins at once do not
 * stall it. Threads start on demand, up to `size`; each does one derivation at a time and the rest queue.
 * An idle thread does not keep the process alive (`unref`). A thread that dies fails its job and is
 * replaced on the next one. node:worker_threads is imported dynamically: workerd has no threads, and its
 * entry (./workerd.ts) never loads this file.
 *
 * @module
 */
import type { Argon2idCost, Derive } from "./backend.ts";

/** The engine a worker thread runs. */
export type WorkerEngine = "hash-wasm" | "@noble/hashes";

type Reply = { ready: WorkerEngine } | { id: number; key: Uint8Array } | { id: number; error: string };

/** The part of a worker (node:worker_threads' or a Web Worker) the pool uses. */
export interface WorkerHandle {
  post(message: unknown): void;
  onMessage(listener: (message: Reply) => void): void;
  /** Called once if the thread fails to start, throws, or exits. */
  onFailure(listener: (error: Error) => void): void;
  /** Whether an idle thread may keep the process alive (Node, Deno, Bun; no-op for a Web Worker). */
  keepAlive(alive: boolean): void;
  terminate(): void;
}

/** Starts one thread running `url`, or throws (no threads here, or the file is missing). */
export type SpawnWorker = (url: URL) => Promise<WorkerHandle>;

export interface Argon2idPool {
  readonly engine: WorkerEngine;
  readonly derive: Derive<Argon2idCost>;
  /** Derivations done by the pool's threads, and threads started: for tests and the benchmark. */
  stats(): { readonly jobs: number; readonly threadsStarted: number };
}

/**
 * ./argon2-worker.js, next to this module in src/ and in dist/ (dist/password/index.js holds this code, so
 * the file stays beside it). Throws where modules have no URL (a Worker bundle: import.meta.url is unset).
 */
const workerUrl = (): URL => new URL("./argon2-worker.js", import.meta.url);
const START_TIMEOUT_MS = 30_000;

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: Reply) => void): void;
  on(event: "error" | "messageerror", listener: (error: Error) => void): void;
  on(event: "exit", listener: (code: number) => void): void;
  ref?(): void;
  unref?(): void;
  terminate(): unknown;
}

interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(event: string, listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

/** node:worker_threads where it imports (Node, Deno, Bun), else the Web Worker global (browsers). */
export const spawnWorker: SpawnWorker = async (url) => {
  let threads: { Worker: new (url: URL) => NodeWorker } | undefined;
  try {
    threads = (await import("node:worker_threads")) as unknown as typeof threads;
  } catch {
    threads = undefined;
  }
  if (threads !== undefined && typeof threads.Worker === "function") {
    const worker = new threads.Worker(url);
    let failed: ((error: Error) => void) | undefined;
    const fail = (error: Error): void => {
      const listener = failed;
      failed = undefined;
      listener?.(error);
    };
    worker.on("error", fail);
    worker.on("messageerror", fail);
    worker.on("exit", (code) => fail(new Error(`the Argon2id worker thread exited (code ${code})`)));
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on("message", listener),
      onFailure: (listener) => {
        failed = listener;
      },
      keepAlive: (alive) => (alive ? worker.ref?.() : worker.unref?.()),
      terminate: () => void worker.terminate(),
    };
  }
  const WebWorker = (globalThis as { Worker?: new (url: URL, options: object) => WebWorker }).Worker;
  if (typeof WebWorker !== "function") throw new Error("this runtime has no worker threads");
  const worker = new WebWorker(url, { type: "module" });
  let failed: ((error: Error) => void) | undefined;
  const fail = (message: string): void => {
    const listener = failed;
    failed = undefined;
    listener?.(new Error(message));
  };
  worker.addEventListener("error", (event) => fail(event.message ?? "the Argon2id worker failed"));
  worker.addEventListener("messageerror", () => fail("the Argon2id worker sent an unreadable message"));
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener("message", (event) => listener(event.data as Reply)),
    onFailure: (listener) => {
      failed = listener;
    },
    keepAlive: () => undefined,
    terminate: () => worker.terminate(),
  };
};

interface Job {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly cost: Argon2idCost;
  readonly length: number;
  readonly resolve: (key: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly handle: WorkerHandle;
  busy: Job | undefined;
}

/**
 * Starts a pool of at most `size` threads. Resolves when the first thread has loaded its engine, or to
 * undefined when no thread can start here (no threads, the worker file missing from a bundle, a refused
 * permission): the caller then derives on the main thread.
 */
export async function startArgon2idPool(
  size: number,
  spawn: SpawnWorker = spawnWorker,
  url?: URL,
): Promise<Argon2idPool | undefined> {
  let script: URL;
  try {
    script = url ?? workerUrl();
  } catch {
    return undefined;
  }
  const idle: Thread[] = [];
  const queue: Job[] = [];
  let threads = 0;
  let threadsStarted = 0;
  let jobs = 0;
  let nextId = 1;

  const finish = (thread: Thread, settle: (job: Job) => void): void => {
    const job = thread.busy;
    thread.busy = undefined;
    if (job !== undefined) settle(job);
    const next = queue.shift();
    if (next !== undefined) {
      send(thread, next);
      return;
    }
    thread.handle.keepAlive(false);
    idle.push(thread);
  };

  const send = (thread: Thread, job: Job): void => {
    thread.busy = job;
    thread.handle.keepAlive(true);
    const { password, salt, cost, length } = job;
    thread.handle.post({ id: nextId++, password, salt, ...cost, length });
  };

  /** One thread; resolves once it has loaded its engine. */
  const start = async (): Promise<{ thread: Thread; engine: WorkerEngine }> => {
    const handle = await spawn(script);
    threadsStarted++;
    const thread: Thread = { handle, busy: undefined };
    return new Promise((resolve, reject) => {
      let engine: WorkerEngine | undefined;
      const timer = setTimeout(() => fail(new Error("the Argon2id worker did not start")), START_TIMEOUT_MS);
      (timer as { unref?: () => void }).unref?.();
      const fail = (error: Error): void => {
        clearTimeout(timer);
        handle.terminate();
        if (engine === undefined) {
          reject(error);
          return;
        }
        threads--;
        const index = idle.indexOf(thread);
        if (index >= 0) idle.splice(index, 1);
        const job = thread.busy;
        thread.busy = undefined;
        job?.reject(error);
        const next = queue.shift();
        if (next !== undefined) assign(next); // a fresh thread takes it
      };
      handle.onFailure(fail);
      handle.onMessage((reply) => {
        if ("ready" in reply) {
          clearTimeout(timer);
          engine = reply.ready;
          return resolve({ thread, engine });
        }
        jobs++;
        finish(thread, (job) =>
          "key" in reply ? job.resolve(reply.key) : job.reject(new Error(`Argon2id: ${reply.error}`)),
        );
      });
    });
  };

  const assign = (job: Job): void => {
    const thread = idle.pop();
    if (thread !== undefined) {
      send(thread, job);
      return;
    }
    if (threads >= size) {
      queue.push(job);
      return;
    }
    threads++;
    queue.push(job);
    start().then(
      ({ thread: fresh }) => {
        const next = queue.shift();
        if (next === undefined) {
          fresh.handle.keepAlive(false);
          idle.push(fresh);
        } else send(fresh, next);
      },
      (error: Error) => {
        threads--;
        // No thread could start: fail what waits for one (the first thread started, so this is rare).
        if (threads === 0) for (const waiting of queue.splice(0)) waiting.reject(error);
      },
    );
  };

  let first: { thread: Thread; engine: WorkerEngine };
  try {
    threads = 1;
    first = await start();
  } catch {
    return undefined;
  }
  first.thread.handle.keepAlive(false);
  idle.push(first.thread);

  return {
    engine: first.engine,
    derive: (password, salt, cost, length) =>
      new Promise((resolve, reject) => {
        // postMessage copies the bytes; the caller zeroes its own once this settles, the thread its copy.
        assign({ password, salt, cost, length, resolve, reject });
      }),
    stats: () => ({ jobs, threadsStarted }),
  };
}
