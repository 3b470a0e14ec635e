/**
 * What the Hono adapters share: the default problem mapper, response-header edits and chaining.
 *
 * @module
 */
import { createProblemMapper, type ProblemMapper } from "@keel/result";
import type { Context, MiddlewareHandler } from "hono";
import { httpSecurityProblemStatuses } from "../problem-statuses.ts";

/** Runs `apply` on the response's headers, copying the response first if its headers are immutable. */
export function onResponseHeaders(c: Context, apply: (headers: Headers) => void): void {
  try {
    apply(c.res.headers);
  } catch {
    // A fetch() response passed through: its headers are immutable. Header.set throws before changing any.
    c.res = new Response(c.res.body, c.res);
    apply(c.res.headers);
  }
}

let sharedProblems: ProblemMapper | undefined;
/** The mapper of `httpSecurityProblemStatuses`, made once, on first use. */
export const defaultProblems = (): ProblemMapper =>
  (sharedProblems ??= createProblemMapper({ statuses: httpSecurityProblemStatuses }));

/** Runs middleware in order as one; a middleware's returned response becomes `c.res`. */
export function chain(handlers: readonly MiddlewareHandler[]): MiddlewareHandler {
  return async (c, next) => {
    const dispatch = async (index: number): Promise<void> => {
      const handler = handlers[index];
      if (handler === undefined) return next();
      const response = await handler(c, () => dispatch(index + 1));
      if (response instanceof Response) c.res = response;
    };
    await dispatch(0);
  };
}
