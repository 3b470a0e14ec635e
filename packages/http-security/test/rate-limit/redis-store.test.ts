import { runtime } from "@keel/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore, type RateLimitPolicy } from "../../src/rate-limit/index.ts";
import {
  bunRedisClient,
  createRedisStore,
  ioredisClient,
  nodeRedisClient,
  type RedisScriptClient,
} from "../../src/rate-limit/redis.ts";
import { bucket, sliding } from "../_internal/rate-limit-policies.ts";

// The real Redis (requireService): ioredis and node-redis on Node, Bun and Deno, Bun's own client on Bun.
// Redis clients need TCP sockets, which a Worker has not (package.json keel.workerdSkipFiles): on workerd
// only the client-free tests run. Node-only modules are imported inside the tests.

const PROPERTY_TIMEOUT = 180_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = () => `t${crypto.randomUUID()}:`;

/** One connection, through the store's adapter and raw (for the checks a test makes). */
interface Connection {
  readonly client: RedisScriptClient;
  raw(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

interface ClientKind {
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly unavailable: string | undefined;
  open(url: string): Promise<Connection>;
  /** A client pointed at a closed port, set to give up at once. */
  openDown(): Promise<Connection>;
  /** A client pointed at a closed port, left to retry for ever (the store's timeout must end the wait). */
  openRetrying(): Promise<Connection>;
}

const CLOSED = "redis://127.0.0.1:1";
const noSockets = runtime === "workerd" ? "workerd: Redis clients need TCP sockets" : undefined;

const ioredis: ClientKind = {
  name: "ioredis",
  unavailable: noSockets,
  async open(url) {
    const { Redis } = await import("ioredis");
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    return {
      client: ioredisClient(redis),
      raw: ([command, ...args]) => redis.call(command as string, ...args),
      close: async () => redis.disconnect(),
    };
  },
  async openDown() {
    const { Redis } = await import("ioredis");
    const redis = new Redis(CLOSED, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    return {
      client: ioredisClient(redis),
      raw: async () => undefined,
      close: async () => redis.disconnect(),
    };
  },
  async openRetrying() {
    const { Redis } = await import("ioredis");
    const redis = new Redis(CLOSED, { maxRetriesPerRequest: null });
    redis.on("error", () => {});
    return {
      client: ioredisClient(redis),
      raw: async () => undefined,
      close: async () => redis.disconnect(),
    };
  },
};

const nodeRedis: ClientKind = {
  name: "node-redis",
  unavailable: noSockets,
  async open(url) {
    const { createClient } = await import("redis");
    const client = createClient({ url });
    client.on("error", () => {});
    await client.connect();
    return {
      client: nodeRedisClient(client),
      raw: (args) => client.sendCommand(args),
      close: async () => client.destroy(),
    };
  },
  async openDown() {
    const { createClient } = await import("redis");
    const client = createClient({ url: CLOSED, socket: { reconnectStrategy: false } });
    client.on("error", () => {});
    await client.connect().catch(() => undefined);
    return { client: nodeRedisClient(client), raw: async () => undefined, close: async () => {} };
  },
  async openRetrying() {
    const { createClient } = await import("redis");
    const client = createClient({ url: CLOSED, socket: { reconnectStrategy: () => 50 } });
    client.on("error", () => {});
    void client.connect().catch(() => undefined);
    return {
      client: nodeRedisClient(client),
      raw: async () => undefined,
      close: async () => {
        client.destroy();
      },
    };
  },
};

interface BunClient {
  send(command: string, args: string[]): Promise<unknown>;
  close(): void;
}
type BunGlobal = { RedisClient: new (url: string, options?: Record<string, unknown>) => BunClient };
const bunGlobal = (globalThis as { Bun?: BunGlobal }).Bun;

const bunRedis: ClientKind = {
  name: "Bun.RedisClient",
  unavailable: bunGlobal === undefined ? `${runtime}: Bun's client exists on Bun only` : undefined,
  async open(url) {
    const client = new (bunGlobal as BunGlobal).RedisClient(url);
    return {
      client: bunRedisClient(client),
      raw: ([command, ...args]) => client.send(command as string, args),
      close: async () => client.close(),
    };
  },
  async openDown() {
    const client = new (bunGlobal as BunGlobal).RedisClient(CLOSED, {
      autoReconnect: false,
      enableOfflineQueue: false,
      connectionTimeout: 500,
    });
    return { client: bunRedisClient(client), raw: async () => undefined, close: async () => client.close() };
  },
  async openRetrying() {
    const client = new (bunGlobal as BunGlobal).RedisClient(CLOSED);
    return { client: bunRedisClient(client), raw: async () => undefined, close: async () => client.close() };
  },
};

let redisUrl = "";
/**
 * MONITOR on a plain socket: calls `onCommand` with each command's lower-cased name, its arguments and its
 * source (`addr` of the client, or `lua`), once Redis has said +OK. (ioredis' own monitor() can lose track
 * of its reply queue when other clients keep the server busy, as the other runtimes' legs do in CI.)
 */
async function monitorRedis(
  url: string,
  onCommand: (command: string, args: string[], source: string) => void,
): Promise<{ close(): void }> {
  const { connect } = await import("node:net");
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  const decoder = new TextDecoder();
  let buffered = "";
  let started: () => void = () => {};
  const ok = new Promise<void>((resolve) => {
    started = resolve;
  });
  socket.on("data", (chunk: Uint8Array) => {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split("\r\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "+OK") started();
      // +1796277275.403327 [0 127.0.0.1:54321] "evalsha" "..." (quotes inside arguments are escaped)
      const parsed = /^\+\d+\.\d+ \[\d+ (\S+)\] (.*)$/.exec(line);
      if (parsed === null) continue;
      const words = [...(parsed[2] ?? "").matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? "");
      onCommand(String(words[0]).toLowerCase(), words.slice(1), parsed[1] ?? "");
    }
  });
  socket.write("MONITOR\r\n");
  await ok;
  return { close: () => socket.destroy() };
}

async function redisService(): Promise<string> {
  if (redisUrl !== "") return redisUrl;
  const { requireService } = await import("@keel/testing/services");
  const service = await requireService("redis");
  if (service.skip) throw new Error(service.reason);
  redisUrl = service.url;
  return redisUrl;
}

/** Wraps an adapter, recording every call and reply: round trips are counted where the store makes them. */
function recording(client: RedisScriptClient) {
  const calls: { method: "evalsha" | "eval"; reply?: unknown; failed?: unknown }[] = [];
  const wrap =
    (method: "evalsha" | "eval") =>
    async (first: string, keys: readonly string[], args: readonly string[]): Promise<unknown> => {
      try {
        const reply = await client[method](first, keys, args);
        calls.push({ method, reply });
        return reply;
      } catch (failed) {
        calls.push({ method, failed });
        throw failed;
      }
    };
  return { client: { evalsha: wrap("evalsha"), eval: wrap("eval") } satisfies RedisScriptClient, calls };
}

describe("createRedisStore options and adapters (no server)", () => {
  const fake: RedisScriptClient = { evalsha: async () => [1, 0, 1, 0, 0], eval: async () => [1, 0, 1, 0, 0] };

  it("refuses bad options at set-up, naming the option", () => {
    expect(() => createRedisStore({ client: {} as RedisScriptClient })).toThrow(/client/);
    expect(() => createRedisStore({ client: fake, prefix: "app:{x}:" })).toThrow(/prefix/);
    expect(() => createRedisStore({ client: fake, prefix: "x".repeat(257) })).toThrow(/prefix/);
    expect(() => createRedisStore({ client: fake, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createRedisStore({ client: fake, timeoutMs: 1.5 })).toThrow(/timeoutMs/);
    expect(() => createRedisStore({ client: fake, timeout: 100 } as never)).toThrow(
      /^createRedisStore: unknown option timeout \(did you mean timeoutMs\?\)/,
    );
    expect(() => ioredisClient({} as never)).toThrow(TypeError);
    expect(() => nodeRedisClient({} as never)).toThrow(TypeError);
    expect(() => bunRedisClient({} as never)).toThrow(TypeError);
  });

  it("answers a policy or cost outside the contract with Err, without calling Redis", async () => {
    const spy = recording(fake);
    const store = createRedisStore({ client: spy.client });
    for (const [policy, cost] of [
      [sliding(0, 1000), 1],
      [sliding(5, 1.5), 1],
      [sliding(5, 1000), 6],
      [sliding(5, 1000), 0],
      [bucket(2 ** 30, 2 ** 21), 1],
      [{ algorithm: "fixed-window", limit: 5, windowMs: 1000 } as unknown as RateLimitPolicy, 1],
    ] as const) {
      const decision = await store.consume("k", policy, cost);
      expect(decision.isErr() && decision.error.cause).toBeInstanceOf(TypeError);
    }
    expect(spy.calls).toHaveLength(0);
  });

  it("maps every rejection, throw, malformed reply and timeout to Err, never a throw", async () => {
    const policy = sliding(5, 1000);
    const clients: RedisScriptClient[] = [
      { evalsha: async () => Promise.reject(new Error("ECONNREFUSED")), eval: async () => [] },
      {
        evalsha: () => {
          throw new Error("sync throw");
        },
        eval: async () => [],
      },
      { evalsha: async () => "OK", eval: async () => [] },
      { evalsha: async () => [1, 2, 3, 4, "5"], eval: async () => [] },
      { evalsha: async () => [1, 2, 3, 4, 5.5], eval: async () => [] },
      { evalsha: () => new Promise(() => {}), eval: async () => [] },
      {
        evalsha: async () => Promise.reject(new Error("NOSCRIPT")),
        eval: async () => Promise.reject(new Error("x")),
      },
    ];
    for (const client of clients) {
      const store = createRedisStore({ client, timeoutMs: 50 });
      const decision = await store.consume("k", policy, 1);
      expect(decision.isErr() && decision.error._tag).toBe("RateLimitStoreUnavailable");
      const reset = await store.reset("k");
      expect(reset.isErr() || reset.isOk()).toBe(true);
    }
  });

  it("names each key's hash <prefix>{<key>}, braces, % and lone surrogates escaped, long keys hashed, one-to-one", {
    timeout: PROPERTY_TIMEOUT,
  }, async () => {
    const store = createRedisStore({ client: fake, prefix: "app:" });
    expect(await store.redisKey("login:ada")).toBe("app:{login:ada}");
    expect(await store.redisKey("a{b}c")).toBe("app:{a%7Bb%7Dc}");
    expect(await store.redisKey("}")).toBe("app:{%7D}");
    expect(await store.redisKey("%7D")).toBe("app:{%257D}");
    expect(await store.redisKey("%h00")).toBe("app:{%25h00}");
    expect(await store.redisKey("\uD800")).toBe("app:{%uD800}");
    expect(await store.redisKey("\u{1F600}")).toBe("app:{\u{1F600}}");
    expect(await store.redisKey("x".repeat(512))).toBe(`app:{${"x".repeat(512)}}`);
    expect(await store.redisKey("x".repeat(513))).toMatch(/^app:\{%h[0-9a-f]{64}\}$/);
    expect(await store.redisKey("{".repeat(200))).toMatch(/^app:\{%h[0-9a-f]{64}\}$/); // 600 once escaped
    const key = fc.oneof(
      fc.string({ unit: "binary", maxLength: 64 }),
      fc.string({ unit: fc.constantFrom("{", "}", "%", "h", "7", "B", "\uD800"), maxLength: 16 }),
      fc.string({ unit: "binary", minLength: 500, maxLength: 700 }),
    );
    await fc.assert(
      fc.asyncProperty(key, key, async (a, b) => {
        const ka = await store.redisKey(a);
        // The hash tag (first "{" to the first "}" after it) is the whole name, short and well-formed.
        expect(ka.slice(ka.indexOf("{") + 1, ka.indexOf("}", ka.indexOf("{")))).toBe(ka.slice(5, -1));
        expect(ka.endsWith("}") && ka.indexOf("}") === ka.length - 1).toBe(true);
        expect(/[\uD800-\uDFFF]/u.test(ka)).toBe(false);
        expect(ka.length).toBeLessThanOrEqual(5 + 512 + 1);
        expect(ka === (await store.redisKey(b))).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });
});

describe.each([ioredis, nodeRedis, bunRedis])("with $name on the real Redis", (kind) => {
  const why = kind.unavailable === undefined ? "" : ` (skipped on ${kind.unavailable})`;
  const skip = kind.unavailable !== undefined;
  let conn: Connection;
  let admin: Connection;

  beforeAll(async () => {
    if (skip) return;
    const url = await redisService();
    conn = await kind.open(url);
    admin = await kind.open(url);
  });
  afterAll(async () => {
    if (skip) return;
    await conn.close();
    await admin.close();
  });

  it.skipIf(skip)(
    `decides exactly as the memory store, window rolls and resets included${why}`,
    { timeout: PROPERTY_TIMEOUT },
    async () => {
      const spy = recording(conn.client);
      const store = createRedisStore({ client: spy.client, prefix: unique() });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("sliding-window", "token-bucket"),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 4, max: 40 }),
          fc.array(
            fc.record({
              cost: fc.integer({ min: 1, max: 6 }),
              wait: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
              reset: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
            }),
            { minLength: 1, maxLength: 20 },
          ),
          async (algorithm, limit, windowMs, steps) => {
            const policy = { algorithm, limit, windowMs } as RateLimitPolicy;
            const key = crypto.randomUUID();
            let clock = 0;
            const memory = createMemoryStore({ now: () => clock });
            for (const step of steps) {
              if (step.wait > 0) await sleep(step.wait);
              if (step.reset) {
                expect((await store.reset(key)).isOk()).toBe(true);
                await memory.reset(key);
                continue;
              }
              const cost = Math.min(step.cost, limit);
              const decision = await store.consume(key, policy, cost);
              if (decision.isErr()) throw decision.error;
              clock = (spy.calls[spy.calls.length - 1] as { reply: number[] }).reply[4] as number;
              expect(decision.value).toEqual(memory.consumeSync(key, policy, cost));
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it.skipIf(skip)(`admits exactly the limit for concurrent requests in one process${why}`, async () => {
    const store = createRedisStore({ client: conn.client, prefix: unique() });
    for (const policy of [sliding(37, 3_600_000), bucket(37, 86_400_000)]) {
      const decisions = await Promise.all(Array.from({ length: 200 }, () => store.consume("hot", policy, 1)));
      expect(decisions.filter((d) => d.isOk() && d.value.allowed)).toHaveLength(37);
      expect(decisions.every((d) => d.isOk())).toBe(true);
    }
    expect((await store.reset("hot")).isOk()).toBe(true); // a day-long bucket: leave nothing behind
  });

  it.skipIf(skip)(`makes one round trip per decision: one EVALSHA, seen by MONITOR${why}`, async () => {
    const prefix = unique();
    const spy = recording(conn.client);
    const store = createRedisStore({ client: spy.client, prefix });
    await store.consume("warm", sliding(5, 1000), 1); // the script is cached (or loaded) from here on
    const info = String(await conn.raw(["CLIENT", "INFO"]));
    const address = /\baddr=(\S+)/.exec(info)?.[1] as string;
    let seen: string[] = [];
    let fence = "";
    let fenced: () => void = () => {};
    const monitor = await monitorRedis(await redisService(), (command, args, source) => {
      if (source !== address) return;
      if (command === "echo" && args[0] === fence) fenced();
      else seen.push(command);
    });
    try {
      // Another runtime's leg may SCRIPT FLUSH this shared Redis meanwhile: an attempt that met NOSCRIPT
      // (an EVALSHA that failed, then an EVAL) is tried again.
      for (let attempt = 1; ; attempt++) {
        seen = [];
        spy.calls.length = 0;
        for (let i = 0; i < 25; i++) {
          const decision = await store.consume(`k${i % 3}`, i % 2 ? sliding(5, 1000) : bucket(5, 1000), 1);
          expect(decision.isOk()).toBe(true);
        }
        fence = `${prefix}-${attempt}`;
        const echoed = new Promise<void>((resolve) => {
          fenced = resolve;
        });
        await conn.raw(["ECHO", fence]);
        await echoed;
        if (spy.calls.some((call) => call.failed !== undefined) && attempt < 20) continue;
        expect(seen).toEqual(Array.from({ length: 25 }, () => "evalsha"));
        expect(spy.calls.map((call) => call.method)).toEqual(Array.from({ length: 25 }, () => "evalsha"));
        return;
      }
    } finally {
      monitor.close();
    }
  });

  it.skipIf(skip)(`after SCRIPT FLUSH, runs EVAL once, then EVALSHA again${why}`, async () => {
    // SCRIPT FLUSH is server-wide, and the other runtimes' legs share this Redis: one of them may load the
    // script again between the flush and the next call. Such an attempt (its first EVALSHA succeeds) is
    // checked for what it is, then tried again.
    for (let attempt = 1; ; attempt++) {
      const spy = recording(conn.client);
      const store = createRedisStore({ client: spy.client, prefix: unique() });
      expect((await store.consume("k", sliding(3, 60_000), 1)).isOk()).toBe(true);
      await admin.raw(["SCRIPT", "FLUSH"]);
      spy.calls.length = 0;
      const after = await store.consume("k", sliding(3, 60_000), 1);
      expect(after.isOk() && after.value.allowed && after.value.remaining).toBe(1);
      const next = await store.consume("k", sliding(3, 60_000), 1);
      expect(next.isOk() && next.value.remaining).toBe(0);
      const calls = spy.calls.map((call) => [call.method, call.failed === undefined]);
      if (calls[0]?.[1] === true && attempt < 20) {
        expect(calls).toEqual([
          ["evalsha", true],
          ["evalsha", true],
        ]);
        continue;
      }
      expect(calls).toEqual([
        ["evalsha", false],
        ["eval", true],
        ["evalsha", true],
      ]);
      expect(String((spy.calls[0] as { failed: Error }).failed.message)).toMatch(/^NOSCRIPT/);
      return;
    }
  });

  it.skipIf(skip)(
    `keeps one hash per key, hash-tagged, expiring when the allowance is restored${why}`,
    async () => {
      const prefix = unique();
      const store = createRedisStore({ client: conn.client, prefix });
      const key = "user:{42}\n";
      const a = await store.consume(key, sliding(5, 60_000), 2);
      const b = await store.consume(key, bucket(5, 10_000), 1);
      if (a.isErr() || b.isErr()) throw new Error("decision failed");
      const keys = (await admin.raw(["KEYS", `${prefix}*`])) as string[];
      expect(keys).toEqual([`${prefix}{user:%7B42%7D\n}`]);
      expect(keys[0]).toBe(await store.redisKey(key));
      const fields = (await admin.raw(["HKEYS", await store.redisKey(key)])) as string[];
      expect(fields.sort()).toEqual(["s:5:60000", "t:5:10000"]);
      const ttl = Number(await admin.raw(["PTTL", await store.redisKey(key)]));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(Math.max(a.value.resetMs, b.value.resetMs) + 1);
      expect((await store.reset(key)).isOk()).toBe(true);
      expect(Number(await admin.raw(["EXISTS", await store.redisKey(key)]))).toBe(0);
      // A short window: the hash is gone once it no longer matters.
      await store.consume("brief", bucket(1, 30), 1);
      let exists = 1;
      for (let i = 0; i < 100 && exists === 1; i++) {
        await sleep(20);
        exists = Number(await admin.raw(["EXISTS", await store.redisKey("brief")]));
      }
      expect(exists).toBe(0);
    },
  );

  it.skipIf(skip)(`keeps stores with different prefixes apart${why}`, async () => {
    const shared = unique();
    const one = createRedisStore({ client: conn.client, prefix: `${shared}one:` });
    const two = createRedisStore({ client: conn.client, prefix: `${shared}two:` });
    const policy = sliding(1, 60_000);
    expect((await one.consume("k", policy, 1)).map((d) => d.allowed).unwrapOr(false)).toBe(true);
    expect((await one.consume("k", policy, 1)).map((d) => d.allowed).unwrapOr(true)).toBe(false);
    expect((await two.consume("k", policy, 1)).map((d) => d.allowed).unwrapOr(false)).toBe(true);
    await two.reset("k");
    expect((await one.consume("k", policy, 1)).map((d) => d.allowed).unwrapOr(true)).toBe(false);
  });

  it.skipIf(skip)(
    `answers Err for data it did not write (a wrong type, a malformed state)${why}`,
    async () => {
      const store = createRedisStore({ client: conn.client, prefix: unique() });
      await admin.raw(["SET", await store.redisKey("string"), "x"]);
      expect((await store.consume("string", sliding(5, 1000), 1)).isErr()).toBe(true);
      await admin.raw(["HSET", await store.redisKey("bad"), "s:5:1000", "1:2"]);
      expect((await store.consume("bad", sliding(5, 1000), 1)).isErr()).toBe(true);
      await admin.raw(["HSET", await store.redisKey("bad"), "t:5:1000", "-1:2"]);
      expect((await store.consume("bad", bucket(5, 1000), 1)).isErr()).toBe(true);
      await admin.raw(["DEL", await store.redisKey("string"), await store.redisKey("bad")]);
    },
  );

  it.skipIf(skip)(
    `counts keys with braces, newlines, lone surrogates and 1 KB apart${why}`,
    { timeout: PROPERTY_TIMEOUT },
    async () => {
      const store = createRedisStore({ client: conn.client, prefix: unique() });
      const odd = fc.oneof(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.string({
          unit: fc.constantFrom("{", "}", "%", "\n", "\r", "\0", "\uD800", "\uDC00", "a"),
          maxLength: 12,
        }),
        fc.string({ unit: "binary", minLength: 1024, maxLength: 1024 }),
      );
      const policy = sliding(1, 60_000);
      await fc.assert(
        fc.asyncProperty(odd, odd, async (a, b) => {
          fc.pre(a !== b);
          const tag = crypto.randomUUID();
          const first = await store.consume(tag + a, policy, 1);
          const again = await store.consume(tag + a, policy, 1);
          const other = await store.consume(tag + b, policy, 1);
          expect([first, again, other].map((d) => d.isOk() && d.value.allowed)).toEqual([true, false, true]);
        }),
        { numRuns: 1000 },
      );
    },
  );

  it.skipIf(skip)(`answers Err, never throws, when Redis is down${why}`, { timeout: 30_000 }, async () => {
    for (const open of [() => kind.openDown(), () => kind.openRetrying()]) {
      const down = await open();
      try {
        const store = createRedisStore({ client: down.client, timeoutMs: 300 });
        const decision = await store.consume("k", sliding(5, 1000), 1);
        expect(decision.isErr() && decision.error._tag).toBe("RateLimitStoreUnavailable");
        expect(decision.isErr() && decision.error.message).not.toMatch(/127\.0\.0\.1/);
        const reset = await store.reset("k");
        expect(reset.isErr()).toBe(true);
      } finally {
        await down.close();
      }
    }
  });
});

describe("four processes sharing the real Redis", () => {
  it.skipIf(runtime !== "node")(
    "admit exactly the limit of 1,000 concurrent requests for one key, per algorithm (Node only: it spawns Node child processes)",
    { timeout: 120_000 },
    async () => {
      const url = await redisService();
      const { build } = await import("esbuild");
      const { spawn } = await import("node:child_process");
      const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const { join } = await import("node:path");
      const { createRequire } = await import("node:module");
      const { fileURLToPath, pathToFileURL } = await import("node:url");
      const require = createRequire(import.meta.url);
      const dir = mkdtempSync(join(tmpdir(), "keel-redis-store-"));
      const prefix = unique();
      try {
        await build({
          entryPoints: [fileURLToPath(new URL("../../src/rate-limit/redis.ts", import.meta.url))],
          bundle: true,
          format: "esm",
          platform: "node",
          outfile: join(dir, "store.mjs"),
          logLevel: "silent",
        });
        writeFileSync(join(dir, "child.mjs"), CHILD);
        const limit = 137;
        const args = [
          url,
          prefix,
          String(limit),
          pathToFileURL(require.resolve("ioredis")).href,
          pathToFileURL(require.resolve("redis")).href,
        ];
        const children = [0, 1, 2, 3].map((index) =>
          spawn(process.execPath, [join(dir, "child.mjs"), index < 2 ? "ioredis" : "node-redis", ...args], {
            stdio: ["pipe", "pipe", "inherit"],
          }),
        );
        const lines = children.map((child) => {
          let buffer = "";
          const waiters: ((line: string) => void)[] = [];
          const queued: string[] = [];
          child.stdout.setEncoding("utf8");
          child.stdout.on("data", (chunk: string) => {
            buffer += chunk;
            for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
              const line = buffer.slice(0, at);
              buffer = buffer.slice(at + 1);
              const waiter = waiters.shift();
              if (waiter) waiter(line);
              else queued.push(line);
            }
          });
          return () =>
            new Promise<string>((resolve, reject) => {
              const line = queued.shift();
              if (line !== undefined) return resolve(line);
              waiters.push(resolve);
              child.once("exit", (code) => reject(new Error(`a child exited with ${code}`)));
            });
        });
        // Everyone connected and warmed up, then all fire at once.
        expect(await Promise.all(lines.map((next) => next()))).toEqual(["ready", "ready", "ready", "ready"]);
        for (const child of children) child.stdin.write("go\n");
        const reports = (await Promise.all(lines.map((next) => next()))).map(
          (line) => JSON.parse(line) as { sliding: number; bucket: number; errors: number },
        );
        expect(reports.reduce((sum, report) => sum + report.errors, 0)).toBe(0);
        expect(reports.reduce((sum, report) => sum + report.sliding, 0)).toBe(limit);
        expect(reports.reduce((sum, report) => sum + report.bucket, 0)).toBe(limit);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        const { Redis } = await import("ioredis");
        const redis = new Redis(url);
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    },
  );
});

// Each child: one client (ioredis or node-redis), 250 decisions per algorithm for the same key, all at once.
const CHILD = `import { createRedisStore, ioredisClient, nodeRedisClient } from "./store.mjs";
const [kind, url, prefix, limitText, ioredisUrl, redisUrl] = process.argv.slice(2);
const limit = Number(limitText);
let client;
let close;
if (kind === "ioredis") {
  const mod = await import(ioredisUrl);
  const Redis = mod.Redis ?? mod.default.Redis ?? mod.default;
  const redis = new Redis(url);
  client = ioredisClient(redis);
  close = async () => redis.disconnect();
} else {
  const mod = await import(redisUrl);
  const createClient = mod.createClient ?? mod.default.createClient;
  const redis = createClient({ url });
  await redis.connect();
  client = nodeRedisClient(redis);
  close = async () => redis.destroy();
}
const store = createRedisStore({ client, prefix, timeoutMs: 60000 });
const warm = await store.consume("warm-up", { algorithm: "sliding-window", limit: 1, windowMs: 1000 }, 1);
if (warm.isErr()) throw warm.error;
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const policies = [
  { algorithm: "sliding-window", limit, windowMs: 3600000 },
  { algorithm: "token-bucket", limit, windowMs: 86400000 },
];
const decisions = await Promise.all(
  policies.flatMap((policy) => Array.from({ length: 250 }, () => store.consume("hot", policy, 1).then((d) => [policy.algorithm, d]))),
);
const count = (algorithm) => decisions.filter(([a, d]) => a === algorithm && d.isOk() && d.value.allowed).length;
process.stdout.write(JSON.stringify({
  sliding: count("sliding-window"),
  bucket: count("token-bucket"),
  errors: decisions.filter(([, d]) => d.isErr()).length,
}) + "\\n");
await close();
process.exit(0);
`;
