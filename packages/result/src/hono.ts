/**
 * `@keel/result/hono`: return a `Result` from a Hono handler and get JSON or a problem response.
 *
 * @module
 */
import type { HTTPException } from "hono/http-exception";
// Hono's `requestId: string` entry of ContextVariableMap, for this file's own reads of it. Only here: the
// built .d.ts leaves it out, so importing this entry does not type `c.var.requestId` in apps that never set it.
import type {} from "hono/request-id";
import type { Result, ResultAsync } from "neverthrow";
// Hono's types, each documented by Hono (see the file).
import type * as hono from "./_internal/external-types.ts";
import { statusPhrase } from "./_internal/status-phrases.ts";
import type { Mapped, ProblemContext, ProblemDetails, ProblemMapper } from "./problem.ts";

/** What a result handler may return. */
export type HandlerResult<T, E> = Result<T, E> | ResultAsync<T, E> | Promise<Result<T, E>>;

/** Options for {@link resultHandler}. */
export interface ResultHandlerOptions {
  /** Status of the JSON success response; defaults to 200. */
  readonly status?: hono.ContentfulStatusCode;
}

type AnyContext = hono.Context<hono.Env, string, hono.Input>;

function problemContext(c: AnyContext, withInstance = true): ProblemContext {
  // Hono's requestId middleware sets c.var.requestId: use it so the client, the logs and the problem agree.
  // Typed as always set; without the requestId() middleware it is undefined.
  const requestId: string | undefined = c.get("requestId");
  const context: { instance?: string; correlationId?: string } = {};
  if (withInstance) context.instance = new URL(c.req.url).pathname;
  if (typeof requestId === "string") context.correlationId = requestId;
  return context;
}

/**
 * Answers `error` as the mapper's problem, through the context so that headers middleware set (request id,
 * CORS) stay on it: the request path is the `instance`, and Hono's request id, when set, the correlation id.
 * For middleware of your own that refuses a request; takes anything (`toProblemUnchecked`).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createProblemMapper, TaggedError } from "@keel/result";
 * import { problemResponse } from "@keel/result/hono";
 * class Closed extends TaggedError("Closed") {}
 *
 * const problems = createProblemMapper({ statuses: { Closed: 503 } });
 * const app = new Hono().use(async (c) => problemResponse(c, problems, new Closed()));
 * const response = await app.request("/anything");
 * console.assert(response.status === 503 && (await response.json()).instance === "/anything");
 * ```
 */
export function problemResponse(
  c: hono.Context,
  problems: ProblemMapper,
  error: unknown,
  options: ProblemResponseOptions = {},
): Response {
  const context = c as unknown as AnyContext;
  const problem = problems.toProblemUnchecked(error, problemContext(context, options.instance !== false));
  return sendProblem(context, problem);
}

/** Options for {@link problemResponse}. */
export interface ProblemResponseOptions {
  /**
   * `false` leaves the request path out of the problem (no `instance`): for a refusal whose path may hold
   * what the request asked for and must not be echoed (a tenant id in a path prefix).
   */
  readonly instance?: boolean;
}

/** Sends `problem` through the context, so that headers middleware set stay on it. */
function sendProblem(c: AnyContext, problem: ProblemDetails): Response {
  return c.body(JSON.stringify(problem), problem.status as hono.ContentfulStatusCode, {
    "content-type": "application/problem+json",
  });
}

/**
 * Sends a `Result` as the response: `ok` as JSON (status from `options`, default 200; `ok(undefined)` is an
 * empty body, status 204 unless `options` says otherwise), `err` as a problem. A `Result` whose error type
 * has a tag the mapper does not map is refused at compile time.
 */
export type Responder<Tag extends string = string> = <
  T,
  E,
  HonoEnv extends hono.Env,
  Path extends string,
  I extends hono.Input,
>(
  c: hono.Context<HonoEnv, Path, I>,
  result: HandlerResult<T, E> & Mapped<E, Tag>,
  options?: ResultHandlerOptions,
) => Promise<Response>;

/**
 * Builds (once) a `respond(c, result)` for use inside ordinary Hono handlers. Because the handler stays
 * Hono's own, `c` keeps the route's types: `c.req.param("id")` is a `string` and `c.req.valid(...)` has the
 * validator's output, which a wrapped handler (see {@link resultHandler}) cannot see.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createProblemMapper, err, ok, TaggedError } from "@keel/result";
 * import { createResponder } from "@keel/result/hono";
 * class NotFound extends TaggedError("NotFound") {}
 *
 * const respond = createResponder(createProblemMapper({ statuses: { NotFound: 404 } }));
 * const app = new Hono().get("/users/:id", (c) => {
 *   const id = c.req.param("id"); // string: the route's own type
 *   return respond(c, id === "1" ? ok({ id }) : err(new NotFound()));
 * });
 * console.assert((await app.request("/users/2")).status === 404);
 * ```
 */
