import { err, ok } from "@keel/result";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { byClientIp, clientIp, rateLimit, rateLimitResponse } from "../../src/hono.ts";
import {
  createLoginLimiter,
  createMemoryStore,
  createRateLimiter,
  type RateLimitStore,
  RateLimitStoreUnavailable,
  rateLimitKey,
} from "../../src/rate-limit/index.ts";

const failing: RateLimitStore = {
  consume: async () => err(new RateLimitStoreUnavailable({ cause: new Error("redis down") })),
  reset: async () => err(new RateLimitStoreUnavailable()),
};

/** An app limited per client address; the test plays the connection's peer with `x-test-peer`. */
function appByIp(limit: number, trustedProxies?: string[]) {
  const limiter = createRateLimiter({ store: createMemoryStore(), limit, windowMs: 60_000, name: "per-ip" });
  return new Hono()
    .use(
      clientIp({
        remoteAddress: (c) => c.req.header("x-test-peer"),
        ...(trustedProxies === undefined ? {} : { trustedProxies }),
      }),
    )
    .use(rateLimit({ limiter, key: byClientIp() }))
    .get("/", (c) => c.text("ok"));
}

describe("rateLimit()", () => {
  it("puts RateLimit-Policy and RateLimit on every admitted response, then answers 429 as a problem", async () => {
    const limiter = createRateLimiter({
      store: createMemoryStore({ now: () => 0 }),
      limit: 2,
      windowMs: 60_000,
      name: "api",
    });
    const app = new Hono()
      .use(rateLimit({ limiter, key: () => rateLimitKey("user", "u-1") }))
      .get("/", (c) => c.text("ok"))
      .get("/missing", (c) => c.notFound());
    const first = await app.request("/");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"api";q=2;w=60');
    expect(first.headers.get("ratelimit")).toBe('"api";r=1;t=120');
    expect(first.headers.get("retry-after")).toBeNull();
    const second = await app.request("/missing");
    expect(second.status).toBe(404);
    expect(second.headers.get("ratelimit")).toBe('"api";r=0;t=120');
    const third = await app.request("/");
    expect(third.status).toBe(429);
    expect(third.headers.get("content-type")).toBe("application/problem+json");
    expect(third.headers.get("retry-after")).toBe("90"); // the 2 of this window weigh 1 at 30 s into the next
    expect(third.headers.get("ratelimit")).toBe('"api";r=0;t=120');
    const body = await third.json();
    expect(body).toMatchObject({ status: 429 });
    expect(JSON.stringify(body)).not.toMatch(/u-1|user/);
  });

  it("never repeats the client's address or key in the 429 body", async () => {
    const app = appByIp(1);
    await app.request("/", { headers: { "x-test-peer": "203.0.113.77" } });
    const refused = await app.request("/", { headers: { "x-test-peer": "203.0.113.77" } });
    expect(refused.status).toBe(429);
    const text = await refused.text();
    expect(text).not.toMatch(/203\.0\.113|ip:/);
  });

  it("gives IPv4-mapped and plain IPv4, and one IPv6 /56, one bucket", async () => {
    const app = appByIp(1);
    const ask = (peer: string) => app.request("/", { headers: { "x-test-peer": peer } });
    expect((await ask("::ffff:192.0.2.10")).status).toBe(200);
    expect((await ask("192.0.2.10")).status).toBe(429);
    expect((await ask("2001:db8:5:a00::1")).status).toBe(200);
    expect((await ask("2001:db8:5:aff:1234::99")).status).toBe(429);
    expect((await ask("2001:db8:5:b00::1")).status).toBe(200);
  });

  it("ignores X-Forwarded-For from an untrusted peer: spoofing changes neither the key nor the outcome", async () => {
    const app = appByIp(2, ["10.0.0.0/8"]);
    const spoof = (xff: string) =>
      app.request("/", { headers: { "x-test-peer": "198.51.100.66", "x-forwarded-for": xff } });
    expect((await spoof("1.1.1.1")).status).toBe(200);
    expect((await spoof("2.2.2.2")).status).toBe(200);
    expect((await spoof("3.3.3.3, 4.4.4.4")).status).toBe(429);
    // Through the trusted proxy the forwarded client is the key.
    const viaProxy = (client: string) =>
      app.request("/", { headers: { "x-test-peer": "10.0.0.1", "x-forwarded-for": client } });
    expect((await viaProxy("1.1.1.1")).status).toBe(200);
    expect((await viaProxy("5.5.5.5")).status).toBe(200);
  });

  it("limits requests whose address is unknown together, never exempts them", async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
    const app = new Hono().use(rateLimit({ limiter, key: byClientIp() })).get("/", (c) => c.text("ok"));
    expect((await app.request("/")).status).toBe(200);
    expect((await app.request("/", { headers: { "x-forwarded-for": "9.9.9.9" } })).status).toBe(429);
  });

  it("exempts a request whose key function answers undefined, and charges a cost", async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 10, windowMs: 60_000 });
    const app = new Hono()
      .use(
        rateLimit({
          limiter,
          key: (c) => c.req.header("x-user"),
          cost: (c) => (c.req.path === "/export" ? 10 : 1),
        }),
      )
      .get("/*", (c) => c.text("ok"));
    expect((await app.request("/")).headers.get("ratelimit")).toBeNull();
    expect((await app.request("/export", { headers: { "x-user": "u" } })).status).toBe(200);
    expect((await app.request("/", { headers: { "x-user": "u" } })).status).toBe(429);
  });

  it("answers 503 when the store fails and the limiter fails closed", async () => {
    const onStoreError = vi.fn();
    const limiter = createRateLimiter({ store: failing, limit: 5, windowMs: 60_000, onStoreError });
    const app = new Hono().use(rateLimit({ limiter, key: () => "k" })).get("/", (c) => c.text("ok"));
    const response = await app.request("/");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("ratelimit")).toBeNull();
    expect(await response.text()).not.toMatch(/redis/);
    expect(onStoreError).toHaveBeenCalledTimes(1);
  });

  it("passes and reports when the store fails and the limiter fails open", async () => {
    const onStoreError = vi.fn();
    const limiter = createRateLimiter({
      store: failing,
      limit: 5,
      windowMs: 60_000,
      failure: "open",
      onStoreError,
    });
    const app = new Hono().use(rateLimit({ limiter, key: () => "k" })).get("/", (c) => c.text("ok"));
    const response = await app.request("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit")).toBeNull();
    expect(response.headers.get("ratelimit-policy")).toBe('"default";q=5;w=60');
    expect(onStoreError).toHaveBeenCalledTimes(1);
  });

  it("lists both policies when two limiters apply", async () => {
    const store = createMemoryStore({ now: () => 0 });
    const burst = createRateLimiter({ store, limit: 5, windowMs: 1000, name: "burst" });
    const hourly = createRateLimiter({
      store,
      limit: 100,
      windowMs: 3_600_000,
      name: "hourly",
      algorithm: "token-bucket",
    });
    const app = new Hono()
      .use(rateLimit({ limiter: hourly, key: () => "k" }))
      .use(rateLimit({ limiter: burst, key: () => "k" }))
      .get("/", (c) => c.text("ok"));
    const response = await app.request("/");
    expect(response.headers.get("ratelimit-policy")).toBe('"burst";q=5;w=1, "hourly";q=100;w=3600');
    expect(response.headers.get("ratelimit")).toBe('"burst";r=4;t=2, "hourly";r=99;t=36');
  });

  it("adds the headers to an immutable response passed through", async () => {
    const limiter = createRateLimiter({
      store: createMemoryStore({ now: () => 0 }),
      limit: 5,
      windowMs: 60_000,
    });
    const app = new Hono()
      .use(rateLimit({ limiter, key: () => "k" }))
      .get("/", () => Response.redirect("https://example.com/", 302));
    const response = await app.request("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("ratelimit")).toBe('"default";r=4;t=120');
  });

  it("adds only its own headers, even with a polluted Object.prototype", async () => {
    const limiter = createRateLimiter({
      store: createMemoryStore({ now: () => 0 }),
      limit: 1,
      windowMs: 60_000,
    });
    const app = new Hono().use(rateLimit({ limiter, key: () => "k" })).get("/", (c) => c.text("ok"));
    const proto = Object.prototype as Record<string, unknown>;
    proto["X-Polluted"] = "1";
    try {
      const admitted = await app.request("/");
      const refused = await app.request("/");
      expect(admitted.status).toBe(200);
      expect(refused.status).toBe(429);
      expect(admitted.headers.get("x-polluted")).toBe(null);
      expect(refused.headers.get("ratelimit")).toBe('"default";r=0;t=120'); // (Hono's c.body adds the rest)
    } finally {
      delete proto["X-Polluted"];
    }
  });

  it("refuses bad options at set-up", () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 5, windowMs: 60_000 });
    expect(() => rateLimit({ limiter: {} as never, key: () => "k" })).toThrow(/^rateLimit: limiter/);
    expect(() => rateLimit({ limiter, key: "ip" as never })).toThrow(/^rateLimit: key/);
    expect(() => rateLimit({ limiter, key: () => "k", cost: 6 })).toThrow(/^rateLimit: cost/);
    expect(() => rateLimit({ limiter, keyGenerator: () => "k" } as never)).toThrow(
      /^rateLimit: unknown option keyGenerator/,
    );
    expect(() => byClientIp({ ipv6Prefix: 129 })).toThrow(/ipv6Prefix/);
  });
});

