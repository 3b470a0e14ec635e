import { err, ok } from "@keel/result";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { httpSecurityProblemStatuses } from "../../src/index.ts";
import {
  accountRateLimitKey,
  createLoginLimiter,
  createMemoryStore,
  createRateLimiter,
  ipRateLimitKey,
  type LoginLimiterOptions,
  RateLimited,
  type RateLimitStore,
  RateLimitStoreUnavailable,
  rateLimitKey,
} from "../../src/rate-limit/index.ts";

const PROPERTY_TIMEOUT = 120_000;

/** A store whose every call fails the way the contract says (Err), or breaks it (throws). */
function brokenStore(mode: "err" | "throw"): RateLimitStore {
  const fail = async () => {
    if (mode === "throw") throw new Error("ECONNREFUSED 10.0.0.5:6379");
    return err(new RateLimitStoreUnavailable({ cause: new Error("ECONNREFUSED") }));
  };
  return { consume: fail, reset: fail };
}

/** A memory store that records the key of every decision it is asked for. */
function spyStore(): { seen: string[]; spy: RateLimitStore } {
  const seen: string[] = [];
  const store = createMemoryStore();
  const spy: RateLimitStore = {
    consume: (key, policy, cost) => {
      seen.push(key);
      return store.consume(key, policy, cost);
    },
    reset: (key) => store.reset(key),
  };
  return { seen, spy };
}

