/**
 * `requestId()`: the request id of `createRequestId` on `c.var.requestId` (typed for every Hono app, as Hono's own `requestId()` types it) and in the response header.
 *
 * @module
 */

// Hono's own `RequestIdVariables` carries its `requestId: string` entry of ContextVariableMap: this
// requestId() sets the same variable, so `c.var.requestId` is typed wherever this package is imported, and
// naming the type in RequestIdEnv keeps that import in the built .d.ts. (JSR refuses a package's own
// augmentation of another package's module; reusing Hono's needs none.)
import type { MiddlewareHandler, RequestIdVariables } from "../_internal/external-types.ts";
import { onResponseHeaders } from "../_internal/hono.ts";
import { createRequestId, type RequestId, type RequestIdOptions } from "./request-id.ts";

/** The Hono environment {@link requestId} adds: `c.var.requestId`, the name Hono's own middleware uses. */
export interface RequestIdEnv {
  /** What handlers read as `c.var.requestId`: the id echoed on the response, to put in logs and problems. */
  Variables: RequestIdVariables;
}

export function requestIdWith(ids: RequestId): MiddlewareHandler<RequestIdEnv> {
  return async (c, next) => {
    const id = ids.fromRequest(c.req.raw);
    c.set("requestId", id);
    await next();
    onResponseHeaders(c, (headers) => headers.set(ids.header, id));
  };
}

/**
 * Hono middleware: puts the request's id on `c.var.requestId` (the inbound `x-request-id` when it has the
 * accepted shape, else a fresh UUIDv7; see {@link createRequestId}) and echoes it in the response header,
 * errors included. `problemOnError` and `createResponder` of `@keel/result/hono`, and this package's
 * refusals, use it as the problem's `correlationId`; log it too. Register it first.
 *
 * @example
 * ```ts
 * import { createProblemMapper } from "@keel/result";
 * import { problemOnError } from "@keel/result/hono";
 * import { requestId } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(requestId())
 *   .get("/", (c) => c.text(c.var.requestId))
 *   .get("/boom", () => {
 *     throw new Error("boom");
 *   });
 * app.onError(problemOnError(createProblemMapper({ statuses: {} })));
 *
 * const kept = await app.request("/", { headers: { "x-request-id": "lb-4f2a9c" } });
 * console.assert((await kept.text()) === "lb-4f2a9c" && kept.headers.get("x-request-id") === "lb-4f2a9c");
 * const failed = await app.request("/boom", { headers: { "x-request-id": "bad id\twith tab" } });
 * const id = failed.headers.get("x-request-id") ?? "";
 * console.assert(id.length === 36 && (await failed.json()).correlationId === id);
 * ```
 */
export function requestId(options: RequestIdOptions = {}): MiddlewareHandler<RequestIdEnv> {
  return requestIdWith(createRequestId(options));
}
