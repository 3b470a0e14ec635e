import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLoginLimiter, createMemoryStore, createRateLimiter } from "../../src/rate-limit/index.ts";
import {
  createDurableObjectStore,
  createRateLimitBindingStore,
  type RateLimitBinding,
  type RateLimiterNamespace,
  RateLimiterObject,
  type RateLimiterStorage,
} from "../../src/rate-limit/workers.ts";
import { bucket, sliding } from "../_internal/rate-limit-policies.ts";

// The client-free parts of the Workers stores, on every leg: the binding adapter against a fake binding, the
// Durable Object class against a fake storage, and the store against a namespace of those objects. The same
// code in real workerd, through miniflare, is test/workers-store-miniflare.test.ts.

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A Durable Object storage in memory, each operation a macrotask later, as real I/O would be. */
function fakeStorage() {
  const data = new Map<string, unknown>();
  const alarms: number[] = [];
  const storage: RateLimiterStorage = {
    async get<T>(key: string) {
      await tick();
      return structuredClone(data.get(key)) as T | undefined;
    },
    async list<T>() {
      await tick();
      return new Map([...data].map(([key, value]) => [key, structuredClone(value) as T]));
    },
    async put<T>(key: string, value: T) {
      await tick();
      data.set(key, structuredClone(value));
    },
    async deleteAll() {
      await tick();
      data.clear();
    },
    async setAlarm(time: number) {
      alarms.push(time);
    },
  };
  return { storage, data, alarms };
}

/** A namespace routing each name to its own RateLimiterObject, recording the names. */
function fakeNamespace() {
  const objects = new Map<string, RateLimiterObject>();
  const names: string[] = [];
  const namespace: RateLimiterNamespace<string> = {
    idFromName(name) {
      names.push(name);
      return name;
    },
    get(id) {
      let object = objects.get(id);
      if (object === undefined) {
        object = new RateLimiterObject({ storage: fakeStorage().storage });
        objects.set(id, object);
      }
      const target = object;
      return { fetch: (input, init) => target.fetch(new Request(input, init)) };
    },
  };
  return { namespace, objects, names };
}

