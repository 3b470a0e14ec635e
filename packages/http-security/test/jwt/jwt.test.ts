import { createProblemMapper } from "@keel/result";
import type { StandardSchemaV1 as StandardSchema } from "@standard-schema/spec";
import fc from "fast-check";
import {
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  type CryptoKey as JoseCryptoKey,
  type JWK,
  SignJWT,
} from "jose";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { httpSecurityProblemStatuses } from "../../src/index.ts";
import {
  createJwtSigner,
  createJwtVerifier,
  type JwtVerifierOptions,
  type RemoteJwksOptions,
} from "../../src/jwt/index.ts";
import { AUD, ISS, SECRET } from "./issuer.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs: not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);

const b64url = (bytes: Uint8Array): string => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const b64json = (value: unknown): string => b64url(encoder.encode(JSON.stringify(value)));

/** A raw HMAC-signed compact JWS with any header and payload: jose would refuse to produce most of these. */
async function hmacToken(
  header: Record<string, unknown>,
  payload: unknown,
  secret: Uint8Array | string = SECRET,
  hash = "SHA-256",
): Promise<string> {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const raw = typeof secret === "string" ? encoder.encode(secret) : secret;
  const key = await crypto.subtle.importKey(
    "raw",
    raw as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(input)));
  return `${input}.${b64url(signature)}`;
}