describe("createRateLimiter", () => {
  it("admits the limit, then refuses with RateLimited carrying the decision", async () => {
    let now = 0;
    const limiter = createRateLimiter({
      store: createMemoryStore({ now: () => now }),
      limit: 3,
      windowMs: 10_000,
      name: "api",
    });
    for (const remaining of [2, 1, 0]) {
      const result = await limiter.check("k");
      expect(result.isOk() && result.value).toMatchObject({
        allowed: true,
        policy: "api",
        limit: 3,
        remaining,
      });
    }
    const refused = await limiter.check("k");
    expect(refused.isErr() && refused.error).toBeInstanceOf(RateLimited);
    expect(refused.isErr() && refused.error).toMatchObject({
      policy: "api",
      limit: 3,
      remaining: 0,
      retryAfterMs: 13_334, // the 3 of this window weigh 2 in the next one at 3,334 ms
    });
    now = 20_000;
    expect((await limiter.check("k")).isOk()).toBe(true);
  });

  it("admits exactly the limit under 1,000 concurrent checks of one key", async () => {
    for (const algorithm of ["sliding-window", "token-bucket"] as const) {
      const limiter = createRateLimiter({
        store: createMemoryStore(),
        limit: 100,
        windowMs: 3_600_000,
        algorithm,
      });
      const results = await Promise.all(Array.from({ length: 1000 }, () => limiter.check("one-key")));
      expect(results.filter((r) => r.isOk())).toHaveLength(100);
      expect(results.filter((r) => r.isErr() && r.error._tag === "RateLimited")).toHaveLength(900);
    }
  });

  it("counts a cost and refuses a cost outside 1..limit", async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 10, windowMs: 60_000 });
    const result = await limiter.check("k", 4);
    expect(result.isOk() && result.value.remaining).toBe(6);
    await expect(limiter.check("k", 11)).rejects.toThrow(TypeError);
    await expect(limiter.check("k", 0)).rejects.toThrow(TypeError);
    await expect(limiter.check("k", 1.5)).rejects.toThrow(TypeError);
  });

  it("namespaces keys by name: limiters sharing a store do not share counts", async () => {
    const store = createMemoryStore();
    const a = createRateLimiter({ store, limit: 1, windowMs: 60_000, name: "a" });
    const b = createRateLimiter({ store, limit: 1, windowMs: 60_000, name: "b" });
    expect((await a.check("k")).isOk()).toBe(true);
    expect((await b.check("k")).isOk()).toBe(true);
    expect((await a.check("k")).isErr()).toBe(true);
    const again = createRateLimiter({ store, limit: 1, windowMs: 60_000, name: "a" });
    expect((await again.check("k")).isErr()).toBe(true); // same name, same counts (other processes)
    expect((await b.check("k")).isErr()).toBe(true);
    expect((await a.reset("k")).isOk()).toBe(true); // forgets a's count only
    expect((await b.check("k")).isErr()).toBe(true);
    expect((await a.check("k")).isOk()).toBe(true);
    expect((await store.reset("k")).isOk()).toBe(true); // the store's own keys are apart from the limiters'
    expect((await b.check("k")).isErr()).toBe(true);
  });

  it("shortens very long keys, so an attacker-chosen key cannot grow memory without bound", async () => {
    const { seen, spy } = spyStore();
    const limiter = createRateLimiter({ store: spy, limit: 1, windowMs: 60_000 });
    await limiter.check("x".repeat(1_000_000));
    expect(seen[0]?.length).toBeLessThan(600);
    expect((await limiter.check("x".repeat(999_999))).isOk()).toBe(true); // another length, another key
  });

  it("names a long key by its SHA-256, which no short key can pose as, and keeps escaped spellings apart", async () => {
    const { seen, spy } = spyStore();
    const limiter = createRateLimiter({ store: spy, limit: 1, windowMs: 60_000 });
    const victim = `account:${"v".repeat(600)}`;
    expect((await limiter.check(victim)).isOk()).toBe(true);
    const hashedName = (seen[0] ?? "").slice((seen[0] ?? "").indexOf("%h"));
    expect(hashedName).toMatch(/^%h[0-9a-f]{64}$/);
    expect((await limiter.check(hashedName)).isOk()).toBe(true); // the name itself is another key
    const long = "w".repeat(600);
    expect((await limiter.check(`${long}\u00e9`)).isOk()).toBe(true);
    expect((await limiter.check(`${long}\u00e9`)).isErr()).toBe(true);
    expect((await limiter.check(`${long}\\u00e9`)).isOk()).toBe(true); // a literal backslash-u, not é
    expect((await limiter.check(`${long}\ud800`)).isOk()).toBe(true);
    expect((await limiter.check(`${long}\udc00`)).isOk()).toBe(true); // another lone surrogate
    expect((await limiter.reset(victim)).isOk()).toBe(true);
    expect((await limiter.check(victim)).isOk()).toBe(true);
  });

  it("keeps two long keys that differ only past the cut apart (same prefix, same length)", async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
    const long = "a".repeat(600);
    expect((await limiter.check(`${long}x`)).isOk()).toBe(true);
    expect((await limiter.check(`${long}y`)).isOk()).toBe(true); // another account, its own count
    expect((await limiter.check(`${long}x`)).isErr()).toBe(true);
  });

  it("treats a store answering something else than a Result of a decision as a failure, never a rejection", async () => {
    const answers: unknown[] = [
      undefined,
      null,
      { allowed: true },
      ok(undefined),
      ok({ allowed: "yes", limit: 1, remaining: 0, resetMs: 0, retryAfterMs: 0 }),
      ok({ allowed: false, limit: 1, remaining: 0, resetMs: 1000, retryAfterMs: Number.NaN }),
    ];
    for (const answer of answers) {
      const store = { consume: async () => answer, reset: async () => answer } as unknown as RateLimitStore;
      const onStoreError = vi.fn();
      const closed = createRateLimiter({ store, limit: 1, windowMs: 1000, onStoreError });
      const checked = await closed.check("k");
      expect(checked.isErr() && checked.error._tag).toBe("RateLimitStoreUnavailable");
      const isResult = typeof (answer as { isOk?: unknown } | null)?.isOk === "function";
      expect((await closed.reset("k")).isOk()).toBe(isResult); // resolves either way, Err for a non-Result
      expect(onStoreError).toHaveBeenCalled();
      const open = createRateLimiter({ store, limit: 1, windowMs: 1000, failure: "open" });
      const passed = await open.check("k");
      expect(passed.isOk() && passed.value.unavailable?._tag).toBe("RateLimitStoreUnavailable");
    }
  });

  it("resets a key", async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
    await limiter.check("k");
    expect((await limiter.check("k")).isErr()).toBe(true);
    expect((await limiter.reset("k")).isOk()).toBe(true);
    expect((await limiter.check("k")).isOk()).toBe(true);
  });

  it.each([
    [{ limit: 0 }, /^createRateLimiter: limit/],
    [{ limit: 2.5 }, /^createRateLimiter: limit/],
    [{ windowMs: 0 }, /^createRateLimiter: windowMs/],
    [{ windowMs: Number.NaN }, /^createRateLimiter: windowMs/],
    [{ limit: 2 ** 30, windowMs: 2 ** 30 }, /^createRateLimiter: limit \* windowMs/],
    [{ algorithm: "leaky" }, /^createRateLimiter: algorithm/],
    [{ name: 'a"b' }, /^createRateLimiter: name/],
    [{ name: "" }, /^createRateLimiter: name/],
    [{ name: "a:b" }, /^createRateLimiter: name/],
    [{ failure: "ignore" }, /^createRateLimiter: failure/],
    [{ onStoreError: "log" }, /^createRateLimiter: onStoreError/],
    [{ store: {} }, /^createRateLimiter: store/],
    [{ windowMS: 1000 }, /^createRateLimiter: unknown option windowMS \(did you mean windowMs\?\)/],
    [{ failOpen: true }, /^createRateLimiter: unknown option failOpen/],
  ])("refuses %o at set-up", (bad, message) => {
    expect(() =>
      createRateLimiter({ store: createMemoryStore(), limit: 5, windowMs: 1000, ...(bad as object) }),
    ).toThrow(message);
  });

  it("asks the store whether it can apply the policy, once, at set-up, and throws its answer naming the option", () => {
    const memory = createMemoryStore();
    const seen: unknown[] = [];
    const picky: RateLimitStore = {
      consume: (key, policy, cost) => memory.consume(key, policy, cost),
      reset: (key) => memory.reset(key),
      policyProblem(policy) {
        seen.push(policy);
        return policy.windowMs === 1000 ? undefined : "windowMs must be 1000 for this store";
      },
    };
    expect(() => createRateLimiter({ store: picky, limit: 5, windowMs: 2000 })).toThrow(
      /^createRateLimiter: windowMs must be 1000 for this store$/,
    );
    const limiter = createRateLimiter({ store: picky, limit: 5, windowMs: 1000 });
    expect(seen).toEqual([
      { algorithm: "sliding-window", limit: 5, windowMs: 2000 },
      { algorithm: "sliding-window", limit: 5, windowMs: 1000 },
    ]);
    expect(limiter.policy.windowMs).toBe(1000);
  });
});

