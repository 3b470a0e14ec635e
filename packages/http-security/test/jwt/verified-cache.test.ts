// The verifier's cache of verified tokens: a hit gives the stored result (the same object), misses and
// failures verify anew, and a hit never outlives what a fresh verification would accept. The waits are on
// the wall clock (whole seconds, as JWT time claims are): a slower machine only waits longer.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createJwtSigner, createJwtVerifier, type JwtVerifierOptions } from "../../src/jwt/index.ts";
import { AUD, ISS, SECRET } from "./issuer.ts";

const signer = createJwtSigner({ algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD });
const verifierWith = (options: Partial<JwtVerifierOptions> = {}) =>
  createJwtVerifier({ algorithms: ["HS256"], key: SECRET, issuer: ISS, audience: AUD, ...options });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const nowSec = () => Math.floor(Date.now() / 1000);

/** Sleeps until the wall clock's second is at least `second` (Unix seconds). */
async function untilSecond(second: number): Promise<void> {
  while (nowSec() < second) await sleep(100);
}

describe("createJwtVerifier: the verified-token cache", () => {
  it("gives the stored result for a token seen again, and a fresh one without the cache", async () => {
    const token = await signer.sign({ role: "admin" }, { subject: "user-1" });
    const cached = verifierWith({ cache: { maxEntries: 10 } });
    const first = (await cached.verify(token))._unsafeUnwrap();
    expect((await cached.verify(token))._unsafeUnwrap()).toBe(first);
    const uncached = verifierWith();
    expect((await uncached.verify(token))._unsafeUnwrap()).not.toBe(
      (await uncached.verify(token))._unsafeUnwrap(),
    );
  });

  it("keeps failures out: a forged token is refused every time, and the real one is not displaced", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 1 } });
    const token = await signer.sign({}, { subject: "user-1" });
    const first = (await verifier.verify(token))._unsafeUnwrap();
    const forged = `${token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 3; i++) {
      expect((await verifier.verify(forged))._unsafeUnwrapErr()._tag).toBe("JwtInvalidSignature");
    }
    expect((await verifier.verify(token))._unsafeUnwrap()).toBe(first);
  });

  it("drops the least recently used token past maxEntries", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((subject) => signer.sign({}, { subject })));
    const first = (await verifier.verify(a))._unsafeUnwrap();
    const bFirst = (await verifier.verify(b))._unsafeUnwrap();
    expect((await verifier.verify(a))._unsafeUnwrap()).toBe(first); // a is now the most recent
    await verifier.verify(c); // drops b
    expect((await verifier.verify(a))._unsafeUnwrap()).toBe(first);
    const bAgain = (await verifier.verify(b))._unsafeUnwrap();
    expect(bAgain).not.toBe(bFirst);
    expect((await verifier.verify(b))._unsafeUnwrap()).toBe(bAgain);
  });

  it.concurrent("refuses a cached token once its exp has passed, as a fresh verification does", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 10, ttlSec: 3600 } });
    const token = await signer.sign({}, { subject: "user-1", expiresInSec: 4 });
    const { exp } = (await verifier.verify(token))._unsafeUnwrap().claims;
    await untilSecond(Number(exp));
    expect((await verifier.verify(token))._unsafeUnwrapErr()._tag).toBe("JwtExpired");
  }, 15_000);

  it.concurrent("refuses a cached token once it is older than maxTokenAgeSec", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 10 }, maxTokenAgeSec: 3 });
    const token = await signer.sign({}, { subject: "user-1" });
    const { iat } = (await verifier.verify(token))._unsafeUnwrap().claims;
    await untilSecond(Number(iat) + 4);
    expect((await verifier.verify(token))._unsafeUnwrapErr()._tag).toBe("JwtExpired");
  }, 15_000);

  it.concurrent("holds a cached token to clockToleranceSec past its exp, and not a second longer", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 10, ttlSec: 3600 }, clockToleranceSec: 2 });
    const token = await signer.sign({}, { subject: "user-1", expiresInSec: 3 });
    const first = (await verifier.verify(token))._unsafeUnwrap();
    const exp = Number(first.claims.exp);
    await untilSecond(exp + 1);
    // Within the tolerance it is still the kept result; a wake-up that slipped past it must be refused.
    const before = nowSec();
    const within = await verifier.verify(token);
    if (nowSec() < exp + 2) expect(within._unsafeUnwrap()).toBe(first);
    else if (before >= exp + 2) expect(within._unsafeUnwrapErr()._tag).toBe("JwtExpired");
    await untilSecond(exp + 2);
    expect((await verifier.verify(token))._unsafeUnwrapErr()._tag).toBe("JwtExpired");
  }, 20_000);

  it.concurrent("verifies anew after ttlSec, though the token is still valid", async () => {
    const verifier = verifierWith({ cache: { maxEntries: 10, ttlSec: 1 } });
    const token = await signer.sign({}, { subject: "user-1" });
    const before = nowSec();
    const first = (await verifier.verify(token))._unsafeUnwrap();
    await untilSecond(before + 2);
    const again = (await verifier.verify(token))._unsafeUnwrap();
    expect(again).not.toBe(first);
    expect(again.claims).toEqual(first.claims);
  }, 15_000);

  it("keeps a deeply frozen copy: a handler cannot change what the next request reads", async () => {
    const defaults = { scopes: ["read"] };
    const verifier = createJwtVerifier({
      algorithms: ["HS256"],
      key: SECRET,
      issuer: ISS,
      audience: AUD,
      // .readonly() freezes only the top object; .default() hands out the application's own object.
      claims: z
        .object({
          sub: z.string(),
          roles: z.array(z.string()),
          org: z.object({ id: z.string() }),
          grant: z.object({ scopes: z.array(z.string()) }).default(defaults),
        })
        .readonly(),
      cache: { maxEntries: 10 },
    });
    const token = await signer.sign({ roles: ["user"], org: { id: "acme" } }, { subject: "user-1" });
    const { claims, header } = (await verifier.verify(token))._unsafeUnwrap();
    expect(
      [claims, claims.roles, claims.org, claims.grant, claims.grant.scopes, header].every(Object.isFrozen),
    ).toBe(true);
    expect(() => (claims.roles as string[]).push("admin")).toThrow(TypeError);
    expect((await verifier.verify(token))._unsafeUnwrap().claims.roles).toEqual(["user"]);
    expect(Object.isFrozen(defaults) || Object.isFrozen(defaults.scopes)).toBe(false);
  });

  it("keeps no result holding a non-plain object (a Date): freezing would not protect it", async () => {
    const verifier = createJwtVerifier({
      algorithms: ["HS256"],
      key: SECRET,
      issuer: ISS,
      audience: AUD,
      claims: z.object({ sub: z.string(), exp: z.number().transform((exp) => new Date(exp * 1000)) }),
      cache: { maxEntries: 10 },
    });
    const token = await signer.sign({}, { subject: "user-1" });
    const first = (await verifier.verify(token))._unsafeUnwrap();
    expect(first.claims.exp).toBeInstanceOf(Date);
    expect((await verifier.verify(token))._unsafeUnwrap()).not.toBe(first);
  });

  it("a polluted Object.prototype turns no cache on and sets no time to live", async () => {
    const token = await signer.sign({}, { subject: "user-1" });
    const prototype = Object.prototype as { cache?: unknown; ttlSec?: unknown };
    prototype.cache = { maxEntries: 10 };
    prototype.ttlSec = 0;
    try {
      const verifier = verifierWith();
      expect((await verifier.verify(token))._unsafeUnwrap()).not.toBe(
        (await verifier.verify(token))._unsafeUnwrap(),
      );
      expect(() => verifierWith({ cache: { maxEntries: 10 } })).not.toThrow();
    } finally {
      delete prototype.cache;
      delete prototype.ttlSec;
    }
  });

  it("refuses bad cache options at set-up", () => {
    const bad: unknown[] = [
      { maxEntries: 0 },
      { maxEntries: 1.5 },
      { maxEntries: 10, ttlSec: 0 },
      { maxEntries: 10, ttlSec: 3601 },
      { maxEntries: 10, ttl: 60 },
      {},
      true,
      "yes",
    ];
    for (const cache of bad) {
      expect(() => verifierWith({ cache } as Partial<JwtVerifierOptions>)).toThrow(TypeError);
    }
    expect(() => verifierWith({ cache: false })).not.toThrow();
  });
});