/** An HS256 token over a header and payload given as JSON text: what JSON.stringify cannot write. */
async function hmacRawToken(payloadJson: string, headerJson = JSON.stringify(HS_HEADER)): Promise<string> {
  const input = `${b64url(encoder.encode(headerJson))}.${b64url(encoder.encode(payloadJson))}`;
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(input))))}`;
}
const HS_HEADER = { alg: "HS256", typ: "JWT" };

const goodClaims = (extra: Record<string, unknown> = {}) => ({
  iss: ISS,
  aud: AUD,
  sub: "user-1",
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const HS = { alg: "HS256", typ: "JWT" };

const hsVerifier = <S extends StandardSchema | undefined = undefined>(
  options: Partial<JwtVerifierOptions<S>> = {},
) => createJwtVerifier<S>({ algorithms: ["HS256"], key: SECRET, issuer: ISS, audience: AUD, ...options });

const tagOf = async (promise: Promise<{ isOk(): boolean; isErr(): boolean } & object>) => {
  const result = (await promise) as { isOk(): boolean; error?: { _tag: string } };
  return result.isOk() ? "ok" : (result.error?._tag ?? "?");
};

// Key material made once per file (RSA generation is the slow part).
const rsa = await generateKeyPair("RS256", { extractable: true });
const ec = await generateKeyPair("ES256", { extractable: true });
const rsaPem = await exportSPKI(rsa.publicKey);
const rsaPrivatePem = await exportPKCS8(rsa.privateKey);
const ecJwk = await exportJWK(ec.publicKey);

const signWith = (key: JoseCryptoKey, header: Record<string, unknown>, payload = goodClaims()) =>
  new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);

describe("JWT factories refuse unknown option keys (a JavaScript caller's or a config file's typo)", () => {
  const verifierOptions = { algorithms: ["HS256"], key: SECRET, issuer: ISS, audience: AUD };
  const signerOptions = { algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD };
  it.each<[string, () => unknown, RegExp]>([
    [
      "createJwtVerifier",
      () => createJwtVerifier({ ...verifierOptions, clockTolerance: 30 } as never),
      /^createJwtVerifier: unknown option clockTolerance \(did you mean clockToleranceSec\?\)$/,
    ],
    [
      "createJwtVerifier, a key that is undefined",
      () => createJwtVerifier({ ...verifierOptions, audiences: undefined } as never),
      /unknown option audiences \(did you mean audience\?\)/,
    ],
    [
      "createJwtVerifier's remote key",
      () =>
        createJwtVerifier({
          ...verifierOptions,
          algorithms: ["RS256"],
          key: { jwksUrl: "https://idp.example/jwks", cacheMaxAge: 1 } as never,
        }),
      /^createJwtVerifier: key: unknown option cacheMaxAge \(did you mean cacheMaxAgeMs\?\)$/,
    ],
    [
      "createJwtSigner",
      () => createJwtSigner({ ...signerOptions, expiresIn: 60 } as never),
      /^createJwtSigner: unknown option expiresIn/,
    ],
  ])("%s", (_, build, message) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });

  it("sign() rejects an unknown per-token option (expiresIn would silently keep the 15-minute default)", async () => {
    const signer = createJwtSigner(signerOptions as never);
    await expect(signer.sign({}, { expiresIn: 60 } as never)).rejects.toThrow(
      /^sign: unknown option expiresIn \(did you mean expiresInSec\?\)$/,
    );
  });
});

describe("createJwtVerifier: set-up refuses unsafe options", () => {
  const base = { key: SECRET, issuer: ISS, audience: AUD } as const;
  it.each([
    ["no algorithms", { ...base }],
    ["empty algorithms", { ...base, algorithms: [] }],
    ["alg none", { ...base, algorithms: ["none"] }],
    ["alg none in any case", { ...base, algorithms: ["None"] }],
    ["mixed HMAC and RSA", { ...base, algorithms: ["HS256", "RS256"] }],
    ["a 31-byte secret for HS256", { ...base, algorithms: ["HS256"], key: "x".repeat(31) }],
    ["a 63-byte secret for HS512", { ...base, algorithms: ["HS512"], key: "x".repeat(63) }],
    [
      "a 47-byte secret for HS256 and HS384",
      { ...base, algorithms: ["HS256", "HS384"], key: "x".repeat(47) },
    ],
    ["a PEM public key as an HMAC secret", { ...base, algorithms: ["HS256"], key: rsaPem }],
    ["a secret with RS256", { ...base, algorithms: ["RS256"] }],
    ["a private PEM for a verifier", { ...base, algorithms: ["RS256"], key: rsaPrivatePem }],
    ["no issuer", { key: SECRET, audience: AUD, algorithms: ["HS256"] }],
    ["no audience", { key: SECRET, issuer: ISS, algorithms: ["HS256"] }],
    ["an empty audience list", { ...base, audience: [], algorithms: ["HS256"] }],
    ["an http JWKS URL", { ...base, algorithms: ["RS256"], key: { jwksUrl: "http://idp.example/jwks" } }],
    ["a JWKS with HS256", { ...base, algorithms: ["HS256"], key: { jwksUrl: "https://idp.example/jwks" } }],
    ["a symmetric JWK", { ...base, algorithms: ["RS256"], key: { kty: "oct", k: "AAAA" } }],
    ["a clock tolerance of an hour", { ...base, algorithms: ["HS256"], clockToleranceSec: 3600 }],
    // The PEM check held for strings only: readFileSync("public.pem") gives bytes.
    [
      "a PEM public key as HMAC secret bytes",
      { ...base, algorithms: ["HS256"], key: encoder.encode(rsaPem) },
    ],
    [
      "a PEM public key as the bytes of a Secret",
      { ...base, algorithms: ["HS256"], key: { reveal: () => encoder.encode(rsaPem) } },
    ],
    ["a JWK's JSON text as an HMAC secret", { ...base, algorithms: ["HS256"], key: JSON.stringify(ecJwk) }],
    ["an encryption JWK (use: enc)", { ...base, algorithms: ["ES256"], key: { ...ecJwk, use: "enc" } }],
    [
      "a JWK whose key_ops lack verify",
      { ...base, algorithms: ["ES256"], key: { ...ecJwk, key_ops: ["encrypt"] } },
    ],
    [
      "a JWK whose key_ops is a string",
      { ...base, algorithms: ["ES256"], key: { ...ecJwk, key_ops: "verify" } },
    ],
    [
      "a Secret whose reveal() throws",
      {
        ...base,
        algorithms: ["HS256"],
        key: {
          reveal: () => {
            throw new Error("vault unreachable");
          },
        },
      },
    ],
    ["a claims value that is not a schema", { ...base, algorithms: ["HS256"], claims: {} }],
  ])("throws a TypeError for %s", (_, options) => {
    expect(() => createJwtVerifier(options as never)).toThrow(TypeError);
  });

  it("refuses a private JWK and names the option, not the key", async () => {
    const privateJwk = await exportJWK(ec.privateKey);
    expect(() =>
      createJwtVerifier({ algorithms: ["ES256"], key: privateJwk, issuer: ISS, audience: AUD }),
    ).toThrow(/createJwtVerifier: key is a private JWK/);
    let message = "";
    try {
      createJwtVerifier({ algorithms: ["HS256"], key: "short-secret-value", issuer: ISS, audience: AUD });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^createJwtVerifier: key must be at least 32 bytes/);
    expect(message).not.toContain("short-secret-value");
  });

  it("accepts a @keel/secure-config Secret (anything with reveal()) and Uint8Array secrets", async () => {
    const secret = { reveal: () => SECRET, toString: () => "[redacted]" };
    const token = await hmacToken(HS, goodClaims());
    expect(await tagOf(hsVerifier({ key: secret }).verify(token))).toBe("ok");
    expect(await tagOf(hsVerifier({ key: encoder.encode(SECRET) }).verify(token))).toBe("ok");
  });

  it("holds an HMAC CryptoKey to the secret's bounds (a 1-byte key is no way around them)", async () => {
    const hmacKey = (bytes: number, hash = "SHA-256") =>
      crypto.subtle.importKey("raw", new Uint8Array(bytes).fill(7), { name: "HMAC", hash }, false, [
        "verify",
      ]);
    const options = { algorithms: ["HS256"], issuer: ISS, audience: AUD } as const;
    const short = await hmacKey(1);
    expect(() => createJwtVerifier({ ...options, key: short })).toThrow(
      /^createJwtVerifier: key must be an HMAC CryptoKey of at least 32 bytes/,
    );
    const aes = await crypto.subtle.importKey("raw", new Uint8Array(32), "AES-GCM", false, ["encrypt"]);
    expect(() => createJwtVerifier({ ...options, key: aes })).toThrow(TypeError);
    const key = await hmacKey(32);
    const token = await hmacToken(HS, goodClaims(), new Uint8Array(32).fill(7));
    expect(await tagOf(createJwtVerifier({ ...options, key }).verify(token))).toBe("ok");
  });

  it("accepts an http JWKS URL on the loopback interface only", () => {
    const options = { algorithms: ["RS256"], issuer: ISS, audience: AUD } as const;
    expect(() =>
      createJwtVerifier({ ...options, key: { jwksUrl: "http://localhost:8787/jwks" } }),
    ).not.toThrow();
    expect(() => createJwtVerifier({ ...options, key: { jwksUrl: "http://127.0.0.1/jwks" } })).not.toThrow();
  });
});

describe("createJwtVerifier: the adversarial table", () => {
  const verifier = hsVerifier();

  const cases: [string, () => Promise<string>, string][] = [
    ["a valid token", () => hmacToken(HS, goodClaims()), "ok"],
    [
      "alg none with an empty signature",
      async () => `${b64json({ alg: "none" })}.${b64json(goodClaims())}.`,
      "JwtMalformed",
    ],
    [
      "alg none with a signature",
      async () => `${b64json({ alg: "none", typ: "JWT" })}.${b64json(goodClaims())}.AAAA`,
      "JwtAlgorithmNotAllowed",
    ],
    [
      "alg NONE",
      async () => `${b64json({ alg: "NONE", typ: "JWT" })}.${b64json(goodClaims())}.AAAA`,
      "JwtAlgorithmNotAllowed",
    ],
    [
      "alg HS512 when HS256 only",
      () => hmacToken({ alg: "HS512", typ: "JWT" }, goodClaims(), SECRET.repeat(2), "SHA-512"),
      "JwtAlgorithmNotAllowed",
    ],
    ["alg missing", () => hmacToken({ typ: "JWT" }, goodClaims()), "JwtMalformed"],
    ["alg as a number", () => hmacToken({ alg: 256, typ: "JWT" }, goodClaims()), "JwtMalformed"],
    [
      "a wrong secret",
      () => hmacToken(HS, goodClaims(), "another-secret-of-at-least-32-bytes!!"),
      "JwtInvalidSignature",
    ],
    [
      "a flipped payload bit",
      async () => {
        const [h, , s] = (await hmacToken(HS, goodClaims())).split(".");
        return `${h}.${b64json(goodClaims({ sub: "admin" }))}.${s}`;
      },
      "JwtInvalidSignature",
    ],
    ["exp as a string", () => hmacToken(HS, goodClaims({ exp: String(now() + 600) })), "JwtClaimInvalid"],
    [
      "exp as an ISO date",
      () => hmacToken(HS, goodClaims({ exp: "2999-01-01T00:00:00Z" })),
      "JwtClaimInvalid",
    ],
    ["exp missing", () => hmacToken(HS, { iss: ISS, aud: AUD }), "JwtClaimInvalid"],
    ["exp in the past", () => hmacToken(HS, goodClaims({ exp: now() - 10 })), "JwtExpired"],
    ["nbf in the future", () => hmacToken(HS, goodClaims({ nbf: now() + 3600 })), "JwtNotYetValid"],
    ["nbf as a string", () => hmacToken(HS, goodClaims({ nbf: "0" })), "JwtClaimInvalid"],
    ["iat as a string", () => hmacToken(HS, goodClaims({ iat: "0" })), "JwtClaimInvalid"],
    ["aud missing", () => hmacToken(HS, { iss: ISS, exp: now() + 60 }), "JwtClaimInvalid"],
    ["aud another service", () => hmacToken(HS, goodClaims({ aud: "billing" })), "JwtClaimInvalid"],
    [
      "aud an array without ours",
      () => hmacToken(HS, goodClaims({ aud: ["billing", "admin"] })),
      "JwtClaimInvalid",
    ],
    ["aud an array holding ours", () => hmacToken(HS, goodClaims({ aud: ["billing", AUD] })), "ok"],
    [
      "aud an array of non-strings",
      () => hmacToken(HS, goodClaims({ aud: [1, { a: AUD }] })),
      "JwtClaimInvalid",
    ],
    ["aud an object", () => hmacToken(HS, goodClaims({ aud: { [AUD]: true } })), "JwtClaimInvalid"],
    ["iss missing", () => hmacToken(HS, { aud: AUD, exp: now() + 60 }), "JwtClaimInvalid"],
    [
      "iss another issuer",
      () => hmacToken(HS, goodClaims({ iss: "https://evil.example" })),
      "JwtClaimInvalid",
    ],
    ["typ missing", () => hmacToken({ alg: "HS256" }, goodClaims()), "JwtClaimInvalid"],
    [
      "typ at+jwt when JWT is expected",
      () => hmacToken({ alg: "HS256", typ: "at+jwt" }, goodClaims()),
      "JwtClaimInvalid",
    ],
    ["typ application/jwt", () => hmacToken({ alg: "HS256", typ: "application/jwt" }, goodClaims()), "ok"],
    [
      "an unknown crit header",
      () => hmacToken({ ...HS, crit: ["x-bound"], "x-bound": 1 }, goodClaims()),
      "JwtMalformed",
    ],
    [
      "crit naming a missing parameter",
      () => hmacToken({ ...HS, crit: ["x-bound"] }, goodClaims()),
      "JwtMalformed",
    ],
    ["crit not an array", () => hmacToken({ ...HS, crit: "x-bound" }, goodClaims()), "JwtMalformed"],
    [
      "b64 false (unencoded payload)",
      () => hmacToken({ ...HS, b64: false, crit: ["b64"] }, goodClaims()),
      "JwtMalformed",
    ],
    [
      "a header that is a JSON array",
      async () => `${b64json(["HS256"])}.${b64json(goodClaims())}.AAAA`,
      "JwtMalformed",
    ],
    [
      "a header that is not JSON",
      async () => `${b64url(encoder.encode("{alg:HS256"))}.${b64json(goodClaims())}.AAAA`,
      "JwtMalformed",
    ],
    [
      "a payload that is not JSON",
      async () => {
        const [h, , s] = (await hmacToken(HS, goodClaims())).split(".");
        return `${h}.${b64url(encoder.encode("not json"))}.${s}`;
      },
      "JwtInvalidSignature",
    ],
    ["a payload that is a JSON string", () => hmacToken(HS, "hello"), "JwtMalformed"],
    ["a payload that is JSON null", () => hmacToken(HS, null), "JwtMalformed"],
    [
      "standard base64 characters",
      async () => `${(await hmacToken(HS, goodClaims())).slice(0, -2)}+/`,
      "JwtMalformed",
    ],
    ["base64 padding", async () => `${await hmacToken(HS, goodClaims())}==`, "JwtMalformed"],
    ["a space inside", async () => (await hmacToken(HS, goodClaims())).replace(".", ". "), "JwtMalformed"],
    [
      "two parts",
      async () => (await hmacToken(HS, goodClaims())).split(".").slice(0, 2).join("."),
      "JwtMalformed",
    ],
    ["four parts", async () => `${await hmacToken(HS, goodClaims())}.AAAA`, "JwtMalformed"],
    [
      "a JWE (five parts)",
      async () => "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..AAAA.AAAA.AAAA",
      "JwtMalformed",
    ],
    ["a huge token (1 MB)", async () => `${b64json(HS)}.${"A".repeat(1_048_576)}.AAAA`, "JwtMalformed"],
    [
      "a huge header claiming HS256",
      async () => `${b64json({ ...HS, pad: "x".repeat(10_000) })}.${b64json(goodClaims())}.AAAA`,
      "JwtMalformed",
    ],
    ["an empty string", async () => "", "JwtMissing"],
    // Signed, but of a type jose leaves unchecked once the value it compares matches.
    [
      "exp 1e400 (Infinity once parsed: a token that never expires)",
      () => hmacRawToken(`{"iss":"${ISS}","aud":"${AUD}","exp":1e400}`),
      "JwtClaimInvalid",
    ],
    [
      "iat -1e400 with exp in range",
      () => hmacRawToken(`{"iss":"${ISS}","aud":"${AUD}","exp":${now() + 60},"iat":-1e400}`),
      "JwtClaimInvalid",
    ],
    [
      "aud an array holding ours and a number",
      () => hmacToken(HS, goodClaims({ aud: [AUD, 1] })),
      "JwtClaimInvalid",
    ],
    ["sub a number", () => hmacToken(HS, goodClaims({ sub: 42 })), "JwtClaimInvalid"],
    ["jti an object", () => hmacToken(HS, goodClaims({ jti: { id: 1 } })), "JwtClaimInvalid"],
    [
      "a __proto__ key in the payload",
      () => hmacRawToken(`{"iss":"${ISS}","aud":"${AUD}","exp":${now() + 60},"__proto__":{"admin":true}}`),
      "JwtMalformed",
    ],
    [
      "a __proto__ key spelt with an escape, nested in an array",
      () =>
        hmacRawToken(`{"iss":"${ISS}","aud":"${AUD}","exp":${now() + 60},"r":[{"\\u005f_proto__":{"a":1}}]}`),
      "JwtMalformed",
    ],
    [
      "a __proto__ key in the header",
      () => hmacRawToken(JSON.stringify(goodClaims()), '{"alg":"HS256","typ":"JWT","__proto__":{"kid":"x"}}'),
      "JwtMalformed",
    ],
  ];

  it.each(cases)("%s", async (_, make, expected) => {
    const token = await make();
    let result: Awaited<ReturnType<typeof verifier.verify>> | undefined;
    await expect(
      (async () => {
        result = await verifier.verify(token);
      })(),
    ).resolves.toBeUndefined();
    const tag = result?.isErr() ? result.error._tag : "ok";
    expect(tag).toBe(expected);
    if (result?.isErr()) {
      // The error holds nothing of the token: not in its message, fields or serialisation.
      const text = `${result.error.message} ${JSON.stringify(result.error)} ${JSON.stringify({ ...result.error })}`;
      for (const part of token.split(".").filter((piece) => piece.length >= 8)) {
        expect(text).not.toContain(part.slice(0, 16));
      }
    }
  });

  it("a polluted Object.prototype reaches none of jose's options (currentDate would revive expired tokens)", async () => {
    const expired = await hmacToken(HS, goodClaims({ iat: now() - 7200, exp: now() - 3600 }));
    const prototype = Object.prototype as { currentDate?: Date };
    prototype.currentDate = new Date(0);
    try {
      expect(await tagOf(verifier.verify(expired))).toBe("JwtExpired");
    } finally {
      delete prototype.currentDate;
    }
  });

  it("a payload with a 250,000-item array (maxTokenLength raised) resolves, never overflows the stack", async () => {
    const big = hsVerifier({ maxTokenLength: 1_048_576 });
    const token = await hmacRawToken(
      `{"iss":"${ISS}","aud":"${AUD}","exp":${now() + 60},"r":[${"0,".repeat(250_000)}{}]}`,
    );
    expect(await tagOf(big.verify(token))).toBe("ok");
  });

  it("names the claim at fault, and only a registered one", async () => {
    const exp = await verifier.verify(await hmacToken(HS, goodClaims({ exp: "soon" })));
    expect(exp.isErr() && exp.error._tag === "JwtClaimInvalid" && exp.error.claim).toBe("exp");
    const aud = await verifier.verify(await hmacToken(HS, goodClaims({ aud: ["x"] })));
    expect(aud.isErr() && aud.error._tag === "JwtClaimInvalid" && aud.error.claim).toBe("aud");
  });

  it("null, undefined and non-strings are JwtMissing or JwtMalformed, never a throw", async () => {
    expect(await tagOf(verifier.verify(undefined))).toBe("JwtMissing");
    expect(await tagOf(verifier.verify(null))).toBe("JwtMissing");
    expect(await tagOf(verifier.verify(42 as never))).toBe("JwtMalformed");
    expect(await tagOf(verifier.verify({ toString: () => "x" } as never))).toBe("JwtMalformed");
  });

  it("answers every failure as a 401 problem that repeats nothing of the token", async () => {
    const problems = createProblemMapper({ statuses: httpSecurityProblemStatuses });
    const token = await hmacToken(HS, goodClaims({ aud: "billing", secretThing: "tok-abc-123" }));
    const result = await verifier.verify(token);
    expect(result.isErr()).toBe(true);
    if (!result.isErr()) return;
    const response = problems.toResponse(result.error);
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).not.toContain("billing");
    expect(body).not.toContain("tok-abc-123");
  });

  it("tolerates clock skew only as configured, and bounds the token's age", async () => {
    const late = await hmacToken(HS, goodClaims({ exp: now() - 5 }));
    expect(await tagOf(verifier.verify(late))).toBe("JwtExpired");
    expect(await tagOf(hsVerifier({ clockToleranceSec: 60 }).verify(late))).toBe("ok");
    const old = await hmacToken(HS, goodClaims({ iat: now() - 7200 }));
    expect(await tagOf(verifier.verify(old))).toBe("ok");
    expect(await tagOf(hsVerifier({ maxTokenAgeSec: 3600 }).verify(old))).toBe("JwtExpired");
    const noIat = await hmacToken(HS, { iss: ISS, aud: AUD, exp: now() + 60 });
    expect(await tagOf(hsVerifier({ maxTokenAgeSec: 3600 }).verify(noIat))).toBe("JwtClaimInvalid");
    const future = await hmacToken(HS, goodClaims({ iat: now() + 3600 }));
    expect(await tagOf(hsVerifier({ maxTokenAgeSec: 3600 }).verify(future))).toBe("JwtClaimInvalid");
  });

  it("accepts the opt-outs only when they are spelt out", async () => {
    const anyAudience = await hmacToken({ alg: "HS256" }, { iss: "x", aud: "y", exp: now() + 60 });
    expect(await tagOf(verifier.verify(anyAudience))).not.toBe("ok");
    const open = hsVerifier({ audience: false, issuer: false, typ: false });
    expect(await tagOf(open.verify(anyAudience))).toBe("ok");
    const accessToken = await hmacToken({ alg: "HS256", typ: "at+jwt" }, goodClaims());
    expect(await tagOf(hsVerifier({ typ: "at+jwt" }).verify(accessToken))).toBe("ok");
    const declared = await hmacToken({ ...HS, crit: ["x-bound"], "x-bound": 1 }, goodClaims());
    expect(await tagOf(hsVerifier({ crit: ["x-bound"] }).verify(declared))).toBe("ok");
  });

  it("refuses a token over maxTokenLength before parsing it", async () => {
    const token = await hmacToken(HS, goodClaims());
    expect(await tagOf(hsVerifier({ maxTokenLength: token.length }).verify(token))).toBe("ok");
    expect(await tagOf(hsVerifier({ maxTokenLength: token.length - 1 }).verify(token))).toBe("JwtMalformed");
  });

  it(
    "never throws and never accepts on arbitrary input (fast-check)",
    async () => {
      const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/);
      const big = fc
        .string({ maxLength: 20 })
        .map((text) => `${text}.`.repeat(Math.ceil(100_000 / (text.length + 1))));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.tuple(segment, segment, segment).map((parts) => parts.join(".")),
            fc
              .tuple(fc.jsonValue(), fc.jsonValue(), segment)
              .map(([h, p, s]) => `${b64json(h)}.${b64json(p)}.${s}`),
            fc
              .record({ alg: fc.constantFrom("HS256", "none", "RS256", "HS512", "") })
              .map((h) => `${b64json(h)}.${b64json(goodClaims())}.AAAA`),
            big,
          ),
          async (token) => {
            const result = await verifier.verify(token);
            expect(result.isErr()).toBe(true);
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("createJwtVerifier: public keys", () => {
  it("RS256 from a PEM: accepts the right signature, refuses HS256 signed with the public key (algorithm confusion)", async () => {
    const verifier = createJwtVerifier({ algorithms: ["RS256"], key: rsaPem, issuer: ISS, audience: AUD });
    await verifier.ready();
    expect(await tagOf(verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", typ: "JWT" })))).toBe(
      "ok",
    );
    const forged = await hmacToken(HS, goodClaims(), encoder.encode(rsaPem));
    expect(await tagOf(verifier.verify(forged))).toBe("JwtAlgorithmNotAllowed");
    const forgedDer = await hmacToken(HS, goodClaims(), encoder.encode(rsaPem.trim()));
    expect(await tagOf(verifier.verify(forgedDer))).toBe("JwtAlgorithmNotAllowed");
    // A token signed by an EC key but claiming RS256.
    const wrongKey = await signWith(ec.privateKey, { alg: "ES256", typ: "JWT" });
    const [, payload, signature] = wrongKey.split(".");
    expect(
      await tagOf(verifier.verify(`${b64json({ alg: "RS256", typ: "JWT" })}.${payload}.${signature}`)),
    ).toBe("JwtInvalidSignature");
  });

  it("ES256 from a JWK and from a CryptoKey; the other family's algorithm is refused", async () => {
    const fromJwk = createJwtVerifier({ algorithms: ["ES256"], key: ecJwk, issuer: ISS, audience: AUD });
    const fromKey = createJwtVerifier({
      algorithms: ["ES256"],
      key: ec.publicKey,
      issuer: ISS,
      audience: AUD,
    });
    const token = await signWith(ec.privateKey, { alg: "ES256", typ: "JWT" });
    expect(await tagOf(fromJwk.verify(token))).toBe("ok");
    expect(await tagOf(fromKey.verify(token))).toBe("ok");
    expect(await tagOf(fromKey.verify(await signWith(rsa.privateKey, { alg: "RS256", typ: "JWT" })))).toBe(
      "JwtAlgorithmNotAllowed",
    );
  });

  it("a key that does not fit its algorithm is reported by ready() and as JwtKeyUnavailable", async () => {
    const ecPem = await exportSPKI(ec.publicKey);
    const verifier = createJwtVerifier({ algorithms: ["RS256"], key: ecPem, issuer: ISS, audience: AUD });
    await expect(verifier.ready()).rejects.toThrow(TypeError);
    const token = await signWith(rsa.privateKey, { alg: "RS256", typ: "JWT" });
    expect(await tagOf(verifier.verify(token))).toBe("JwtKeyUnavailable");
  });

  it("a JWK naming its alg is used for that alg only", async () => {
    const verifier = createJwtVerifier({
      algorithms: ["RS256", "PS256"],
      key: { ...(await exportJWK(rsa.publicKey)), alg: "RS256" },
      issuer: ISS,
      audience: AUD,
    });
    expect(await tagOf(verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", typ: "JWT" })))).toBe(
      "ok",
    );
    const [, payload, signature] = (await signWith(rsa.privateKey, { alg: "RS256", typ: "JWT" })).split(".");
    const claimingPs256 = `${b64json({ alg: "PS256", typ: "JWT" })}.${payload}.${signature}`;
    expect(await tagOf(verifier.verify(claimingPs256))).toBe("JwtAlgorithmNotAllowed");
  });
});

describe("createJwtVerifier: remote JWKS (through jose's createRemoteJWKSet)", () => {
  const rsaJwk = async (kid: string, key: JoseCryptoKey = rsa.publicKey): Promise<JWK> => ({
    ...(await exportJWK(key)),
    kid,
    alg: "RS256",
    use: "sig",
  });

  /** A JWKS endpoint as a fetch function: counts calls, serves whatever `respond` answers. */
  function jwksServer(respond: () => Promise<Response> | Response) {
    const server = {
      calls: 0,
      fetch: (async () => {
        server.calls += 1;
        return respond();
      }) as NonNullable<RemoteJwksOptions["fetch"]>,
    };
    return server;
  }
  const json = (value: unknown) =>
    new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
  const remote = (server: ReturnType<typeof jwksServer>, extra: Partial<RemoteJwksOptions> = {}) =>
    createJwtVerifier({
      algorithms: ["RS256", "ES256"],
      key: { jwksUrl: "https://idp.example/.well-known/jwks.json", fetch: server.fetch, ...extra },
      issuer: ISS,
      audience: AUD,
    });

  it("verifies with the key named by kid, fetching the set once and caching it", async () => {
    const keys = [await rsaJwk("rsa-1"), { ...ecJwk, kid: "ec-1", alg: "ES256" }];
    const server = jwksServer(() => json({ keys }));
    const verifier = remote(server);
    const rsaToken = await signWith(rsa.privateKey, { alg: "RS256", kid: "rsa-1", typ: "JWT" });
    const ecToken = await signWith(ec.privateKey, { alg: "ES256", kid: "ec-1", typ: "JWT" });
    expect(await tagOf(verifier.verify(rsaToken))).toBe("ok");
    expect(await tagOf(verifier.verify(ecToken))).toBe("ok");
    expect(await tagOf(verifier.verify(rsaToken))).toBe("ok");
    expect(server.calls).toBe(1);
  });

  it("refuses alg/kid swapped (a kid naming another key, an alg that is not the key's)", async () => {
    const keys = [await rsaJwk("rsa-1"), { ...ecJwk, kid: "ec-1", alg: "ES256" }];
    const verifier = remote(
      jwksServer(() => json({ keys })),
      { cooldownMs: 60_000 },
    );
    const ecSignedClaimingRsaKid = await signWith(ec.privateKey, { alg: "ES256", kid: "rsa-1", typ: "JWT" });
    expect(await tagOf(verifier.verify(ecSignedClaimingRsaKid))).toBe("JwtInvalidSignature");
    const rsaSignedClaimingEcKid = await signWith(rsa.privateKey, { alg: "RS256", kid: "ec-1", typ: "JWT" });
    expect(await tagOf(verifier.verify(rsaSignedClaimingEcKid))).toBe("JwtInvalidSignature");
    const forgedHs = await hmacToken(
      { alg: "HS256", kid: "rsa-1", typ: "JWT" },
      goodClaims(),
      encoder.encode(rsaPem),
    );
    expect(await tagOf(verifier.verify(forgedHs))).toBe("JwtAlgorithmNotAllowed");
  });

  it("an unknown kid triggers exactly one refetch (a key rotated in is then found)", async () => {
    let keys = [await rsaJwk("old")];
    const server = jwksServer(() => json({ keys }));
    const verifier = remote(server, { cooldownMs: 0 });
    expect(
      await tagOf(verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", kid: "old", typ: "JWT" }))),
    ).toBe("ok");
    expect(server.calls).toBe(1);
    keys = [await rsaJwk("old"), await rsaJwk("new")];
    expect(
      await tagOf(verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", kid: "new", typ: "JWT" }))),
    ).toBe("ok");
    expect(server.calls).toBe(2);
    expect(
      await tagOf(
        verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", kid: "nobody", typ: "JWT" })),
      ),
    ).toBe("JwtInvalidSignature");
    expect(server.calls).toBe(3);
  });

  it("within the cooldown, unknown kids cause no fetch (forged kids cannot hammer the IdP)", async () => {
    let keys = [await rsaJwk("old")];
    const server = jwksServer(() => json({ keys }));
    const verifier = remote(server, { cooldownMs: 60_000 });
    expect(
      await tagOf(verifier.verify(await signWith(rsa.privateKey, { alg: "RS256", kid: "old", typ: "JWT" }))),
    ).toBe("ok");
    keys = [await rsaJwk("new")];
    for (let i = 0; i < 20; i++) {
      const token = await signWith(rsa.privateKey, { alg: "RS256", kid: `forged-${i}`, typ: "JWT" });
      expect(await tagOf(verifier.verify(token))).toBe("JwtInvalidSignature");
    }
    expect(server.calls).toBe(1);
  });

  it("a disallowed alg never reaches the JWKS", async () => {
    const server = jwksServer(() => json({ keys: [] }));
    const verifier = remote(server);
    expect(
      await tagOf(
        verifier.verify(`${b64json({ alg: "none", kid: "x", typ: "JWT" })}.${b64json(goodClaims())}.AAAA`),
      ),
    ).toBe("JwtAlgorithmNotAllowed");
    expect(server.calls).toBe(0);
  });

  const token = () => signWith(rsa.privateKey, { alg: "RS256", kid: "rsa-1", typ: "JWT" });
  it.each<[string, () => Promise<Response> | Response]>([
    ["answers HTML", () => new Response("<html>oops</html>", { headers: { "content-type": "text/html" } })],
    ["answers JSON that is not a key set", () => json({ keys: "nope" })],
    [
      "answers a key set of garbage keys",
      () => json({ keys: [{ kty: "RSA", n: "!!", e: "?", kid: "rsa-1" }] }),
    ],
    ["answers 500", () => new Response("down", { status: 500 })],
    [
      "answers a redirect",
      () => new Response(null, { status: 302, headers: { location: "https://evil.example/jwks" } }),
    ],
    ["fails at the network", () => Promise.reject(new TypeError("fetch failed"))],
    [
      "throws synchronously",
      () => {
        throw new Error("boom");
      },
    ],
  ])(
    "a JWKS endpoint that %s gives JwtKeyUnavailable or a refusal, never a throw or an acceptance",
    async (_, respond) => {
      const verifier = remote(jwksServer(respond));
      const tag = await tagOf(verifier.verify(await token()));
      expect(["JwtKeyUnavailable", "JwtInvalidSignature"]).toContain(tag);
    },
  );

  it("a JWKS body that stalls after the headers times out too (jose reads it after the fetch resolves)", async () => {
    const stalled = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(encoder.encode('{"keys":['));
          },
        }),
      );
    const verifier = remote(jwksServer(stalled), { timeoutMs: 50 });
    const result = await verifier.verify(await token());
    expect(result.isErr() && result.error._tag).toBe("JwtKeyUnavailable");
  });

  it("a 5 MB JWKS answer is JwtKeyUnavailable, its reading stopped past 1 MiB", async () => {
    const keys = [await rsaJwk("rsa-1")];
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(encoder.encode(JSON.stringify({ keys }).slice(0, -1)));
            controller.enqueue(encoder.encode(',"pad":"'));
          },
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(65_536).fill(0x78));
            // 5 MB in all: a valid key set, padded.
            if (pulled === 80) {
              controller.enqueue(encoder.encode('"}'));
              controller.close();
            }
          },
        }),
      );
    const verifier = remote(jwksServer(endless));
    const result = await verifier.verify(
      await signWith(rsa.privateKey, { alg: "RS256", kid: "rsa-1", typ: "JWT" }),
    );
    expect(result.isErr() && result.error._tag).toBe("JwtKeyUnavailable");
    expect(pulled).toBeLessThan(40);
  });

  it("a JWKS endpoint that never answers times out as JwtKeyUnavailable", async () => {
    const server = jwksServer(() => new Promise<Response>(() => undefined));
    const verifier = remote(server, { timeoutMs: 50 });
    const result = await verifier.verify(await token());
    expect(result.isErr() && result.error._tag).toBe("JwtKeyUnavailable");
  });

  it("a JWKS outage is answered 503, not 401 (the client's token is not at fault)", () => {
    const problems = createProblemMapper({ statuses: httpSecurityProblemStatuses });
    expect(httpSecurityProblemStatuses.JwtKeyUnavailable).toBe(503);
    expect(problems.toProblemUnchecked({ _tag: "JwtKeyUnavailable" }).status).toBe(503);
  });
});

describe("createJwtVerifier: claims schema", () => {
  const schema = z.object({ sub: z.string().min(1), role: z.enum(["admin", "user"]), exp: z.number() });

  it("types and validates the claims", async () => {
    const verifier = hsVerifier({ claims: schema }) as unknown as ReturnType<
      typeof createJwtVerifier<typeof schema>
    >;
    const typed = createJwtVerifier({
      algorithms: ["HS256"],
      key: SECRET,
      issuer: ISS,
      audience: AUD,
      claims: schema,
    });
    const ok = await typed.verify(await hmacToken(HS, goodClaims({ role: "admin" })));
    expect(ok.isOk() && ok.value.claims.role).toBe("admin");
    expect(ok.isOk() && ok.value.header.alg).toBe("HS256");
    const bad = await verifier.verify(await hmacToken(HS, goodClaims({ role: "root" })));
    expect(bad.isErr() && bad.error._tag).toBe("JwtClaimInvalid");
    expect(bad.isErr() && bad.error._tag === "JwtClaimInvalid" && bad.error.claim).toBe(undefined);
    // The schema never sees a token whose signature or registered claims failed.
    const expired = await typed.verify(await hmacToken(HS, goodClaims({ role: "admin", exp: now() - 100 })));
    expect(expired.isErr() && expired.error._tag).toBe("JwtExpired");
  });

  it("a schema that throws or is asynchronous is handled", async () => {
    const throwing: StandardSchema<unknown, never> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => {
          throw new Error("schema bug");
        },
      },
    };
    const asyncSchema = z.object({ sub: z.string() }).refine(async (claims) => claims.sub === "user-1");
    const token = await hmacToken(HS, goodClaims());
    expect(await tagOf(hsVerifier({ claims: throwing }).verify(token))).toBe("JwtClaimInvalid");
    expect(await tagOf(hsVerifier({ claims: asyncSchema }).verify(token))).toBe("ok");
    expect(
      await tagOf(hsVerifier({ claims: asyncSchema }).verify(await hmacToken(HS, goodClaims({ sub: "x" })))),
    ).toBe("JwtClaimInvalid");
  });
});

describe("createJwtSigner", () => {
  const signer = createJwtSigner({ algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD });

  it("signs short-lived tokens with iss, aud, iat, exp and a random jti", async () => {
    const token = await signer.sign({ role: "user" }, { subject: "user-1" });
    const result = await hsVerifier().verify(token);
    expect(result.isOk()).toBe(true);
    if (!result.isOk()) return;
    const { claims } = result.value;
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.sub).toBe("user-1");
    expect(claims.iss).toBe(ISS);
    expect(claims.aud).toBe(AUD);
    expect(typeof claims.jti).toBe("string");
    const again = await hsVerifier().verify(await signer.sign({}, { subject: "user-1" }));
    expect(again.isOk() && again.value.claims.jti).not.toBe(claims.jti);
  });

  it("refuses claims holding a __proto__ key (no verifier of this package would take the token)", async () => {
    const signer = createJwtSigner({ algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD });
    await expect(signer.sign(JSON.parse('{"__proto__":{"admin":true}}'))).rejects.toThrow(TypeError);
    await expect(signer.sign({ profile: JSON.parse('{"__proto__":{}}') })).rejects.toThrow(TypeError);
  });

  it("bounds the lifetime and refuses registered claims in the payload", async () => {
    expect(() =>
      createJwtSigner({ algorithm: "HS256", key: SECRET, issuer: ISS, audience: AUD, expiresInSec: 86_401 }),
    ).toThrow(TypeError);
    await expect(signer.sign({ exp: 9_999_999_999 })).rejects.toThrow(/may not set "exp"/);
    await expect(signer.sign({ aud: "other" })).rejects.toThrow(TypeError);
    await expect(signer.sign({}, { expiresInSec: 10 ** 9 })).rejects.toThrow(TypeError);
  });

  it("refuses unsafe keys at set-up", () => {
    const base = { issuer: ISS, audience: AUD } as const;
    expect(() => createJwtSigner({ ...base, algorithm: "HS256", key: "short" })).toThrow(TypeError);
    expect(() => createJwtSigner({ ...base, algorithm: "none" as never, key: SECRET })).toThrow(TypeError);
    expect(() => createJwtSigner({ ...base, algorithm: "RS256", key: rsaPem })).toThrow(/PEM private key/);
    expect(() => createJwtSigner({ ...base, algorithm: "ES256", key: ec.publicKey })).toThrow(TypeError);
    expect(() => createJwtSigner({ ...base, algorithm: "ES256", key: ecJwk })).toThrow(/private JWK/);
  });

  it("RS256 from a PKCS #8 PEM verifies against the SPKI PEM, with its kid", async () => {
    const rsSigner = createJwtSigner({
      algorithm: "RS256",
      key: rsaPrivatePem,
      issuer: ISS,
      audience: AUD,
      kid: "k1",
    });
    const verifier = createJwtVerifier({ algorithms: ["RS256"], key: rsaPem, issuer: ISS, audience: AUD });
    const result = await verifier.verify(await rsSigner.sign({}, { subject: "svc" }));
    expect(result.isOk() && result.value.header.kid).toBe("k1");
  });
});