export function createResponder<Tag extends string>(problems: ProblemMapper<Tag>): Responder<Tag> {
  return async (c, result, options = {}) => {
    const settled = await (result as HandlerResult<unknown, unknown>);
    const context = c as unknown as AnyContext;
    if (settled.isErr()) return problemResponse(context, problems, settled.error);
    if (settled.value === undefined) return context.body(null, options.status ?? 204);
    return context.json(settled.value as never, options.status ?? 200);
  };
}

/**
 * Wraps a handler that returns a `Result`: `ok` becomes a JSON response, `err` a problem response from the
 * mapper (with the request path as `instance` and Hono's request id, when set, as the correlation id).
 * TypeScript cannot give the wrapped handler the route's types (`c.req.param("id")` is
 * `string | undefined` there): where they matter, use {@link createResponder} inside a plain handler.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { createProblemMapper, ok } from "@keel/result";
 * import { resultHandler } from "@keel/result/hono";
 *
 * const problems = createProblemMapper({ statuses: {} });
 * const app = new Hono().post("/users", resultHandler(problems, () => ok({ id: "2" }), { status: 201 }));
 * console.assert((await app.request("/users", { method: "POST" })).status === 201);
 * ```
 */
export function resultHandler<
  Tag extends string,
  T,
  E,
  HonoEnv extends hono.Env = hono.Env,
  Path extends string = string,
  I extends hono.Input = hono.BlankInput,
>(
  problems: ProblemMapper<Tag>,
  handler: (c: hono.Context<HonoEnv, Path, I>) => HandlerResult<T, E> & Mapped<E, Tag>,
  options: ResultHandlerOptions = {},
): hono.Handler<HonoEnv, Path, I> {
  const respond = createResponder(problems);
  return (c) => respond(c, handler(c), options);
}

/**
 * An `app.onError` handler: everything thrown becomes a problem, with the headers middleware had set (a
 * request id, CORS headers) kept on it. A tagged error becomes the mapper's problem; any other error a
 * generic 500 with a correlation id; an `HTTPException` (Hono's validators throw one for malformed JSON) a
 * problem of its status, `type: "about:blank"`, its message as `detail`. An `HTTPException` made with a
 * response of its own (`{ res }`) keeps that response, as Hono's own handler does.
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
export function problemOnError(problems: ProblemMapper): hono.ErrorHandler {
  return (error, c) => {
    // Duck-typed as Hono's own handler does, so an HTTPException from a second copy of Hono still counts.
    if (!("getResponse" in error) || typeof error.getResponse !== "function") {
      return problemResponse(c, problems, error);
    }
    const exception = error as HTTPException;
    if (exception.res === undefined) return exceptionProblem(c as unknown as AnyContext, exception);
    const response = exception.getResponse();
    return c.newResponse(response.body, response);
  };
}

function exceptionProblem(c: AnyContext, exception: HTTPException): Response {
  return sendProblem(c, statusProblem(c, exception.status, exception.message));
}

/** An `about:blank` problem of `status`: its phrase as the title, `detail` when there is one. */
function statusProblem(c: AnyContext, status: number, detail: string): ProblemDetails {
  return {
    type: "about:blank",
    title: statusPhrase(status) ?? "Error",
    status,
    ...(detail === "" ? {} : { detail }),
    ...problemContext(c),
  };
}

/**
 * An `app.notFound` handler: a request no route matched gets a 404 problem (`type: "about:blank"`, the path
 * as `instance`, Hono's request id as `correlationId`) instead of Hono's plain-text `404 Not Found`, with the
 * headers middleware had set kept on it. With `problemOnError`, every error a Hono app answers is a problem.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { problemOnNotFound } from "@keel/result/hono";
 *
 * const app = new Hono().get("/", (c) => c.text("home"));
 * app.notFound(problemOnNotFound());
 * const response = await app.request("/missing");
 * console.assert(response.status === 404 && response.headers.get("content-type") === "application/problem+json");
 * console.assert((await response.json()).instance === "/missing");
 * ```
 */
export function problemOnNotFound(): hono.NotFoundHandler {
  return (c) => sendProblem(c as unknown as AnyContext, statusProblem(c as unknown as AnyContext, 404, ""));
}
