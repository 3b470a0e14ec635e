/**
 * @module
 * `@keel/result/hono`: return a `Result` from a Hono handler and get JSON or a problem response.
 */
import type { Context, Env, ErrorHandler, Handler, Input } from "hono";
import { HTTPException } from "hono/http-exception";
import type { BlankInput } from "hono/types";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Result, ResultAsync } from "neverthrow";
import type { ProblemContext, ProblemMapper } from "./problem.ts";

/** What a result handler may return. */
export type HandlerResult<T, E> = Result<T, E> | ResultAsync<T, E> | Promise<Result<T, E>>;

/** Options for {@link resultHandler}. */
export interface ResultHandlerOptions {
  /** Status of the JSON success response; defaults to 200. */
  readonly status?: ContentfulStatusCode;
}

type AnyContext = Context<Env, string, Input>;

function problemContext(c: AnyContext): ProblemContext {
  // Hono's requestId middleware sets c.var.requestId: use it so the client, the logs and the problem agree.
  const requestId: unknown = c.get("requestId" as never);
  const instance = new URL(c.req.url).pathname;
  return typeof requestId === "string" ? { instance, correlationId: requestId } : { instance };
}

// Answer through the context, not with a new Response, so headers set by middleware (request id, CORS) stay.
function problemResponse(problems: ProblemMapper, error: unknown, c: AnyContext): Response {
  const problem = problems.toProblem(error, problemContext(c));
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": "application/problem+json",
  });
}

/**
 * Wraps a handler that returns a `Result`: `ok` becomes a JSON response, `err` a problem response from the
 * mapper (with the request path as `instance` and Hono's request id, when set, as the correlation id).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createProblemMapper, err, ok, TaggedError } from "@keel/result";
 * import { resultHandler } from "@keel/result/hono";
 * class NotFound extends TaggedError("NotFound") {}
 *
 * const problems = createProblemMapper({ statuses: { NotFound: 404 } });
 * const app = new Hono().get(
 *   "/users/:id",
 *   resultHandler(problems, (c) => (c.req.param("id") === "1" ? ok({ id: "1" }) : err(new NotFound()))),
 * );
 * console.assert((await app.request("/users/2")).status === 404);
 * ```
 */
export function resultHandler<
  T,
  E,
  HonoEnv extends Env = Env,
  Path extends string = string,
  I extends Input = BlankInput,
>(
  problems: ProblemMapper,
  handler: (c: Context<HonoEnv, Path, I>) => HandlerResult<T, E>,
  options: ResultHandlerOptions = {},
): Handler<HonoEnv, Path, I> {
  const status = options.status ?? 200;
  return async (c) => {
    const result = await handler(c);
    if (result.isOk()) return c.json(result.value as never, status);
    return problemResponse(problems, result.error, c as unknown as AnyContext);
  };
}

/**
 * An `app.onError` handler: a thrown `HTTPException` keeps its own response; anything else becomes the
 * mapper's problem (a generic 500 with a correlation id for untagged throws).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createProblemMapper } from "@keel/result";
 * import { problemOnError } from "@keel/result/hono";
 *
 * const app = new Hono().get("/boom", () => {
 *   throw new Error("db password is hunter2");
 * });
 * app.onError(problemOnError(createProblemMapper({ statuses: {} })));
 * const response = await app.request("/boom");
 * console.assert(response.status === 500 && !(await response.text()).includes("hunter2"));
 * ```
 */
export function problemOnError(problems: ProblemMapper): ErrorHandler {
  return (error, c) =>
    error instanceof HTTPException ? error.getResponse() : problemResponse(problems, error, c);
}
