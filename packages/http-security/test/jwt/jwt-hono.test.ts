import { createProblemMapper } from "@keel/result";
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { jwtAuth } from "../../src/hono.ts";
import { parseBearer } from "../../src/jwt/bearer.ts";
import {
  createBearerAuth,
  createJwtSigner,
  createJwtVerifier,
  type RemoteJwksOptions,
} from "../../src/jwt/index.ts";
import { AUD, ISS, SECRET } from "./issuer.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs: not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

const verifier = createJwtVerifier({
  algorithms: ["HS256"],
  key: SECRET,
  issuer: ISS,
  audience: AUD,
  claims: z.object({ sub: z.string(), scope: z.string() }),
});
const signer = createJwtSigner({ algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD });
const token = await signer.sign({ scope: "orders:read" }, { subject: "user-1" });

const app = new Hono()
  .use("/api/*", jwtAuth({ verifier, realm: "example" }))
  .get("/api/me", (c) => c.json({ sub: c.var.claims.sub, scope: c.var.claims.scope }));

const get = (headers: Record<string, string> = {}) => app.request("/api/me", { headers });

describe("parseBearer (strict RFC 6750 credentials)", () => {
  it.each<[string, string | false | undefined]>([
    ["Bearer abc.def.ghi", "abc.def.ghi"],
    ["bearer abc", "abc"],
    ["BEARER abc", "abc"],
    ["BeArEr a-b_c.d~e+f/g==", "a-b_c.d~e+f/g=="],
    ["Bearer  abc", false],
    ["Bearer\tabc", false],
    ["Bearer abc ", false],
    ["Bearer abc def", false],
    ["Bearer abc,def", false],
    ["Bearer a=b", false],
    ["Bearer =", false],
    ["Bearer ", false],
    ["Bearer", false],
    ["Bearer,abc", false],
    ["Basic dXNlcjpwYXNz", undefined],
    ["Bearerabc", undefined],
    ["DPoP abc", undefined],
    ["", undefined],
  ])("%j -> %j", (value, expected) => {
    expect(parseBearer(value)).toBe(expected);
  });

  it("null and undefined are no credentials", () => {
    expect(parseBearer(null)).toBe(undefined);
    expect(parseBearer(undefined)).toBe(undefined);
  });

  const token68 = fc.stringMatching(/^[A-Za-z0-9\-._~+/]+=*$/);
  const scheme = fc
    .array(fc.boolean(), { minLength: 6, maxLength: 6 })
    .map((upper) => [..."bearer"].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));

  it(
    "reads every valid credentials value, in any scheme case (fast-check)",
    () => {
      fc.assert(
        fc.property(scheme, token68, (prefix, value) => {
          expect(parseBearer(`${prefix} ${value}`)).toBe(value);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "never throws on anything, 100 KB included, and what it returns is exactly the token68 after one space (fast-check)",
    () => {
      const big = fc
        .tuple(fc.constantFrom("Bearer ", "bearer  ", "Bearer\t", ""), fc.string({ maxLength: 10 }))
        .map(
          ([prefix, unit]) =>
            `${prefix}${(unit || "a").repeat(Math.ceil(100_000 / Math.max(unit.length, 1)))}`,
        );
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), big), (value) => {
          const parsed = parseBearer(value);
          if (typeof parsed === "string") {
            expect(value.slice(0, 7).toLowerCase()).toBe("bearer ");
            expect(value.slice(7)).toBe(parsed);
            expect(parsed).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
          } else {
            expect(parsed === false || parsed === undefined).toBe(true);
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("jwtAuth over app.request()", () => {
  it("puts the schema-typed claims on c.var.claims", async () => {
    const response = await get({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: "user-1", scope: "orders:read" });
  });

  it("no credentials: 401 problem, a challenge with no error code (RFC 6750 3.1)", async () => {
    for (const headers of [{}, { authorization: "Basic dXNlcjpwYXNz" }]) {
      const response = await get(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="example"');
    }
  });

  it.each<[string, Record<string, string>]>([
    ["a forged signature", { authorization: `Bearer ${token.slice(0, -3)}AAA` }],
    ["two spaces", { authorization: `Bearer  ${token}` }],
    ["a second token", { authorization: `Bearer ${token}, Bearer ${token}` }],
    ["a token with a quote", { authorization: 'Bearer a"b' }],
    ["alg none", { authorization: `Bearer ${token.split(".")[0]}.${token.split(".")[1]}.` }],
  ])("%s: 401 invalid_token, nothing of the token echoed", async (_, headers) => {
    const response = await get(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="example", error="invalid_token"');
    const body = await response.text();
    expect(body).not.toContain(token.slice(0, 20));
    expect(body).not.toContain("error_description");
    expect(JSON.parse(body).status).toBe(401);
  });

  it("a claims schema failure is a 401 too", async () => {
    const noScope = await signer.sign({}, { subject: "user-1" });
    const response = await get({ authorization: `Bearer ${noScope}` });
    expect(response.status).toBe(401);
  });

  it("reads a cookie when the header is absent, never instead of a bad header", async () => {
    const cookieApp = new Hono()
      .use(jwtAuth({ verifier, cookie: "__Host-access" }))
      .get("/", (c) => c.text(c.var.claims.sub));
    const fromCookie = await cookieApp.request("/", { headers: { cookie: `__Host-access=${token}` } });
    expect(await fromCookie.text()).toBe("user-1");
    const badHeader = await cookieApp.request("/", {
      headers: { cookie: `__Host-access=${token}`, authorization: "Bearer  x" },
    });
    expect(badHeader.status).toBe(401);
    expect(badHeader.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("a custom header, and the header turned off", async () => {
    const custom = new Hono()
      .use(jwtAuth({ verifier, header: "x-access-token" }))
      .get("/", (c) => c.text("in"));
    expect((await custom.request("/", { headers: { "x-access-token": `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect((await custom.request("/", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const cookieOnly = new Hono()
      .use(jwtAuth({ verifier, header: false, cookie: "at" }))
      .get("/", (c) => c.text("in"));
    expect((await cookieOnly.request("/", { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
  });

  it("a JWKS outage is a 503 problem without an invalid_token challenge", async () => {
    const jwks = createJwtVerifier({
      algorithms: ["RS256"],
      key: {
        jwksUrl: "https://idp.example/jwks",
        fetch: (async () => new Response("down", { status: 502 })) as NonNullable<RemoteJwksOptions["fetch"]>,
      },
      issuer: ISS,
      audience: AUD,
    });
    const rsApp = new Hono().use(jwtAuth({ verifier: jwks })).get("/", (c) => c.text("in"));
    const header = btoa(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "k" })).replace(/=+$/, "");
    const response = await rsApp.request("/", { headers: { authorization: `Bearer ${header}.e30.AAAA` } });
    expect(response.status).toBe(503);
    expect(response.headers.get("www-authenticate")).toBe(null);
  });

  it("answers through a custom problem mapper", async () => {
    const problems = createProblemMapper({
      typeBase: "https://errors.example.com/",
      statuses: {
        JwtMissing: 401,
        JwtMalformed: 401,
        JwtAlgorithmNotAllowed: 401,
        JwtInvalidSignature: 401,
        JwtExpired: { status: 401, title: "Session expired" },
        JwtNotYetValid: 401,
        JwtClaimInvalid: 401,
        JwtKeyUnavailable: 503,
      },
    });
    const mapped = new Hono().use(jwtAuth({ verifier, problems })).get("/", (c) => c.text("in"));
    const response = await mapped.request("/");
    expect((await response.json()).type).toBe("https://errors.example.com/jwt-missing");
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
  });

  it(
    "any Authorization header is a 200 only with the real token, else a 401 with a challenge (fast-check)",
    async () => {
      const headerValue = fc.oneof(
        fc.stringMatching(/^[\x20-\x7e]{0,200}$/),
        fc.stringMatching(/^[A-Za-z0-9._~+/=-]{0,400}$/).map((value) => `Bearer ${value}`),
        fc.constantFrom(token, `${token}.`, token.toUpperCase()).map((value) => `bearer ${value}`),
        fc.integer({ min: 1, max: 100 }).map((n) => `Bearer ${"A".repeat(1000 * n)}`),
      );
      await fc.assert(
        fc.asyncProperty(headerValue, async (value) => {
          const response = await get({ authorization: value });
          if (value.slice(7) === token) expect(response.status).toBe(200);
          else {
            expect(response.status).toBe(401);
            expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="example"/);
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it("refuses bad options at set-up", () => {
    expect(() => jwtAuth({ verifier: {} as never })).toThrow(TypeError);
    expect(() => jwtAuth({ verifier, header: "bad header" })).toThrow(TypeError);
    expect(() => jwtAuth({ verifier, cookie: "a;b" })).toThrow(TypeError);
    expect(() => jwtAuth({ verifier, header: false })).toThrow(TypeError);
    expect(() => jwtAuth({ verifier, realm: 'a"b' })).toThrow(TypeError);
  });
});

describe("jwtAuth and createBearerAuth refuse unknown option keys", () => {
  const verifier = createJwtVerifier({
    algorithms: ["HS256"],
    key: "a-secret-of-at-least-32-bytes-for-hs256!",
    issuer: "https://auth.example",
    audience: "api",
  });
  it("names the misspelt option and the closest known one", () => {
    expect(() => jwtAuth({ verifier, cookies: "__Host-session" } as never)).toThrow(
      /^jwtAuth: unknown option cookies \(did you mean cookie\?\)$/,
    );
    expect(() => jwtAuth({ verifier, problem: undefined } as never)).toThrow(/did you mean problems\?/);
    expect(() => createBearerAuth({ verifier, problems: undefined } as never)).toThrow(
      /^createBearerAuth: unknown option problems/,
    );
    expect(() => jwtAuth({ verifier, realm: "api" })).not.toThrow();
  });
});