describe("failure modes", () => {
  it.each(["err", "throw"] as const)(
    "fails closed by default when the store %ss, and reports it",
    async (mode) => {
      const onStoreError = vi.fn();
      const limiter = createRateLimiter({ store: brokenStore(mode), limit: 5, windowMs: 1000, onStoreError });
      expect(limiter.failure).toBe("closed");
      const result = await limiter.check("k");
      expect(result.isErr() && result.error._tag).toBe("RateLimitStoreUnavailable");
      expect(onStoreError).toHaveBeenCalledTimes(1);
      expect(onStoreError.mock.calls[0]?.[0]).toBeInstanceOf(RateLimitStoreUnavailable);
      if (result.isErr()) {
        expect(result.error.message).not.toMatch(/10\.0\.0\.5|ECONNREFUSED/);
        expect(limiter.headers(result.error)).toEqual({ "RateLimit-Policy": '"default";q=5;w=1' });
      }
      expect((await limiter.reset("k")).isErr()).toBe(true);
    },
  );

  it.each(["err", "throw"] as const)(
    "fails open on request when the store %ss: admitted, marked, reported",
    async (mode) => {
      const onStoreError = vi.fn(() => {
        throw new Error("a reporter that throws changes nothing");
      });
      const limiter = createRateLimiter({
        store: brokenStore(mode),
        limit: 5,
        windowMs: 1000,
        failure: "open",
        onStoreError,
      });
      const result = await limiter.check("k");
      expect(result.isOk()).toBe(true);
      if (result.isOk()) {
        expect(result.value.unavailable?._tag).toBe("RateLimitStoreUnavailable");
        expect(limiter.headers(result.value)).toEqual({ "RateLimit-Policy": '"default";q=5;w=1' });
      }
      expect(onStoreError).toHaveBeenCalledTimes(1);
    },
  );
});