const consumeRequest = (body: unknown) =>
  new Request("https://rate-limiter/consume", { method: "POST", body: JSON.stringify(body) });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createRateLimitBindingStore", () => {
  it("maps { success } into a decision, reporting what it cannot know conservatively", async () => {
    const keys: string[] = [];
    let left = 2;
    const binding: RateLimitBinding = {
      limit: async ({ key }) => {
        keys.push(key);
        return { success: left-- > 0 };
      },
    };
    const store = createRateLimitBindingStore(binding, { prefix: "login:" });
    const policy = sliding(2, 60_000);
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push((await store.consume("ada{}", policy, 1))._unsafeUnwrap());
    expect(decisions).toEqual([
      { allowed: true, limit: 2, remaining: 0, resetMs: 60_000, retryAfterMs: 0 },
      { allowed: true, limit: 2, remaining: 0, resetMs: 60_000, retryAfterMs: 0 },
      { allowed: false, limit: 2, remaining: 0, resetMs: 60_000, retryAfterMs: 60_000 },
    ]);
    expect(keys).toEqual(["login:ada%7B%7D", "login:ada%7B%7D", "login:ada%7B%7D"]);
  });

  it("spends a cost above 1 unit by unit and stops at the first refusal", async () => {
    let calls = 0;
    let left = 3;
    const store = createRateLimitBindingStore({
      limit: async () => {
        calls++;
        return { success: left-- > 0 };
      },
    });
    expect((await store.consume("k", sliding(10, 10_000), 2))._unsafeUnwrap().allowed).toBe(true);
    expect((await store.consume("k", sliding(10, 10_000), 5))._unsafeUnwrap().allowed).toBe(false);
    expect(calls).toBe(4);
  });

  it("answers Err for a period the binding cannot have, a failing binding, a reset, never a throw", async () => {
    const good = createRateLimitBindingStore({ limit: async () => ({ success: true }) });
    expect((await good.consume("k", sliding(5, 30_000), 1)).isErr()).toBe(true); // createRateLimiter refuses it earlier
    expect((await good.consume("k", sliding(5, 60_000), 6)).isErr()).toBe(true);
    expect((await good.reset("k")).isErr()).toBe(true);
    for (const limit of [
      async () => Promise.reject(new Error("binding down")),
      () => {
        throw new Error("sync");
      },
      async () => ({}) as { success: boolean },
      () => new Promise<{ success: boolean }>(() => {}),
    ]) {
      const store = createRateLimitBindingStore({ limit }, { timeoutMs: 20 });
      const decision = await store.consume("k", bucket(5, 10_000), 1);
      expect(decision.isErr() && decision.error._tag).toBe("RateLimitStoreUnavailable");
    }
  });

  it("refuses bad options at set-up", () => {
    expect(() => createRateLimitBindingStore({} as RateLimitBinding)).toThrow(/binding/);
    const binding = { limit: async () => ({ success: true }) };
    expect(() => createRateLimitBindingStore(binding, { prefix: "{" })).toThrow(/prefix/);
    expect(() => createRateLimitBindingStore(binding, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createRateLimitBindingStore(binding, { period: 30 as never })).toThrow(
      /^createRateLimitBindingStore: period must be 10 or 60/,
    );
    expect(() => createRateLimitBindingStore(binding, { limit: 0 })).toThrow(
      /^createRateLimitBindingStore: limit/,
    );
    expect(() => createRateLimitBindingStore(binding, { periodMs: 60_000 } as never)).toThrow(
      /^createRateLimitBindingStore: unknown option periodMs \(did you mean period\?\)/,
    );
  });

  it("refuses at the limiter's set-up a window no binding has, or numbers other than the binding's (issue #20)", () => {
    const binding = { limit: async () => ({ success: true }) };
    const any = createRateLimitBindingStore(binding);
    expect(() => createRateLimiter({ store: any, limit: 5, windowMs: 30_000 })).toThrow(
      /^createRateLimiter: windowMs must be 10000 or 60000/,
    );
    expect(createRateLimiter({ store: any, limit: 5, windowMs: 10_000 }).policy.windowMs).toBe(10_000);
    const told = createRateLimitBindingStore(binding, { period: 60, limit: 100 });
    expect(() => createRateLimiter({ store: told, limit: 100, windowMs: 10_000 })).toThrow(
      /^createRateLimiter: windowMs must be 60000: the Rate Limiting binding's period is 60 s/,
    );
    expect(() => createRateLimiter({ store: told, limit: 50, windowMs: 60_000 })).toThrow(
      /^createRateLimiter: limit must be 100/,
    );
    expect(createRateLimiter({ store: told, limit: 100, windowMs: 60_000 }).policy.limit).toBe(100);
    // A login limiter needs three limits and a reset: a binding told its limit refuses it at set-up too.
    expect(() => createLoginLimiter({ store: told })).toThrow(/^createRateLimiter: (windowMs|limit) must be/);
  });
});

