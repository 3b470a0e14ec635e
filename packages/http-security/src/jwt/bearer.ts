/**
 * RFC 6750 section 2.1 `Authorization: Bearer <token68>` parsing, strict: the scheme (any case), exactly
 * one space, a token68 (RFC 9110 section 11.2) and nothing else; the token read from a request (the header,
 * or else a cookie), and the RFC 6750 section 3 `WWW-Authenticate` challenge of a refusal. No `jose` here:
 * the Hono adapter loads this, not the verifier.
 *
 * @module
 */
import { err } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { isToken } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { parseCookies } from "../cookies/cookies.ts";
import type { JwtClaims } from "./claims.ts";
import { type JwtError, JwtMalformed, JwtMissing } from "./errors.ts";
import type { JwtVerifier, VerifiedJwt } from "./verifier.ts";

const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * The token of a `Bearer` credentials value; `undefined` when the value uses another scheme (or is absent),
 * `false` when it says Bearer but is malformed (two spaces, a tab, a comma, a second token...).
 */
export function parseBearer(value: string | null | undefined): string | false | undefined {
  if (typeof value !== "string") return undefined;
  const scheme = value.slice(0, 7).toLowerCase();
  if (scheme !== "bearer" && !/^bearer[\s,]/.test(scheme)) return undefined;
  const match = BEARER.exec(value);
  return match === null ? false : (match[1] as string);
}

/** The option names of {@link createBearerAuth} (`jwtAuth` adds its own). */
export const BEARER_OPTIONS: readonly string[] = ["verifier", "header", "cookie", "realm"];

/** Options for {@link createBearerAuth}. */
export interface BearerAuthOptions<Claims = JwtClaims> {
  /** The verifier from `createJwtVerifier`. */
  readonly verifier: JwtVerifier<Claims>;
  /**
   * The request header holding `Bearer <token>`; defaults to `"authorization"`. `false` reads only the
   * cookie.
   */
  readonly header?: string | false;
  /**
   * A cookie holding the bare token (a browser session), read when the header holds no `Bearer`
   * credentials: absent, or another scheme; never instead of a malformed `Bearer`. Pair it with
   * cross-origin protection (a cookie is sent on cross-site requests) and give it a `__Host-` name.
   */
  readonly cookie?: string;
  /** The `realm` of the `WWW-Authenticate` challenge; none by default. */
  readonly realm?: string;
}

/** Bearer-token authentication built once by {@link createBearerAuth}. */
export interface BearerAuth<Claims = JwtClaims> {
  /** Reads the request's token and verifies it; never throws: a missing or bad token is a `JwtError`. */
  authenticate(request: Request): Promise<Result<VerifiedJwt<Claims>, JwtError>>;
  /**
   * The `WWW-Authenticate` value of a refusal (RFC 6750 section 3): no `error` when no token was sent,
   * else `error="invalid_token"`; never an `error_description` or anything of the token.
   */
  challenge(error: JwtError): string;
}

/**
 * Builds, once at set-up, RFC 6750 bearer-token authentication over a JWT verifier: the token from the
 * `Authorization` header (strictly `Bearer <token68>`) or else a cookie, and the challenge of a refusal.
 * The framework-free core of `jwtAuth()` in `@keel/http-security/hono`.
 *
 * @example
 * ```ts
 * import { createBearerAuth, createJwtVerifier } from "@keel/http-security/jwt";
 *
 * const verifier = createJwtVerifier({
 *   algorithms: ["HS256"],
 *   key: "a-secret-of-at-least-32-bytes-for-hs256!",
 *   issuer: "https://auth.example",
 *   audience: "api",
 * });
 * const bearer = createBearerAuth({ verifier, realm: "api" });
 * const refused = await bearer.authenticate(new Request("https://api.example/me"));
 * console.assert(refused.isErr() && bearer.challenge(refused.error) === 'Bearer realm="api"');
 * const bad = await bearer.authenticate(new Request("https://api.example/me", { headers: { authorization: "Bearer  two-spaces" } }));
 * console.assert(bad.isErr() && bearer.challenge(bad.error) === 'Bearer realm="api", error="invalid_token"');
 * ```
 */
export function createBearerAuth<Claims = JwtClaims>(options: BearerAuthOptions<Claims>): BearerAuth<Claims> {
  const fail = optionChecker("createBearerAuth");
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createBearerAuth", options, BEARER_OPTIONS);
  const { verifier, cookie, realm } = options;
  if (typeof verifier?.verify !== "function") fail("verifier", "must be made by createJwtVerifier");
  const header = options.header === undefined ? "authorization" : options.header;
  if (header !== false && (typeof header !== "string" || !isToken(header))) {
    fail("header", "must be a header name or false");
  }
  if (cookie !== undefined && (typeof cookie !== "string" || !isToken(cookie))) {
    fail("cookie", "must be a cookie name");
  }
  if (header === false && cookie === undefined) fail("header", "may be false only with a cookie");
  if (realm !== undefined && (typeof realm !== "string" || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(realm))) {
    fail("realm", "must be printable ASCII without quotes or backslashes");
  }
  const scheme = realm === undefined ? "Bearer" : `Bearer realm="${realm}"`;
  const separator = realm === undefined ? " " : ", ";
  return {
    async authenticate(request) {
      let token: string | false | undefined;
      if (header !== false) token = parseBearer(request.headers.get(header));
      if (token === undefined && cookie !== undefined) token = parseCookies(request).get(cookie);
      if (token === false) return err(new JwtMalformed());
      if (token === undefined) return err(new JwtMissing());
      return verifier.verify(token);
    },
    challenge: (error) =>
      error._tag === "JwtMissing" ? scheme : `${scheme}${separator}error="invalid_token"`,
  };
}
