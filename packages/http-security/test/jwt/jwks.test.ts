import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  createJwtVerifier,
  type JwksSnapshot,
  type JwksStore,
  type RemoteJwksOptions,
} from "../../src/jwt/index.ts";

// The remote key set under attack: every test counts the provider's fetches (never the time things take).
// Waits only make time pass beyond a cooldown or a cache age; the windows that must not elapse are 60 s.

const ISS = "https://auth.example";
const AUD = "api";
const LONG = 60_000;
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const ec = await generateKeyPair("ES256", { extractable: true });
const jwk = async (kid: string): Promise<JWK> => ({
  ...(await exportJWK(ec.publicKey)),
  kid,
  alg: "ES256",
  use: "sig",
});
const token = (kid: string) =>
  new SignJWT({ iss: ISS, aud: AUD, sub: "user-1", iat: now(), exp: now() + 600 })
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .sign(ec.privateKey);
const randomKid = () => `forged-${crypto.randomUUID()}`;

type Mode = "up" | "500" | "hang" | "network";

/** A JWKS provider as a fetch function: counts fetches; `hold()` keeps answers back until `release()`. */
function provider(kids: string[] = ["k1"]) {
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  const state = {
    calls: 0,
    mode: "up" as Mode,
    kids,
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    fetch: (async (url: string) => {
      state.calls += 1;
      expect(url).toBe("https://idp.example/jwks");
      if (gate !== undefined) await gate;
      if (state.mode === "hang") return new Promise<Response>(() => undefined);
      if (state.mode === "network") throw new TypeError("fetch failed");
      if (state.mode === "500") return new Response("down", { status: 500 });
      return Response.json({ keys: await Promise.all(state.kids.map(jwk)) });
    }) as NonNullable<RemoteJwksOptions["fetch"]>,
  };
  return state;
}

const remote = (server: ReturnType<typeof provider>, extra: Partial<RemoteJwksOptions> = {}) =>
  createJwtVerifier({
    algorithms: ["ES256"],
    key: { jwksUrl: "https://idp.example/jwks", fetch: server.fetch, ...extra },
    issuer: ISS,
    audience: AUD,
  });

type Verifier = ReturnType<typeof remote>;
const tag = async (verifier: Verifier, kid: string): Promise<string> => {
  const result = await verifier.verify(await token(kid));
  return result.isOk() ? "ok" : result.error._tag;
};

/**
 * `kids.length` verifications at once while the provider holds its answer, so every one of them finds the
 * fetch in flight (each verification reaches the key source within microtasks; the answer comes a timer later).
 */
async function burst(server: ReturnType<typeof provider>, verifier: Verifier, kids: string[]) {
  const tokens = await Promise.all(kids.map(token));
  server.hold();
  const pending = tokens.map((jwt) => verifier.verify(jwt));
  await sleep(20);
  server.release();
  const results = await Promise.all(pending);
  return results.map((result) => (result.isOk() ? "ok" : result.error._tag));
}
const count = (tags: string[]) =>
  tags.reduce<Record<string, number>>((acc, t) => {
    acc[t] = (acc[t] ?? 0) + 1;
    return acc;
  }, {});
const randomKids = (n: number) => Array.from({ length: n }, randomKid);

describe("remote JWKS: forged kids cannot amplify fetches", () => {
  it("25 concurrent requests with unknown kids on a cold verifier: one fetch", async () => {
    const server = provider();
    const verifier = remote(server, { cooldownMs: LONG });
    expect(count(await burst(server, verifier, randomKids(25)))).toEqual({ JwtInvalidSignature: 25 });
    expect(server.calls).toBe(1);
  });

  it("25 concurrent requests with unknown kids within the cooldown: no fetch", async () => {
    const server = provider();
    const verifier = remote(server, { cooldownMs: LONG });
    expect(await tag(verifier, "k1")).toBe("ok");
    expect(count(await burst(server, verifier, randomKids(25)))).toEqual({ JwtInvalidSignature: 25 });
    expect(server.calls).toBe(1);
  });

  it("after the cooldown, a burst of 25 unknown kids: one fetch, not one per request", async () => {
    const server = provider();
    const verifier = remote(server, { cooldownMs: 30 });
    expect(await tag(verifier, "k1")).toBe("ok");
    await sleep(80);
    expect(count(await burst(server, verifier, randomKids(25)))).toEqual({ JwtInvalidSignature: 25 });
    expect(server.calls).toBe(2);
  });

  it("a rotated-in kid is fetched once after the cooldown, by 10 concurrent requests", async () => {
    const server = provider(["old"]);
    const verifier = remote(server, { cooldownMs: 30 });
    expect(await tag(verifier, "old")).toBe("ok");
    server.kids = ["old", "new"];
    await sleep(80);
    expect(count(await burst(server, verifier, Array(10).fill("new")))).toEqual({ ok: 10 });
    expect(await tag(verifier, "old")).toBe("ok");
    expect(server.calls).toBe(2);
  });
});