describe("login pattern with rateLimitResponse()", () => {
  function loginApp(options: { ipLimit?: number } = {}) {
    const login = createLoginLimiter({ store: createMemoryStore(), ...options });
    const app = new Hono()
      .use(clientIp({ remoteAddress: (c) => c.req.header("x-test-peer") }))
      .post("/login", async (c) => {
        const { account, password } = await c.req.json<{ account: string; password: string }>();
        const attempt = await login.attempt({ account, ip: c.var.clientIp });
        if (attempt.isErr()) return rateLimitResponse(c, login, attempt.error);
        if (password !== "correct horse") return c.json({ error: "wrong account or password" }, 401);
        await login.recordSuccess({ account, ip: c.var.clientIp });
        return c.json({ ok: true }, 200, login.headers(attempt.value));
      });
    const post = (account: string, password: string, peer = "192.0.2.50") =>
      app.request("/login", {
        method: "POST",
        headers: { "x-test-peer": peer, "content-type": "application/json" },
        body: JSON.stringify({ account, password }),
      });
    return post;
  }

  it("answers the 6th failed login in a minute with 429, Retry-After and the policy headers", async () => {
    const post = loginApp();
    for (let i = 0; i < 5; i++) expect((await post("alice", "guess")).status).toBe(401);
    const sixth = await post("alice", "guess");
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(sixth.headers.get("ratelimit-policy")).toBe('"login-ip";q=5;w=60');
    expect(sixth.headers.get("ratelimit")).toMatch(/^"login-ip";r=0;t=\d+$/);
    expect(await sixth.text()).not.toMatch(/alice|192\.0\.2/);
    // The right password does not get through either: the password is not even checked.
    expect((await post("alice", "correct horse")).status).toBe(429);
  });

  it("a success resets the account: the next failures start again from zero", async () => {
    const post = loginApp({ ipLimit: 20 });
    for (let i = 0; i < 4; i++) expect((await post("bob", "guess")).status).toBe(401);
    expect((await post("bob", "correct horse")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post("bob", "guess")).status).toBe(401);
    const sixth = await post("bob", "guess");
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("ratelimit-policy")).toBe('"login-account-ip";q=5;w=60');
  });

  it("lets `ada` in with the right password from a fresh address after five failures from others (issue #20)", async () => {
    const post = loginApp();
    for (let i = 0; i < 5; i++) expect((await post("ada", "guess", `198.51.100.${i}`)).status).toBe(401);
    const real = await post("ada", "correct horse", "203.0.113.9");
    expect(real.status).toBe(200);
    // The headers report the tightest of the three counts: one address has used one attempt of its 5.
    expect(real.headers.get("ratelimit")).toMatch(/^"login-(ip|account-ip)";r=4;t=\d+$/);
  });

  it("answers 503 while a fail-closed store is down", async () => {
    const login = createLoginLimiter({
      store: { consume: async () => err(new RateLimitStoreUnavailable()), reset: async () => ok(undefined) },
    });
    const app = new Hono().post("/login", async (c) => {
      const attempt = await login.attempt({ account: "x", ip: undefined });
      return attempt.isErr() ? rateLimitResponse(c, login, attempt.error) : c.text("checked");
    });
    expect((await app.request("/login", { method: "POST" })).status).toBe(503);
  });
});