describe("headers (draft-ietf-httpapi-ratelimit-headers)", () => {
  // An sf-item: a quoted policy name and integer parameters (RFC 9651).
  const ITEM = /^"[A-Za-z0-9_.-]{1,64}"(;[a-z]+=\d+)+$/;

  it("names the policy, its quota and window, the remaining units and the reset, in whole seconds", async () => {
    let now = 0;
    const limiter = createRateLimiter({
      store: createMemoryStore({ now: () => now }),
      limit: 2,
      windowMs: 1500,
      algorithm: "token-bucket",
      name: "search.v2",
    });
    const first = await limiter.check("k");
    if (!first.isOk()) throw new Error("expected a pass");
    const admitted = limiter.headers(first.value);
    expect(admitted).toEqual({ "RateLimit-Policy": '"search.v2";q=2;w=2', RateLimit: '"search.v2";r=1;t=1' });
    for (const value of Object.values(admitted)) expect(value).toMatch(ITEM);
    await limiter.check("k");
    now = 10;
    const refused = await limiter.check("k");
    if (!refused.isErr() || !(refused.error instanceof RateLimited)) throw new Error("expected a refusal");
    expect(refused.error.retryAfterMs).toBe(740);
    expect(limiter.headers(refused.error)).toEqual({
      "RateLimit-Policy": '"search.v2";q=2;w=2',
      RateLimit: '"search.v2";r=0;t=2',
      "Retry-After": "1",
    });
  });

  it("maps RateLimited to 429 and RateLimitStoreUnavailable to 503", () => {
    expect(httpSecurityProblemStatuses.RateLimited).toBe(429);
    expect(httpSecurityProblemStatuses.RateLimitStoreUnavailable).toBe(503);
  });
});

describe("keys", () => {
  it(
    "rateLimitKey is injective: different part lists never make the same key",
    () => {
      const part = fc.string({ unit: fc.constantFrom("a", ":", "%", "3", "A", "2", "5") });
      fc.assert(
        fc.property(
          fc.array(part, { minLength: 1, maxLength: 4 }),
          fc.array(part, { minLength: 1, maxLength: 4 }),
          (a, b) => {
            const same = a.length === b.length && a.every((x, i) => x === b[i]);
            return (rateLimitKey(...a) === rateLimitKey(...b)) === same;
          },
        ),
        { numRuns: 5000 },
      );
      expect(rateLimitKey("a:b", "c")).not.toBe(rateLimitKey("a", "b:c"));
      expect(rateLimitKey("a%3Ab")).not.toBe(rateLimitKey("a:b"));
    },
    PROPERTY_TIMEOUT,
  );

  it.each([
    ["192.0.2.1", "::ffff:192.0.2.1"],
    ["192.0.2.1", "::FFFF:c000:201"],
    ["2001:db8:aa:bb00::1", "2001:db8:aa:bbff:ffff:ffff:ffff:ffff"],
    ["2001:db8:aa:bb00::1", "2001:0DB8:00aa:bb12:0:0:0:1"],
  ])("ipRateLimitKey gives %s and %s one bucket", async (a, b) => {
    expect(ipRateLimitKey(a)).toBe(ipRateLimitKey(b));
    const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
    expect((await limiter.check(ipRateLimitKey(a))).isOk()).toBe(true);
    expect((await limiter.check(ipRateLimitKey(b))).isErr()).toBe(true);
  });

  it("ipRateLimitKey keeps other clients apart and puts an unknown address in one shared bucket", () => {
    expect(ipRateLimitKey("192.0.2.1")).not.toBe(ipRateLimitKey("192.0.2.2"));
    expect(ipRateLimitKey("2001:db8:aa:bb00::1")).not.toBe(ipRateLimitKey("2001:db8:aa:cc00::1"));
    expect(ipRateLimitKey("2001:db8::1", { ipv6Prefix: 64 })).toBe("ip:2001:db8::/64");
    for (const bad of [undefined, "", "127.1", "0x7f.0.0.1", "localhost", "1.2.3.4, 5.6.7.8"]) {
      expect(ipRateLimitKey(bad)).toBe("ip:unknown");
    }
  });
});

