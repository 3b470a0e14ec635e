/**
 * @module
 * How a route group is declared: `createRouter()` makes it (a request that fails its schemas is answered a
 * 422 problem), `AppRouteHandler` types its handlers, and `json`, `problemResponses` and `bearerAuth` are the
 * OpenAPI entries its routes repeat. A handler answers a refusal by throwing the service's error:
 * `problemOnError` (in `app.ts`) answers it as the mapper's problem, with the headers set so far.
 */
import { OpenAPIHono, type RouteConfig, type RouteHandler, type z } from "@hono/zod-openapi";
import { ValidationError } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import { Problem } from "../schemas.ts";
import type { AppEnv } from "../services.ts";

/** A route group: a request that fails its schemas is answered a 422 problem listing the issues. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.filter((key): key is string | number => typeof key !== "symbol"),
        message: issue.message,
      }));
      return problemResponse(c, c.var.services.problems, new ValidationError({ issues }));
    },
  });
}

/** The handler of route `R`: its params, query and body validated, its answers typed by its responses. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** The OpenAPI content entry of a JSON body. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

const problemEntry = {
  description: "A problem (RFC 9457)",
  content: { "application/problem+json": { schema: Problem } },
};

/** The OpenAPI entries of the problems a route may answer. */
export function problemResponses<const Status extends number>(
  ...statuses: Status[]
): Record<Status, typeof problemEntry> {
  return Object.fromEntries(statuses.map((status) => [status, problemEntry])) as Record<
    Status,
    typeof problemEntry
  >;
}

/** The security requirement of a route behind an access token (the scheme is registered in `openapi.ts`). */
export const bearerAuth = [{ bearerAuth: [] }];

/**
 * The problems of every `/api` route: a bad or unknown tenant (400, 404), no or a bad token (401), a
 * refused tenant or role (403), the rate limit (429), the store or database down (503).
 */
export const apiProblems = problemResponses(400, 401, 403, 404, 429, 503);
/** And of a route with a body: too large (413), not JSON (415), invalid (422). */
export const bodyProblems = problemResponses(413, 415, 422);
