/**
 * `jwtAuth()`: bearer-token authentication with a `createJwtVerifier` verifier as Hono middleware; the claims on `c.var.claims`, typed for every Hono app.
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context, MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems } from "../_internal/hono.ts";
import { refuseUnknownKeys } from "../_internal/options.ts";
import { BEARER_OPTIONS, type BearerAuthOptions, createBearerAuth } from "./bearer.ts";
import type { JwtClaims } from "./claims.ts";
import type { JwtError } from "./errors.ts";

/** The Hono environment {@link jwtAuth} adds: `c.var.claims`, the verified (schema-typed) claims. */
export interface JwtAuthEnv<Claims = JwtClaims> {
  /** What handlers read as `c.var.claims`: the verified token's claims, as the schema typed them. */
  Variables: { claims: Claims };
}

/** Options for {@link jwtAuth}: those of `createBearerAuth`, and the mapper of a refusal. */
export interface JwtAuthOptions<Claims = JwtClaims> extends BearerAuthOptions<Claims> {
  /** Answers a refusal; defaults to a mapper of `httpSecurityProblemStatuses` (401, and 503 for a JWKS outage). */
  readonly problems?: ProblemMapper<JwtError["_tag"]>;
}

/**
 * Hono middleware: verifies the request's bearer token (the `Authorization` header, strictly
 * `Bearer <token68>`, or else the configured cookie) with a {@link createJwtVerifier} verifier and puts the
 * claims on `c.var.claims`. A refusal is a 401 problem with `WWW-Authenticate: Bearer` (RFC 6750: no
 * `error` when no token was sent, else `error="invalid_token"`; never an `error_description` or anything
 * of the token); a JWKS outage is a 503 problem.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
 * import { jwtAuth } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 * import * as z from "zod";
 *
 * const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
 * const verifier = createJwtVerifier({
 *   algorithms: ["HS256"],
 *   key: secret,
 *   issuer: "https://auth.example",
 *   audience: "api",
 *   claims: z.object({ sub: z.string(), scope: z.string() }),
 * });
 * const app = new Hono()
 *   .use("/api/*", jwtAuth({ verifier, realm: "api" }))
 *   .get("/api/me", (c) => c.json({ user: c.var.claims.sub, scope: c.var.claims.scope }));
 *
 * const signer = createJwtSigner({ algorithm: "HS256", key: secret, issuer: "https://auth.example", audience: "api" });
 * const token = await signer.sign({ scope: "read" }, { subject: "user-1" });
 * const me = await app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
 * console.assert(me.status === 200 && (await me.json()).user === "user-1");
 *
 * const anonymous = await app.request("/api/me");
 * console.assert(anonymous.status === 401 && anonymous.headers.get("www-authenticate") === 'Bearer realm="api"');
 * const forged = await app.request("/api/me", { headers: { authorization: `Bearer ${token}x` } });
 * console.assert(forged.headers.get("www-authenticate") === 'Bearer realm="api", error="invalid_token"');
 * ```
 */
export function jwtAuth<Claims = JwtClaims>(
  options: JwtAuthOptions<Claims>,
): MiddlewareHandler<JwtAuthEnv<Claims>> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("jwtAuth: options must be an object");
  }
  refuseUnknownKeys("jwtAuth", options, [...BEARER_OPTIONS, "problems"]);
  const { problems: mapper, ...bearerOptions } = options;
  const bearer = createBearerAuth(bearerOptions);
  const problems = mapper ?? defaultProblems();
  return async (c, next) => {
    const result = await bearer.authenticate(c.req.raw);
    if (result.isOk()) {
      c.set("claims", result.value.claims);
      await next();
      return undefined;
    }
    const response = problemResponse(c, problems, result.error);
    if (response.status === 401) response.headers.set("WWW-Authenticate", bearer.challenge(result.error));
    return response;
  };
}

/**
 * The claims {@link jwtAuth} verified for this request, for middleware that does not know the route's
 * `JwtAuthEnv` (a tenant resolver, a logger): `undefined` when `jwtAuth()` did not run, or when the
 * verifier's schema made something other than an object of them.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
 * import { jwtAuth, jwtClaims } from "@keel/http-security/hono";
 * import { Hono, type MiddlewareHandler } from "hono";
 *
 * const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
 * const verifier = createJwtVerifier({ algorithms: ["HS256"], key: secret, issuer: "https://auth.example", audience: "api" });
 * const audit: MiddlewareHandler = async (c, next) => {
 *   c.header("x-audit-subject", String(jwtClaims(c)?.sub ?? "anonymous"));
 *   await next();
 * };
 * const app = new Hono().use(jwtAuth({ verifier }), audit).get("/", (c) => c.text("ok"));
 *
 * const signer = createJwtSigner({ algorithm: "HS256", key: secret, issuer: "https://auth.example", audience: "api" });
 * const token = await signer.sign({}, { subject: "user-1" });
 * const response = await app.request("/", { headers: { authorization: `Bearer ${token}` } });
 * console.assert(response.headers.get("x-audit-subject") === "user-1");
 * ```
 */
export function jwtClaims(c: Context): Readonly<Record<string, unknown>> | undefined {
  const claims: unknown = c.get("claims");
  return typeof claims === "object" && claims !== null
    ? (claims as Readonly<Record<string, unknown>>)
    : undefined;
}
