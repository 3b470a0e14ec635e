import { runtime } from "@keel/testing";
import { describe, expect, it } from "vitest";
import { argon2idFromDerive } from "../../src/password/backend.ts";
import { buildPasswordHasher } from "../../src/password/hasher.ts";
import { createPasswordHasher } from "../../src/password/index.ts";
import { createLimiter } from "../../src/password/limiter.ts";
import { mainThreadBackends, selectBackends } from "../../src/password/select-backends.ts";
import { type SpawnWorker, startArgon2idPool, type WorkerHandle } from "../../src/password/worker-pool.ts";
import { createPasswordHasher as createWorkerdPasswordHasher } from "../../src/password/workerd.ts";

// Issue #20: 50 logins at once stalled Node 20's and Deno's event loop for up to 737 ms, because Argon2id ran
// in pure JS on the main thread, 50 time slices back to back. These tests count where the work runs, never
// how long it takes; bench/password.bench.ts measures the stalls.

const horse = "correct horse battery staple";
const cheapArgon2id = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
const options = { allowWeakParameters: true, argon2id: cheapArgon2id, scrypt: { cost: 1024, blockSize: 8 } };
const threads = runtime !== "workerd";

/** Counts the main thread's timer turns: `turns()` so far, `stop()` ends the chain and answers the total. */
function ticker(): { turns: () => number; stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  return {
    turns: () => turns,
    stop: () => {
      running = false;
      return turns;
    },
  };
}

/** Whether every number is greater than the one before it. */
const increasing = (values: readonly number[]): boolean =>
  values.every((value, index) => index === 0 || value > (values[index - 1] ?? value));

describe("50 hashes at once never run on the main thread where the runtime has threads", () => {
  it("the default hasher derives Argon2id on a thread pool or a worker thread (main thread: workerd only)", async () => {
    const info = await createPasswordHasher().backends();
    expect(info.argon2idRunsOn).toMatch(threads ? /^(thread pool|worker)$/ : /^main thread$/);
    if (
      runtime === "deno" ||
      (runtime === "node" && typeof (await import("node:crypto")).argon2 !== "function")
    ) {
      expect([info.argon2id, info.argon2idRunsOn]).toEqual(["hash-wasm", "worker"]);
    }
  });

  it.skipIf(!threads)(
    "the worker pool does all 50 derivations, and the main thread keeps turning while they are in flight",
    async () => {
      const pool = await startArgon2idPool(2);
      expect(pool?.engine).toBe("hash-wasm");
      if (pool === undefined) return;
      let mainThreadDerivations = 0;
      const backends = selectBackends({ nodeCrypto: undefined, bunPassword: undefined, argon2idPool: pool });
      const counted = argon2idFromDerive(backends.argon2id.name, backends.argon2id.runsOn, (...args) => {
        mainThreadDerivations++; // on this thread only the call is made; the pool counts the work
        return pool.derive(...args);
      });
      const passwords = buildPasswordHasher(options, async () => ({ ...backends, argon2id: counted }));
      const timers = ticker();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) => passwords.hash(`${horse} ${index}`)),
      );
      const turns = timers.stop();
      expect(results.every((result) => result.isOk())).toBe(true);
      expect(pool.stats()).toEqual({ jobs: 50, threadsStarted: 2 }); // at most `size` threads
      expect(mainThreadDerivations).toBe(50);
      expect(turns).toBeGreaterThan(0); // timers ran while the hashes were in flight
      const first = results[0]?._unsafeUnwrap() ?? "";
      expect((await passwords.verify(first, `${horse} 0`))._unsafeUnwrap()).toBe(true);
      expect(pool.stats().jobs).toBe(51);
    },
  );

  it.skipIf(!threads)(
    "a thread that cannot start leaves the hasher on the main thread, not broken",
    async () => {
      const missing = new URL("./no-such-worker.js", import.meta.url);
      expect(await startArgon2idPool(1, undefined, missing)).toBeUndefined();
    },
  );
});

describe("the worker pool's bookkeeping (a scripted thread)", () => {
  /** A fake thread: answers each job with its id as the key, or dies when told. */
  function scripted(behaviour: { die?: number }): { spawn: SpawnWorker; spawned: () => number } {
    let spawned = 0;
    const spawn: SpawnWorker = async () => {
      spawned++;
      let onMessage: (message: never) => void = () => undefined;
      let onFailure: (error: Error) => void = () => undefined;
      const handle: WorkerHandle = {
        post: (message) => {
          const { id, password } = message as { id: number; password: Uint8Array };
          queueMicrotask(() =>
            password[0] === behaviour.die
              ? onFailure(new Error("thread died"))
              : onMessage({ id, key: new Uint8Array([id]) } as never),
          );
        },
        onMessage: (listener) => {
          onMessage = listener as never;
          queueMicrotask(() => listener({ ready: "hash-wasm" }));
        },
        onFailure: (listener) => {
          onFailure = listener;
        },
        keepAlive: () => undefined,
        terminate: () => undefined,
      };
      return handle;
    };
    return { spawn, spawned: () => spawned };
  }

  const cost = { memoryCost: 8, timeCost: 1, parallelism: 1 };
  const salt = new Uint8Array(16);
  const url = new URL("https://keel.invalid/argon2-worker.js"); // a Worker bundle has no import.meta.url

  it("queues beyond `size` threads and answers every job", async () => {
    const { spawn, spawned } = scripted({});
    const pool = await startArgon2idPool(3, spawn, url);
    const keys = await Promise.all(
      Array.from({ length: 20 }, () => pool?.derive(new Uint8Array([1]), salt, cost, 32)),
    );
    expect(keys.every((key) => key instanceof Uint8Array)).toBe(true);
    expect(pool?.stats()).toEqual({ jobs: 20, threadsStarted: 3 });
    expect(spawned()).toBe(3);
  });

  it("a thread that dies fails its job only; the next job gets a fresh thread", async () => {
    const { spawn, spawned } = scripted({ die: 9 });
    const pool = await startArgon2idPool(1, spawn, url);
    await expect(pool?.derive(new Uint8Array([9]), salt, cost, 32)).rejects.toThrow("thread died");
    expect(await pool?.derive(new Uint8Array([1]), salt, cost, 32)).toBeInstanceOf(Uint8Array);
    expect(spawned()).toBe(2);
  });

  it("a runtime without threads: no pool", async () => {
    const pool = await startArgon2idPool(
      1,
      async () => {
        throw new Error("this runtime has no worker threads");
      },
      url,
    );
    expect(pool).toBeUndefined();
  });
});

