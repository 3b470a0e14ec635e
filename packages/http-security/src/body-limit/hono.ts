/**
 * `bodyLimit()`: the body limit of `createBodyLimit` as Hono middleware (413 and 415 problems).
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context, MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems } from "../_internal/hono.ts";
import { type BodyLimit, type BodyLimitOptions, createBodyLimit } from "./body-limit.ts";
import type { BodyLimitError } from "./errors.ts";

/** Options for {@link bodyLimit}: those of {@link createBodyLimit}, and the mapper of a refusal. */
export interface BodyLimitMiddlewareOptions extends BodyLimitOptions {
  /** Answers a refused body; defaults to a mapper of `httpSecurityProblemStatuses` (413, 415). */
  readonly problems?: ProblemMapper<BodyLimitError["_tag"]>;
}

/**
 * Hono middleware: refuses a body over `maxBytes` with a 413 problem before the handler runs, whatever the
 * framing (by `Content-Length`, or by reading a body of undeclared length up to the limit first) and, with
 * `contentTypes`, a media type not listed with a 415 problem. With `stream: true` the body is counted as the
 * handler reads it instead, and the handler's answer is replaced by the 413 when the read failed. See
 * {@link createBodyLimit}.
 *
 * @example
 * ```ts
 * import { bodyLimit } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(bodyLimit({ maxBytes: 1024, contentTypes: ["application/json"] }))
 *   .post("/notes", async (c) => c.json(await c.req.json(), 201));
 *
 * const note = { method: "POST", headers: { "content-type": "application/json" } };
 * console.assert((await app.request("/notes", { ...note, body: '{"text":"hi"}' })).status === 201);
 * console.assert((await app.request("/notes", { ...note, body: JSON.stringify("x".repeat(2000)) })).status === 413);
 * const form = await app.request("/notes", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
 * console.assert(form.status === 415);
 * ```
 */
export function bodyLimit(options: BodyLimitMiddlewareOptions = {}): MiddlewareHandler {
  const { problems, ...limit } = options;
  return bodyLimitWith(createBodyLimit(limit), problems ?? defaultProblems());
}

/** The middleware of a built {@link BodyLimit}; the presets share it. */
export function bodyLimitWith(limit: BodyLimit, problems: ProblemMapper): MiddlewareHandler {
  return async (c, next) => {
    const result = await limit.check(c.req.raw);
    if (result.isErr()) return problemResponse(c, problems, result.error);
    const { request, refusal } = result.value;
    if (request !== c.req.raw) c.req.raw = request;
    await next();
    answerRefusal(c, problems, refusal());
    return undefined;
  };
}

/** With `stream: true`: drops the handler's answer to a body that failed mid-read, and answers the refusal. */
export function answerRefusal(
  c: Context,
  problems: ProblemMapper,
  refusal: BodyLimitError | undefined,
): void {
  if (refusal === undefined) return;
  // Drop the handler's answer (often a 500 from the failed read) and its headers, then answer 413 or 415.
  c.res = undefined as unknown as Response;
  c.res = problemResponse(c, problems, refusal);
}