describe("remote JWKS: a provider outage", () => {
  it.each<[Mode, Partial<RemoteJwksOptions>]>([
    ["500", {}],
    ["network", {}],
    ["hang", { timeoutMs: 50 }],
  ])(
    "answering %s, on a cold verifier: one fetch for 25 concurrent and 20 sequential requests",
    async (mode, extra) => {
      const server = provider();
      server.mode = mode;
      const verifier = remote(server, { cooldownMs: LONG, ...extra });
      expect(count(await burst(server, verifier, [...randomKids(20), ...Array(5).fill("k1")]))).toEqual({
        JwtKeyUnavailable: 25,
      });
      for (let i = 0; i < 20; i++)
        expect(await tag(verifier, i % 2 ? "k1" : randomKid())).toBe("JwtKeyUnavailable");
      expect(server.calls).toBe(1);
    },
  );

  it("the cooldown follows failures too: one fetch per cooldown, not per request", async () => {
    const server = provider();
    server.mode = "500";
    const verifier = remote(server, { cooldownMs: 30 });
    expect(await tag(verifier, "k1")).toBe("JwtKeyUnavailable");
    expect(server.calls).toBe(1);
    await sleep(80);
    expect(count(await burst(server, verifier, Array(25).fill("k1")))).toEqual({ JwtKeyUnavailable: 25 });
    expect(server.calls).toBe(2);
  });

  it("recovers: the first request after the cooldown fetches, then the set is cached", async () => {
    const server = provider();
    server.mode = "network";
    const verifier = remote(server, { cooldownMs: 30 });
    expect(await tag(verifier, "k1")).toBe("JwtKeyUnavailable");
    expect(server.calls).toBe(1);
    server.mode = "up";
    await sleep(80);
    expect(count(await burst(server, verifier, Array(10).fill("k1")))).toEqual({ ok: 10 });
    for (let i = 0; i < 10; i++) expect(await tag(verifier, "k1")).toBe("ok");
    expect(server.calls).toBe(2);
  });

  it("keeps an expired key set within staleIfErrorMs while the provider is down (one refetch per cooldown)", async () => {
    const server = provider();
    const verifier = remote(server, { cacheMaxAgeMs: 30, cooldownMs: 200, staleIfErrorMs: LONG });
    expect(await tag(verifier, "k1")).toBe("ok");
    server.mode = "500";
    await sleep(300);
    expect(count(await burst(server, verifier, Array(25).fill("k1")))).toEqual({ ok: 25 });
    expect(server.calls).toBe(2);
    // An unknown kid meanwhile may be a key rotated in that cannot be fetched: 503, not 401.
    expect(await tag(verifier, randomKid())).toBe("JwtKeyUnavailable");
    server.mode = "up";
    await sleep(300);
    expect(await tag(verifier, "k1")).toBe("ok");
    expect(await tag(verifier, randomKid())).toBe("JwtInvalidSignature");
  });

  it("an expired key set within the cooldown of its fetch is used, not refetched", async () => {
    const server = provider();
    const verifier = remote(server, { cacheMaxAgeMs: 20, cooldownMs: LONG });
    expect(await tag(verifier, "k1")).toBe("ok");
    await sleep(60);
    for (let i = 0; i < 10; i++) expect(await tag(verifier, "k1")).toBe("ok");
    expect(server.calls).toBe(1);
  });

  it("past the stale window (or with staleIfErrorMs: 0) the keys are dropped: JwtKeyUnavailable", async () => {
    for (const staleIfErrorMs of [20, 0]) {
      const server = provider();
      const verifier = remote(server, { cacheMaxAgeMs: 20, cooldownMs: 0, staleIfErrorMs });
      expect(await tag(verifier, "k1")).toBe("ok");
      server.mode = "500";
      await sleep(100);
      expect(await tag(verifier, "k1")).toBe("JwtKeyUnavailable");
      expect(server.calls).toBe(2);
    }
  });

  it("an expired set is refetched once by a burst of known kids while the provider is up", async () => {
    const server = provider();
    const verifier = remote(server, { cacheMaxAgeMs: 30, cooldownMs: 0 });
    expect(await tag(verifier, "k1")).toBe("ok");
    await sleep(80);
    expect(count(await burst(server, verifier, Array(25).fill("k1")))).toEqual({ ok: 25 });
    expect(server.calls).toBe(2);
  });

  it("a cacheMaxAgeMs of 0 still verifies with the set just fetched", async () => {
    const server = provider();
    const verifier = remote(server, { cacheMaxAgeMs: 0, cooldownMs: LONG, staleIfErrorMs: 0 });
    expect(await tag(verifier, "k1")).toBe("ok");
    expect(server.calls).toBe(1);
  });
});