describe("RateLimiterObject", () => {
  it("decides exactly as the memory store, on its clock, with its state in storage", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("sliding-window", "token-bucket"),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ cost: fc.integer({ min: 1, max: 6 }), wait: fc.integer({ min: 0, max: 60 }) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (algorithm, limit, windowMs, steps) => {
          let clock = 1_700_000_000_000;
          vi.spyOn(Date, "now").mockImplementation(() => clock);
          const memory = createMemoryStore({ now: () => clock });
          const { storage } = fakeStorage();
          let object = new RateLimiterObject({ storage });
          for (const [index, step] of steps.entries()) {
            clock += step.wait;
            // Now and then the object is evicted: a new instance carries on from storage.
            if (index % 7 === 6) object = new RateLimiterObject({ storage });
            const cost = Math.min(step.cost, limit);
            const response = await object.fetch(consumeRequest({ algorithm, limit, windowMs, cost }));
            expect(response.status).toBe(200);
            expect(await response.json()).toEqual(
              memory.consumeSync("k", { algorithm, limit, windowMs }, cost),
            );
          }
          vi.restoreAllMocks();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("counts concurrent requests one at a time: 200 at once, limit 50, exactly 50 admitted", async () => {
    const object = new RateLimiterObject({ storage: fakeStorage().storage });
    for (const body of [
      { algorithm: "sliding-window", limit: 50, windowMs: 60_000, cost: 1 },
      { algorithm: "token-bucket", limit: 50, windowMs: 3_600_000, cost: 1 },
    ]) {
      const answers = await Promise.all(
        Array.from(
          { length: 200 },
          async () => (await (await object.fetch(consumeRequest(body))).json()) as { allowed: boolean },
        ),
      );
      expect(answers.filter((answer) => answer.allowed)).toHaveLength(50);
    }
  });

  it("forgets every policy on reset, and its alarm deletes the state once it no longer matters", async () => {
    let clock = 1_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => clock);
    const { storage, data, alarms } = fakeStorage();
    const object = new RateLimiterObject({ storage });
    await object.fetch(consumeRequest({ algorithm: "sliding-window", limit: 1, windowMs: 1000, cost: 1 }));
    await object.fetch(consumeRequest({ algorithm: "token-bucket", limit: 1, windowMs: 5000, cost: 1 }));
    expect([...data.keys()].sort()).toEqual(["s:1:1000", "t:1:5000"]);
    expect(alarms.at(-1)).toBe(1_005_000);
    clock = 1_002_000;
    await object.alarm(); // the bucket still matters: the alarm is set again
    expect(data.size).toBe(2);
    expect(alarms.at(-1)).toBe(1_005_000);
    clock = 1_005_000;
    await object.alarm();
    expect(data.size).toBe(0);
    await object.fetch(consumeRequest({ algorithm: "sliding-window", limit: 1, windowMs: 1000, cost: 1 }));
    const reset = await object.fetch(new Request("https://rate-limiter/reset", { method: "POST" }));
    expect(reset.status).toBe(200);
    expect(data.size).toBe(0);
    const again = await object.fetch(
      consumeRequest({ algorithm: "sliding-window", limit: 1, windowMs: 1000, cost: 1 }),
    );
    expect(((await again.json()) as { allowed: boolean }).allowed).toBe(true);
  });

  it("fails the request when its storage fails (the store then answers Err), and reads it again next time", async () => {
    const { storage } = fakeStorage();
    let failures = 1;
    const flaky: RateLimiterStorage = {
      ...storage,
      list: async <T>() => {
        if (failures-- > 0) throw new Error("storage unavailable");
        return storage.list<T>();
      },
    };
    const object = new RateLimiterObject({ storage: flaky });
    const body = { algorithm: "token-bucket", limit: 1, windowMs: 1000, cost: 1 };
    await expect(object.fetch(consumeRequest(body))).rejects.toThrow("storage unavailable");
    expect((await object.fetch(consumeRequest(body))).status).toBe(200);
    const store = createDurableObjectStore({
      idFromName: (name) => name,
      get: () => ({ fetch: async () => new Response("Internal Server Error", { status: 500 }) }),
    });
    expect((await store.consume("k", bucket(1, 1000), 1)).isErr()).toBe(true);
  });

  it("refuses what is not the store's request: 400, 404, 405", async () => {
    const object = new RateLimiterObject({ storage: fakeStorage().storage });
    const post = (path: string, body: string) =>
      object.fetch(new Request(`https://x${path}`, { method: "POST", body }));
    expect((await object.fetch(new Request("https://x/consume"))).status).toBe(405);
    expect((await post("/other", "{}")).status).toBe(404);
    expect((await post("/consume", "not json")).status).toBe(400);
    for (const body of [
      null,
      [],
      { algorithm: "sliding-window", limit: 5, windowMs: 1000 },
      { algorithm: "sliding-window", limit: 5, windowMs: 1000, cost: 6 },
      { algorithm: "token-bucket", limit: "5", windowMs: 1000, cost: 1 },
      { algorithm: "leaky", limit: 5, windowMs: 1000, cost: 1 },
      { algorithm: "token-bucket", limit: 2 ** 40, windowMs: 2 ** 20, cost: 1 },
    ]) {
      expect((await post("/consume", JSON.stringify(body))).status).toBe(400);
    }
    expect(() => new RateLimiterObject({} as never)).toThrow(TypeError);
  });
});

describe("createDurableObjectStore", () => {
  it("routes each key to its own object by name, escaped, and counts exactly", async () => {
    const { namespace, names, objects } = fakeNamespace();
    const store = createDurableObjectStore(namespace, { prefix: "app:" });
    const policy = sliding(50, 60_000);
    const decisions = await Promise.all(
      Array.from({ length: 200 }, () => store.consume("ip:{1}", policy, 1)),
    );
    expect(decisions.filter((d) => d.isOk() && d.value.allowed)).toHaveLength(50);
    expect(new Set(names)).toEqual(new Set(["app:ip:%7B1%7D"]));
    expect((await store.consume("other\uD800", policy, 1))._unsafeUnwrap().remaining).toBe(49);
    expect(objects.has("app:other%uD800")).toBe(true);
    expect((await store.consume("y".repeat(1000), policy, 1))._unsafeUnwrap().remaining).toBe(49);
    expect(names.at(-1)).toMatch(/^app:%h[0-9a-f]{64}$/);
    expect((await store.reset("ip:{1}")).isOk()).toBe(true);
    expect((await store.consume("ip:{1}", policy, 1))._unsafeUnwrap().remaining).toBe(49);
  });

  it("answers Err for an unreachable, failing, slow or garbled object, never a throw", async () => {
    const answering = (fetch: () => Promise<Response>): RateLimiterNamespace => ({
      idFromName: (name) => name,
      get: () => ({ fetch }),
    });
    for (const namespace of [
      answering(async () => Promise.reject(new Error("object overloaded"))),
      answering(async () => new Response("{}", { status: 500 })),
      answering(async () => new Response("not json")),
      answering(async () => Response.json({ allowed: "yes", remaining: 1, resetMs: 1, retryAfterMs: 0 })),
      answering(async () => Response.json({ allowed: true, remaining: -1, resetMs: 1, retryAfterMs: 0 })),
      answering(() => new Promise<Response>(() => {})),
      {
        idFromName: () => {
          throw new Error("bad name");
        },
        get: () => ({ fetch: async () => new Response() }),
      },
    ]) {
      const store = createDurableObjectStore(namespace, { timeoutMs: 20 });
      const decision = await store.consume("k", bucket(5, 1000), 1);
      expect(decision.isErr() && decision.error._tag).toBe("RateLimitStoreUnavailable");
    }
    for (const namespace of [
      answering(async () => Promise.reject(new Error("object overloaded"))),
      answering(async () => new Response("{}", { status: 503 })),
      answering(() => new Promise<Response>(() => {})),
    ]) {
      const reset = await createDurableObjectStore(namespace, { timeoutMs: 20 }).reset("k");
      expect(reset.isErr() && reset.error._tag).toBe("RateLimitStoreUnavailable");
    }
    const store = createDurableObjectStore(fakeNamespace().namespace);
    expect((await store.consume("k", bucket(5, 1000), 9)).isErr()).toBe(true);
  });

  it("refuses bad options at set-up", () => {
    expect(() => createDurableObjectStore({} as RateLimiterNamespace)).toThrow(/namespace/);
    expect(() => createDurableObjectStore(fakeNamespace().namespace, { prefix: "}" })).toThrow(/prefix/);
    expect(() => createDurableObjectStore(fakeNamespace().namespace, { timeoutMs: 1e9 })).toThrow(
      /timeoutMs/,
    );
    expect(() => createDurableObjectStore(fakeNamespace().namespace, { prefx: "a:" } as never)).toThrow(
      /^createDurableObjectStore: unknown option prefx \(did you mean prefix\?\)/,
    );
  });
});
