/**
 * @module
 * How routes are declared: the router every route group is made with (a request that fails its schemas is
 * answered a 422 problem), and the OpenAPI entries of JSON bodies and problems.
 */
import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { type ProblemMapper, ValidationError } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context } from "hono";
import { Problem } from "./schemas.ts";
import type { AppEnv } from "./services.ts";

/** A route group: a request that fails its schemas is answered a 422 problem listing the issues. */
export function router(problems: ProblemMapper): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.filter((key): key is string | number => typeof key !== "symbol"),
        message: issue.message,
      }));
      return problemResponse(c, problems, new ValidationError({ issues }));
    },
  });
}

/**
 * A problem answer from a route handler. `@hono/zod-openapi` types a handler's result as one of the
 * route's declared responses; every route declares its problem statuses with `problemResponses`, so the
 * plain `Response` of `problemResponse` is passed off as one of them.
 */
export const problem = (c: Context, problems: ProblemMapper, error: unknown): never =>
  problemResponse(c, problems, error) as never;

/** The OpenAPI content entry of a JSON body. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

/** The OpenAPI entries of the problems a route may answer. */
export function problemResponses<const Status extends number>(
  ...statuses: Status[]
): Record<
  Status,
  { description: string; content: { "application/problem+json": { schema: typeof Problem } } }
> {
  const entries = statuses.map((status) => [
    status,
    { description: "A problem (RFC 9457)", content: { "application/problem+json": { schema: Problem } } },
  ]);
  return Object.fromEntries(entries) as never;
}
