/**
 * `cors()`: the CORS policy of `createCors` as Hono middleware; a refused preflight is a 403 problem.
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems, onResponseHeaders } from "../_internal/hono.ts";
import { refuseUnknownKeys } from "../_internal/options.ts";
import { type Cors, type CorsOptions, corsOptionKeys, createCors } from "./cors.ts";
import type { CorsError } from "./errors.ts";

/** Options for {@link cors}: those of {@link createCors}, and the mapper that answers a refused preflight. */
export interface CorsMiddlewareOptions extends CorsOptions {
  /** Answers a refused preflight; defaults to a mapper of `httpSecurityProblemStatuses` (403). */
  readonly problems?: ProblemMapper<CorsError["_tag"]>;
}

/**
 * Hono middleware: answers CORS preflights itself (204 with the CORS headers, or a 403 problem with none
 * when the origin, method or a header is not allowed) and adds the CORS headers and `Vary: Origin` to
 * every other response. Register it before routes and before {@link crossOriginProtection}.
 *
 * @example
 * ```ts
 * import { cors } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(cors({ origin: ["https://app.example.com"], allowMethods: ["GET", "POST", "DELETE"], allowHeaders: ["content-type"] }))
 *   .get("/orders", (c) => c.json([]));
 *
 * const ok = await app.request("/orders", { headers: { origin: "https://app.example.com" } });
 * console.assert(ok.headers.get("access-control-allow-origin") === "https://app.example.com");
 * const preflight = await app.request("/orders", {
 *   method: "OPTIONS",
 *   headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
 * });
 * console.assert(preflight.status === 403 && !preflight.headers.has("access-control-allow-origin"));
 * console.assert(!(await preflight.text()).includes("evil"));
 * ```
 */
export function cors(options: CorsMiddlewareOptions): MiddlewareHandler {
  refuseUnknownKeys("cors", options, [...corsOptionKeys, "problems"]);
  const { problems, ...policy } = options;
  return corsWith(createCors(policy), problems ?? defaultProblems());
}

export function corsWith(policy: Cors, problems: ProblemMapper): MiddlewareHandler {
  return async (c, next) => {
    if (policy.isPreflight(c.req.raw)) {
      const result = policy.preflight(c.req.raw);
      if (result.isErr()) {
        const response = problemResponse(c, problems, result.error);
        response.headers.set("Vary", "Origin");
        return response;
      }
      return c.body(null, 204, Object.fromEntries(result.value));
    }
    await next();
    onResponseHeaders(c, (headers) => policy.apply(c.req.raw, headers));
    return undefined;
  };
}
