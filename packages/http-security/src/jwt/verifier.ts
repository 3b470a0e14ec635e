/**
 * `createJwtVerifier`: a JWT verifier on `jose`'s `jwtVerify`, secure by default (algorithm allow-list, `iss`/`aud`/`exp`/`typ` checked), claims through a Standard Schema, every failure a tagged error in a `Result`.
 *
 * @module
 */
import { err, fromSchemaAsync, ok } from "@keel/result";
import { type CryptoKey as JoseCryptoKey, type JWTHeaderParameters, jwtVerify } from "jose";
import type { Result, StandardSchemaV1 } from "../_internal/external-types.ts";
import { checkWhole, optionError as fail, refuseUnknownKeys } from "../_internal/options.ts";
import { checkAlgorithms, type JwtAlgorithm } from "./algorithms.ts";
import { hasProtoKey, invalidClaim, type JwtClaims, type JwtHeader } from "./claims.ts";
import { JwtClaimInvalid, type JwtError, JwtMalformed, JwtMissing } from "./errors.ts";
import { toJwtError } from "./jose-errors.ts";
import { type JwtVerifyKey, keySource } from "./keys.ts";
import { createVerifiedCache, type JwtVerifierCacheOptions } from "./verified-cache.ts";

/** What {@link JwtVerifier.verify} gives for a valid token. */
export interface VerifiedJwt<Claims> {
  /** The payload, as the `claims` schema output it (or as sent, without a schema). */
  readonly claims: Claims;
  /** The token's protected header: its `alg` (one of the allow-list), `kid`, `typ` and any others. */
  readonly header: JwtHeader;
}

/** Options for {@link createJwtVerifier}. */
export interface JwtVerifierOptions<Schema extends StandardSchemaV1 | undefined = undefined> {
  /**
   * The algorithms accepted, required and non-empty: the token's `alg` header must be one of them. All
   * symmetric (`HS*`, with a secret) or all asymmetric (with a public key or a JWKS), never both.
   */
  readonly algorithms: readonly JwtAlgorithm[];
  /** The key; see {@link JwtVerifyKey}. */
  readonly key: JwtVerifyKey;
  /** The `iss` required (one of, for a list). `false` accepts any issuer, explicitly. */
  readonly issuer: string | readonly string[] | false;
  /**
   * The `aud` required: the token's `aud` (a string, or an array of strings) must hold one of these.
   * `false` accepts any audience, explicitly: only for tokens minted for this service alone.
   */
  readonly audience: string | readonly string[] | false;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; defaults to 0, at most 300. */
  readonly clockToleranceSec?: number;
  /** When set, tokens need an `iat` and are refused once older than this many seconds. */
  readonly maxTokenAgeSec?: number;
  /**
   * The `typ` header required (compared as a media type: `"at+jwt"` matches `"application/at+jwt"`);
   * defaults to `"JWT"`. `false` accepts a token with any `typ` or none.
   */
  readonly typ?: string | false;
  /** Tokens longer than this many characters are refused before they are parsed; defaults to 8192. */
  readonly maxTokenLength?: number;
  /** `crit` header parameters this application understands and checks itself; any other is refused. */
  readonly crit?: readonly string[];
  /** A Standard Schema (Zod, Valibot...) the payload must pass; its output becomes `claims`. */
  readonly claims?: Schema;
  /**
   * Keeps verified tokens, so that a token presented again skips the signature check and the claims
   * schema (see {@link JwtVerifierCacheOptions}); off by default. A hit still refuses a token past its
   * `exp` or `maxTokenAgeSec`, and gives the same deeply frozen copy each time. A result holding anything
   * but plain objects, arrays and primitives (a `Date` from the claims schema) is not kept.
   */
  readonly cache?: JwtVerifierCacheOptions | false;
}

/** A verifier built once by {@link createJwtVerifier}. */
export interface JwtVerifier<Claims = JwtClaims> {
  /** Verifies a compact JWS; never throws or rejects: every failure is a tagged error. */
  verify(token: string | null | undefined): Promise<Result<VerifiedJwt<Claims>, JwtError>>;
  /** Resolves once the key is imported; rejects with a `TypeError` when it cannot be. Await at start-up. */
  ready(): Promise<void>;
}