describe("on the main thread (workerd): one derivation at a time", () => {
  it("the limiter runs at most `concurrency` tasks at once, in arrival order", async () => {
    for (const concurrency of [1, 3]) {
      const limit = createLimiter(concurrency);
      let running = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          limit(async () => {
            running++;
            most = Math.max(most, running);
            order.push(index);
            await new Promise((resolve) => setTimeout(resolve, 0));
            running--;
          }),
        ),
      );
      expect(most).toBe(concurrency);
      expect(order).toEqual(Array.from({ length: 50 }, (_, index) => index));
    }
  });

  it("a call arriving just as a slot frees waits its turn: never more than `concurrency` at once", async () => {
    for (const turnBetweenTasks of [false, true]) {
      const limit = createLimiter(1, { turnBetweenTasks });
      let running = 0;
      let most = 0;
      const order: string[] = [];
      const task = (name: string, wait: Promise<unknown>) => async () => {
        running++;
        most = Math.max(most, running);
        order.push(name);
        await wait;
        running--;
      };
      // A's task hands back a plain promise, so its end frees the slot in as few microtasks as possible.
      let finishA = (): void => undefined;
      const a = limit(
        () =>
          new Promise<void>((resolve) => {
            running++;
            most = Math.max(most, running);
            order.push("A");
            finishA = () => {
              running--;
              resolve();
            };
          }),
      );
      const b = limit(task("B", new Promise((resolve) => setTimeout(resolve, 5))));
      await new Promise((resolve) => setTimeout(resolve, 5));
      finishA();
      let c: Promise<void> | undefined;
      queueMicrotask(() => (c = limit(task("C", Promise.resolve()))));
      await Promise.all([a, b]);
      await c;
      expect([most, order]).toEqual([1, ["A", "B", "C"]]);
    }
  });

  it("with turnBetweenTasks, every task starts on a new turn of the event loop", async () => {
    for (const turnBetweenTasks of [false, true]) {
      const limit = createLimiter(1, { turnBetweenTasks });
      const timers = ticker();
      const turnsAtStart: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, () => limit(async () => turnsAtStart.push(timers.turns()))),
      );
      timers.stop();
      // Without it, 20 tasks with no await of their own all run before the first timer.
      expect(increasing(turnsAtStart)).toBe(turnBetweenTasks);
    }
  });

  it("50 hashes on the main-thread backends: one derivation at a time, timers run between any two", async () => {
    const backends = mainThreadBackends();
    expect([backends.argon2id.runsOn, backends.scrypt.runsOn]).toEqual(["main thread", "main thread"]);
    const passwords = buildPasswordHasher(options, async () => backends);
    const timers = ticker();
    const turnsAtSettle: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        passwords.hash(`${index}`).then((result) => {
          turnsAtSettle.push(timers.turns());
          return result;
        }),
      ),
    );
    timers.stop();
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(turnsAtSettle).toHaveLength(50);
    expect(increasing(turnsAtSettle)).toBe(true);
  });

  it('the Workers entry (the "workerd" export condition) has the same API and reads every hash', async () => {
    const passwords = createWorkerdPasswordHasher(options);
    const info = await passwords.backends();
    expect(info).toEqual({
      algorithm: "argon2id",
      argon2id: "@noble/hashes",
      scrypt: "@noble/hashes",
      argon2idRunsOn: "main thread",
      scryptRunsOn: "main thread",
    });
    const stored = (await passwords.hash(horse))._unsafeUnwrap();
    expect((await createPasswordHasher(options).verify(stored, horse))._unsafeUnwrap()).toBe(true);
    const theirs = (await createPasswordHasher(options).hash(horse))._unsafeUnwrap();
    expect((await passwords.verify(theirs, horse))._unsafeUnwrap()).toBe(true);
    expect((await passwords.verify(theirs, `${horse}!`))._unsafeUnwrap()).toBe(false);
    expect(() => createWorkerdPasswordHasher({ algoritm: "scrypt" } as never)).toThrow(
      /^createPasswordHasher: unknown option algoritm \(did you mean algorithm\?\)/,
    );
  });
});