describe("createLoginLimiter", () => {
  const ip = "198.51.100.7";

  /** A login limiter on a memory store whose clock the test moves. */
  function clockedLogin(options: Partial<LoginLimiterOptions> = {}) {
    const clock = { now: 0 };
    const login = createLoginLimiter({ store: createMemoryStore({ now: () => clock.now }), ...options });
    return { clock, login };
  }

  it("lets the real user in from a fresh address after failures from other addresses (issue #20: no cheap lock-out)", async () => {
    const { login } = clockedLogin();
    // The attack: five failures for `ada`, each from another address, then `ada` from a fresh one.
    for (let i = 0; i < 5; i++)
      expect((await login.attempt({ account: "ada", ip: `198.51.100.${i}` })).isOk()).toBe(true);
    expect((await login.attempt({ account: "ADA", ip: "203.0.113.9" })).isOk()).toBe(true);
    // Harder: 18 more addresses spend their whole allowance on `ada` (96 attempts in all): still admitted,
    // below the ceiling of 100.
    for (let n = 0; n < 18; n++) {
      for (let i = 0; i < 5; i++) await login.attempt({ account: "ada", ip: `192.0.2.${n}` });
      expect((await login.attempt({ account: "ada", ip: `192.0.2.${n}` })).isErr()).toBe(true);
    }
    const real = await login.attempt({ account: " Ada ", ip: "203.0.113.10" });
    expect(real.isOk()).toBe(true);
  });

  it("limits an attacker at one address quickly: the 6th attempt on an account, or across accounts", async () => {
    const { login } = clockedLogin();
    for (let i = 0; i < 5; i++) expect((await login.attempt({ account: "ada", ip })).isOk()).toBe(true);
    const sixth = await login.attempt({ account: "ada", ip });
    expect(sixth.isErr() && sixth.error).toMatchObject({ _tag: "RateLimited", policy: "login-ip" });
    if (sixth.isErr()) {
      expect(login.headers(sixth.error)).toMatchObject({
        "RateLimit-Policy": '"login-ip";q=5;w=60',
        "Retry-After": expect.stringMatching(/^\d+$/),
      });
    }
    // A shared NAT given more per address still gets 5 on one account from it, and the rest elsewhere.
    const nat = clockedLogin({ ipLimit: 50 }).login;
    for (let i = 0; i < 5; i++) expect((await nat.attempt({ account: "ada", ip })).isOk()).toBe(true);
    const pair = await nat.attempt({ account: "Ada", ip: `::ffff:${ip}` }); // the same client, spelt otherwise
    expect(pair.isErr() && pair.error).toMatchObject({ _tag: "RateLimited", policy: "login-account-ip" });
    expect((await nat.attempt({ account: "bob", ip })).isOk()).toBe(true);
  });

  it("refuses the 6th attempt in a minute from one address (IPv4-mapped spelling included), across accounts", async () => {
    const { login } = clockedLogin();
    for (let i = 0; i < 5; i++) {
      expect(
        (await login.attempt({ account: `user${i}`, ip: i % 2 === 0 ? ip : `::ffff:${ip}` })).isOk(),
      ).toBe(true);
    }
    const sixth = await login.attempt({ account: "fresh", ip });
    expect(sixth.isErr() && sixth.error).toMatchObject({ _tag: "RateLimited", policy: "login-ip" });
    // An address over its limit does not count against the account it tried.
    const fresh = await login.account.check(accountRateLimitKey("fresh"));
    expect(fresh.isOk() && fresh.value.remaining).toBe(99);
  });

  it("stops a distributed attack on one account at the ceiling: 1,000 addresses in parallel, exactly 100 admitted", async () => {
    const { clock, login } = clockedLogin();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        login.attempt({ account: "carol", ip: `10.${i >> 8}.${i & 255}.1` }),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(100);
    const refused = results.find((r) => r.isErr());
    expect(refused?.isErr() && refused.error).toMatchObject({ _tag: "RateLimited", policy: "login-account" });
    // The trade-off: at the ceiling the account is refused to everyone, its real user included, until the
    // window slides (the sliding window frees an attempt 0.6 s into the next minute: Retry-After 61 s) ...
    const real = await login.attempt({ account: "carol", ip: "203.0.113.77" });
    expect(real.isErr() && real.error).toMatchObject({ _tag: "RateLimited", policy: "login-account" });
    if (real.isErr()) expect(login.headers(real.error)["Retry-After"]).toBe("61");
    // ... and other accounts are untouched.
    expect((await login.attempt({ account: "dave", ip: "203.0.113.77" })).isOk()).toBe(true);
    clock.now = 60_600;
    expect((await login.attempt({ account: "carol", ip: "203.0.113.77" })).isOk()).toBe(true);
  });

  it("lets no concurrent burst of guesses through: 1,000 parallel attempts from one address, 5 admitted", async () => {
    const { login } = clockedLogin();
    const results = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) => login.attempt({ account: "carol", ip: `2001:db8:1:${(i & 255).toString(16)}::1` }), // one /56
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(5);
  });

  it("forgets the account's attempts on success (from that address, and the ceiling), but not the address's", async () => {
    const { login } = clockedLogin({ ipLimit: 20 });
    for (let i = 0; i < 5; i++) await login.attempt({ account: "bob", ip });
    for (let i = 0; i < 7; i++) await login.attempt({ account: "bob", ip: `192.0.2.${i}` });
    expect((await login.attempt({ account: "bob", ip })).isErr()).toBe(true);
    expect((await login.recordSuccess({ account: " Bob", ip })).isOk()).toBe(true);
    const ceiling = await login.account.check(accountRateLimitKey("bob"));
    expect(ceiling.isOk() && ceiling.value.remaining).toBe(99);
    for (let i = 0; i < 5; i++) expect((await login.attempt({ account: "bob", ip })).isOk()).toBe(true);
    expect((await login.attempt({ account: "bob", ip })).isErr()).toBe(true);

    const strict = clockedLogin().login;
    for (let i = 0; i < 5; i++) await strict.attempt({ account: `victim${i}`, ip });
    await strict.recordSuccess({ account: "attacker-own-account", ip });
    expect((await strict.attempt({ account: "victim9", ip })).isErr()).toBe(true);
  });

  it("fails closed by default, and refuses bad options at set-up, naming them", async () => {
    const login = createLoginLimiter({ store: brokenStore("err") });
    const result = await login.attempt({ account: "dave", ip });
    expect(result.isErr() && result.error._tag).toBe("RateLimitStoreUnavailable");
    const store = createMemoryStore();
    expect(() => createLoginLimiter({ store, limit: 0 })).toThrow(/^createLoginLimiter: limit must/);
    expect(() => createLoginLimiter({ store, ipLimit: 1.5 })).toThrow(/^createLoginLimiter: ipLimit must/);
    expect(() => createLoginLimiter({ store, limit: 10, accountLimit: 9 })).toThrow(
      /^createLoginLimiter: accountLimit must be at least limit/,
    );
    expect(() => createLoginLimiter({ store, ip: { ipv6Prefix: 200 } })).toThrow(/ipv6Prefix/);
    expect(() => createLoginLimiter({ store, ipLimt: 20 } as never)).toThrow(
      /^createLoginLimiter: unknown option ipLimt \(did you mean ipLimit\?\)/,
    );
  });

  it("a fail-open store passes the attempt (the caller's choice)", async () => {
    const login = createLoginLimiter({
      store: { consume: async () => err(new RateLimitStoreUnavailable()), reset: async () => ok(undefined) },
      failure: "open",
    });
    expect((await login.attempt({ account: "erin", ip })).isOk()).toBe(true);
  });
});