const VERIFIER_OPTIONS = [
  "algorithms",
  "key",
  "issuer",
  "audience",
  "clockToleranceSec",
  "maxTokenAgeSec",
  "typ",
  "maxTokenLength",
  "crit",
  "claims",
  "cache",
] as const;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Builds, once at set-up, a JWT verifier on `jose`'s `jwtVerify`. Secure by default: `algorithms`,
 * `issuer` and `audience` are required (`false` opts out of a claim check, explicitly), `exp` is required
 * and must be a number (as `nbf` and `iat`), `typ` must be `JWT`, tokens over 8192 characters are refused
 * unparsed, and unknown `crit` header parameters are refused. A secret shorter than its hash, a PEM string
 * given as an HMAC secret, a private key, or a mix of HMAC and public-key algorithms throws a `TypeError`
 * at set-up. `verify` never throws: every failure is a {@link JwtError}.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
 * import * as z from "zod";
 *
 * const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
 * const signer = createJwtSigner({ algorithm: "HS256", key: secret, issuer: "https://auth.example", audience: "api" });
 * const verifier = createJwtVerifier({
 *   algorithms: ["HS256"],
 *   key: secret,
 *   issuer: "https://auth.example",
 *   audience: "api",
 *   claims: z.object({ sub: z.string(), role: z.enum(["admin", "user"]) }),
 * });
 *
 * const token = await signer.sign({ role: "admin" }, { subject: "user-1" });
 * const verified = await verifier.verify(token);
 * console.assert(verified.isOk() && verified.value.claims.role === "admin");
 * const forged = await verifier.verify(`${token.slice(0, -4)}AAAA`);
 * console.assert(forged.isErr() && forged.error._tag === "JwtInvalidSignature");
 * ```
 */
export function createJwtVerifier<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: JwtVerifierOptions<Schema>,
): JwtVerifier<Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : JwtClaims> {
  const where = "createJwtVerifier";
  if (typeof options !== "object" || options === null) fail(where, "options", "must be an object");
  refuseUnknownKeys(where, options, VERIFIER_OPTIONS);
  const symmetric = checkAlgorithms(where, options.algorithms);
  const algorithms = [...options.algorithms];
  const { issuer, audience } = options;
  const strings = (value: unknown): boolean =>
    typeof value === "string"
      ? value !== ""
      : Array.isArray(value) &&
        value.length > 0 &&
        value.every((item) => typeof item === "string" && item !== "");
  if (issuer !== false && !strings(issuer)) {
    fail(where, "issuer", "is required: a string, a non-empty list of strings, or false to accept any");
  }
  if (audience !== false && !strings(audience)) {
    fail(where, "audience", "is required: a string, a non-empty list of strings, or false to accept any");
  }
  const clockTolerance = checkWhole(where, "clockToleranceSec", options.clockToleranceSec ?? 0, 0, 300);
  const maxTokenAge =
    options.maxTokenAgeSec === undefined
      ? undefined
      : checkWhole(where, "maxTokenAgeSec", options.maxTokenAgeSec, 1, 31_536_000);
  const typ = options.typ ?? "JWT";
  if (
    typ !== false &&
    (typeof typ !== "string" || !/^[A-Za-z0-9!#$&^_.+-]+(?:\/[A-Za-z0-9!#$&^_.+-]+)?$/.test(typ))
  ) {
    fail(where, "typ", "must be a media type such as JWT or at+jwt, or false");
  }
  const maxTokenLength = checkWhole(where, "maxTokenLength", options.maxTokenLength ?? 8192, 16, 1_048_576);
  const crit = options.crit ?? [];
  if (!Array.isArray(crit) || !crit.every((name) => typeof name === "string" && name !== "")) {
    fail(where, "crit", "must be a list of header parameter names");
  }
  const schema = options.claims;
  if (schema !== undefined && typeof schema?.["~standard"]?.validate !== "function") {
    fail(where, "claims", "must be a Standard Schema (Zod, Valibot, ArkType...)");
  }
  // Built once: never rejects (a schema that throws or rejects is an Err, as a failed check is).
  const parseClaims = schema === undefined ? undefined : fromSchemaAsync(schema);
  const { source, ready } = keySource(where, options.key, algorithms, symmetric);
  // Own property only: a polluted Object.prototype.cache must not turn caching on.
  const cache = createVerifiedCache<VerifiedJwt<unknown>>(
    where,
    Object.hasOwn(options, "cache") ? options.cache : undefined,
  );
  /** The first second a fresh verification could refuse `payload` for its time claims. */
  const validUntil = (payload: Record<string, unknown>): number =>
    Math.min(
      (payload.exp as number) + clockTolerance,
      maxTokenAge === undefined
        ? Number.POSITIVE_INFINITY
        : (payload.iat as number) + maxTokenAge + clockTolerance,
    );

  // No prototype: jose reads options it was not given (`currentDate`...) per call, and a polluted
  // Object.prototype must not turn into one (`Object.prototype.currentDate = new Date(0)`: nothing expires).
  const verifyOptions = {
    __proto__: null,
    algorithms,
    requiredClaims: ["exp"],
    clockTolerance,
    crit: Object.fromEntries(crit.map((name) => [name, true])),
    ...(issuer === false ? {} : { issuer: typeof issuer === "string" ? issuer : [...issuer] }),
    ...(audience === false ? {} : { audience: typeof audience === "string" ? audience : [...audience] }),
    ...(typ === false ? {} : { typ }),
    ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
  };
  const getKey = (header: JWTHeaderParameters): Promise<JoseCryptoKey | Uint8Array> => source(header);

  type Claims = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : JwtClaims;
  return {
    ready,
    async verify(token) {
      if (token === undefined || token === null || token === "") return err(new JwtMissing());
      if (typeof token !== "string" || token.length > maxTokenLength || !COMPACT_JWS.test(token)) {
        return err(new JwtMalformed());
      }
      const cached = cache?.get(token);
      if (cached !== undefined) return ok(cached as VerifiedJwt<Claims>);
      let payload: unknown;
      let header: JWTHeaderParameters;
      try {
        const verified = await jwtVerify(token, getKey, verifyOptions);
        payload = verified.payload;
        header = verified.protectedHeader;
      } catch (error) {
        return err(toJwtError(error));
      }
      if (hasProtoKey(header) || hasProtoKey(payload)) return err(new JwtMalformed());
      const invalid = invalidClaim(payload as Record<string, unknown>);
      if (invalid !== undefined) return err(new JwtClaimInvalid(invalid));
      let claims = payload as Claims;
      if (parseClaims !== undefined) {
        const parsed = await parseClaims(payload);
        if (parsed.isErr()) return err(new JwtClaimInvalid());
        claims = parsed.value as Claims;
      }
      const verified: VerifiedJwt<Claims> = { claims, header: header as JwtHeader };
      const kept = cache?.keep(token, verified, validUntil(payload as Record<string, unknown>));
      return ok((kept as VerifiedJwt<Claims> | undefined) ?? verified);
    },
  };
}