describe("remote JWKS: a store shared by isolates (Workers KV, the Cache API)", () => {
  function memoryStore(initial?: unknown) {
    const store = {
      value: initial as unknown,
      gets: 0,
      sets: 0,
      get: async () => {
        store.gets += 1;
        return store.value as JwksSnapshot | undefined;
      },
      set: async (snapshot: JwksSnapshot) => {
        store.sets += 1;
        store.value = JSON.parse(JSON.stringify(snapshot));
      },
    };
    return store;
  }

  it("a cold isolate reads a fresh set from the store and does not fetch", async () => {
    const server = provider();
    const store = memoryStore();
    expect(await tag(remote(server, { store }), "k1")).toBe("ok");
    expect([server.calls, store.sets]).toEqual([1, 1]);
    expect(typeof (store.value as JwksSnapshot).fetchedAt).toBe("number");
    // Another isolate: a new verifier, the same store.
    const cold = remote(server, { store });
    expect(count(await burst(server, cold, Array(10).fill("k1")))).toEqual({ ok: 10 });
    expect(server.calls).toBe(1);
  });

  it("an unknown kid first looks at the store's newer set (another isolate's fetch)", async () => {
    const server = provider(["old"]);
    const store = memoryStore();
    const first = remote(server, { store, cooldownMs: 0 });
    const second = remote(server, { store, cooldownMs: 0 });
    expect(await tag(first, "old")).toBe("ok");
    expect(await tag(second, "old")).toBe("ok");
    expect(server.calls).toBe(1);
    server.kids = ["old", "new"];
    await sleep(5);
    expect(await tag(first, "new")).toBe("ok");
    expect(server.calls).toBe(2);
    expect(await tag(second, "new")).toBe("ok");
    expect(server.calls).toBe(2);
  });

  it.each<[string, () => JwksStore]>([
    [
      "throws",
      () => ({
        get: () => Promise.reject(new Error("KV down")),
        set: () => Promise.reject(new Error("KV down")),
      }),
    ],
    [
      "never answers",
      () => ({ get: () => new Promise(() => undefined), set: () => new Promise(() => undefined) }),
    ],
    ["holds garbage", () => memoryStore({ jwks: { keys: "nope" }, fetchedAt: Date.now() })],
    [
      "holds a set from the future",
      () => memoryStore({ jwks: { keys: [] }, fetchedAt: Date.now() + 86_400_000 }),
    ],
    ["holds an expired set", () => memoryStore({ jwks: { keys: [] }, fetchedAt: Date.now() - 86_400_000 })],
  ])("a store that %s is skipped: the set is fetched", async (_, makeStore) => {
    const server = provider();
    const verifier = remote(server, { store: makeStore(), timeoutMs: 50 });
    expect(await tag(verifier, "k1")).toBe("ok");
    expect(server.calls).toBe(1);
  });
});

describe("remote JWKS: set-up", () => {
  const options = (key: Record<string, unknown>) => ({
    algorithms: ["ES256"] as const,
    key: { jwksUrl: "https://idp.example/jwks", ...key } as RemoteJwksOptions,
    issuer: ISS,
    audience: AUD,
  });
  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a misspelt option", { coolDownMs: 1 }, /unknown option coolDownMs \(did you mean cooldownMs\?\)/],
    ["a negative stale window", { staleIfErrorMs: -1 }, /key\.staleIfErrorMs must be a whole number/],
    ["a stale window over 7 days", { staleIfErrorMs: 604_800_001 }, /key\.staleIfErrorMs/],
    ["a store without set", { store: { get: () => undefined } }, /key\.store must have get\(\) and set/],
  ])("refuses %s, naming it", (_, key, message) => {
    expect(() => createJwtVerifier(options(key))).toThrow(message);
  });
});
