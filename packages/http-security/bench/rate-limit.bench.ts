// The memory rate limiter against the memory stores of hono-rate-limiter and express-rate-limit, in the same
// process: one decision per call, on 1,024 keys in turn, with a limit never reached (every call counts).
// The anchors' stores are called directly (`increment(key)`), as our store's `consume`/`consumeSync` are.
// See scripts/lib/bench.ts.

import { rateLimit } from "@keel/http-security/hono";
import { createMemoryStore, createRateLimiter, type RateLimitPolicy } from "@keel/http-security/rate-limit";
import { MemoryStore as ExpressMemoryStore } from "express-rate-limit";
import { Hono } from "hono";
import { MemoryStore as HonoMemoryStore, rateLimiter } from "hono-rate-limiter";
import { compare } from "../../../scripts/lib/bench.ts";

const WINDOW_MS = 60_000;
const LIMIT = 1_000_000_000;
const keys = Array.from({ length: 1024 }, (_, i) => `ip:203.0.${i >> 8}.${i & 255}`);
const rotate = () => {
  let i = 0;
  return () => keys[i++ & 1023] as string;
};

// hono-rate-limiter's and express-rate-limit's stores take their window in init(); both count fixed windows.
const honoStore = new HonoMemoryStore();
honoStore.init({ windowMs: WINDOW_MS } as never);
const expressStore = new ExpressMemoryStore();
expressStore.init({ windowMs: WINDOW_MS } as never);

const store = createMemoryStore({ maxKeys: 100_000 });
// Frozen, as the limiter's policy is: the store validates a frozen policy object once.
const sliding: RateLimitPolicy = Object.freeze({
  algorithm: "sliding-window",
  limit: LIMIT,
  windowMs: WINDOW_MS,
});
const bucket: RateLimitPolicy = Object.freeze({ algorithm: "token-bucket", limit: LIMIT, windowMs: 60 });
const limiter = createRateLimiter({ store, limit: LIMIT, windowMs: WINDOW_MS, name: "bench" });

{
  const honoKey = rotate();
  const keelKey = rotate();
  compare({
    name: "memory store, one decision, synchronous (sliding window)",
    anchor: { label: "hono-rate-limiter MemoryStore.increment", run: () => honoStore.increment(honoKey()) },
    keel: { label: "createMemoryStore().consumeSync", run: () => store.consumeSync(keelKey(), sliding) },
  });
}
{
  const honoKey = rotate();
  const keelKey = rotate();
  compare({
    name: "memory store, one decision, synchronous (token bucket)",
    anchor: { label: "hono-rate-limiter MemoryStore.increment", run: () => honoStore.increment(honoKey()) },
    keel: { label: "createMemoryStore().consumeSync", run: () => store.consumeSync(keelKey(), bucket) },
  });
}
{
  const expressKey = rotate();
  const keelKey = rotate();
  compare({
    name: "memory store, one decision, through a Promise",
    anchor: {
      label: "express-rate-limit MemoryStore.increment",
      run: () => expressStore.increment(expressKey()),
    },
    keel: { label: "createMemoryStore().consume", run: () => store.consume(keelKey(), sliding, 1) },
  });
}
{
  const expressKey = rotate();
  const keelKey = rotate();
  compare({
    name: "memory limiter, one check (Promise of a Result)",
    anchor: {
      label: "express-rate-limit MemoryStore.increment",
      run: () => expressStore.increment(expressKey()),
    },
    keel: { label: "createRateLimiter().check", run: () => limiter.check(keelKey()) },
  });
}

// Issue #20: a full store under an attacker who mints keys (IPv6 networks, account names). 300,000 keys in
// turn through a store of maxKeys 100,000: every decision is a new key that evicts another. The anchor keeps
// every key (hono-rate-limiter's store has no bound), so it pays no eviction at all.
{
  const many = Array.from(
    { length: 300_000 },
    (_, i) => `ip:2001:db8:${i >>> 16}:${(i & 0xffff).toString(16)}::`,
  );
  const cycle = () => {
    let i = 0;
    return () => many[i++ % many.length] as string;
  };
  const full = createMemoryStore({ maxKeys: 100_000 });
  const honoMany = new HonoMemoryStore();
  honoMany.init({ windowMs: WINDOW_MS } as never);
  const honoKey = cycle();
  const keelKey = cycle();
  for (let i = 0; i < many.length; i++) full.consumeSync(keelKey(), sliding); // full, 200,000 evicted already
  compare({
    name: "memory store full (maxKeys 100,000, 300,000 keys in turn), a new key every decision",
    anchor: {
      label: "hono-rate-limiter MemoryStore.increment (unbounded)",
      run: () => honoMany.increment(honoKey()),
    },
    keel: {
      label: "createMemoryStore({ maxKeys: 100_000 }).consumeSync",
      run: () => full.consumeSync(keelKey(), sliding),
    },
  });
}

// The whole middleware, through app.request(): hono-rate-limiter (its default MemoryStore, draft-7 headers)
// against rateLimit() (memory store, draft-09 headers), both keyed by a request header.
{
  const handler = () => new Response("ok");
  const honoApp = new Hono()
    .use(
      rateLimiter({
        windowMs: WINDOW_MS,
        limit: LIMIT,
        standardHeaders: "draft-7",
        keyGenerator: (c) => c.req.header("x-client") ?? "",
      }),
    )
    .get("/", handler);
  const keelApp = new Hono()
    .use(
      rateLimit({
        limiter: createRateLimiter({ store: createMemoryStore(), limit: LIMIT, windowMs: WINDOW_MS }),
        key: (c) => c.req.header("x-client"),
      }),
    )
    .get("/", handler);
  const honoKey = rotate();
  const keelKey = rotate();
  compare({
    name: "Hono middleware, one request (memory store)",
    anchor: {
      label: "hono-rate-limiter rateLimiter()",
      run: () => honoApp.request(new Request("http://api.test/", { headers: { "x-client": honoKey() } })),
    },
    keel: {
      label: "rateLimit()",
      run: () => keelApp.request(new Request("http://api.test/", { headers: { "x-client": keelKey() } })),
    },
  });
}
