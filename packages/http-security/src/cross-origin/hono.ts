/**
 * `crossOriginProtection()`: the cross-origin (CSRF) protection of `createCrossOriginProtection` as Hono middleware.
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems } from "../_internal/hono.ts";
import { refuseUnknownKeys } from "../_internal/options.ts";
import {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
  crossOriginProtectionOptionKeys,
} from "./cross-origin-protection.ts";
import type { CrossOriginError } from "./errors.ts";

/** Options for {@link crossOriginProtection}: those of {@link createCrossOriginProtection}, and the mapper of a refusal. */
export interface CrossOriginProtectionMiddlewareOptions extends CrossOriginProtectionOptions {
  /** Answers a refused request; defaults to a mapper of `httpSecurityProblemStatuses` (403). */
  readonly problems?: ProblemMapper<CrossOriginError["_tag"]>;
}

/**
 * Hono middleware: refuses cross-origin state-changing browser requests with a 403 problem, by Go 1.25's
 * `CrossOriginProtection` algorithm (see {@link createCrossOriginProtection}). The request's
 * `Content-Type` plays no part.
 *
 * @example
 * ```ts
 * import { crossOriginProtection } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono().use(crossOriginProtection()).post("/transfer", (c) => c.text("done"));
 * const attack = await app.request("/transfer", {
 *   method: "POST",
 *   headers: { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
 *   body: "amount=1000",
 * });
 * console.assert(attack.status === 403);
 * console.assert(attack.headers.get("content-type") === "application/problem+json");
 * const mine = await app.request("/transfer", { method: "POST", headers: { "sec-fetch-site": "same-origin" } });
 * console.assert(mine.status === 200);
 * ```
 */
export function crossOriginProtection(
  options: CrossOriginProtectionMiddlewareOptions = {},
): MiddlewareHandler {
  refuseUnknownKeys("crossOriginProtection", options, [...crossOriginProtectionOptionKeys, "problems"]);
  const { problems, ...protection } = options;
  return crossOriginProtectionWith(createCrossOriginProtection(protection), problems ?? defaultProblems());
}

export function crossOriginProtectionWith(
  protection: CrossOriginProtection,
  problems: ProblemMapper,
): MiddlewareHandler {
  return async (c, next) => {
    const result = protection.check(c.req.raw);
    if (result.isErr()) return problemResponse(c, problems, result.error);
    await next();
    return undefined;
  };
}
