/**
 * `jsonApiSecurity()` and `htmlSecurity()`: the presets of `createJsonApiSecurity` and `createHtmlSecurity` as one Hono middleware each.
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems, onResponseHeaders } from "../_internal/hono.ts";
import { answerRefusal } from "../body-limit/hono.ts";
import { applySecureHeaders, enterSecureHeaders } from "../headers/hono.ts";
import {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset.ts";

/** The Hono environment of the presets: `c.var.requestId` and `c.var.cspNonce`. */
export interface SecurityPresetEnv {
  /** What handlers read as `c.var.requestId` (the request's id) and `c.var.cspNonce` (the CSP nonce). */
  Variables: { requestId: string; cspNonce: string };
}

/**
 * The preset's parts as one middleware, in the order of the separate ones (request id, secure headers,
 * CORS, cross-origin protection, body limit): one async frame per request instead of a chain of five.
 */
function presetMiddleware(
  preset: SecurityPreset,
  problems: ProblemMapper,
): MiddlewareHandler<SecurityPresetEnv> {
  const { requestId: ids, secureHeaders, cors, crossOriginProtection, bodyLimit } = preset;
  return async (c, next) => {
    const request = c.req.raw;
    const id = ids?.fromRequest(request);
    if (id !== undefined) c.set("requestId", id);
    const outermost = enterSecureHeaders(c, secureHeaders);
    let refused: Response | undefined;
    let streamed: (() => void) | undefined;
    const preflight = cors?.isPreflight(request) === true;
    if (cors !== undefined && preflight) {
      const answer = cors.preflight(request);
      if (answer.isErr()) {
        refused = problemResponse(c, problems, answer.error);
        refused.headers.set("Vary", "Origin");
      } else refused = c.body(null, 204, Object.fromEntries(answer.value));
    } else {
      const check = crossOriginProtection?.check(request);
      if (check?.isErr()) refused = problemResponse(c, problems, check.error);
      else if (bodyLimit !== undefined) {
        const limited = await bodyLimit.check(request);
        if (limited.isErr()) refused = problemResponse(c, problems, limited.error);
        else {
          if (limited.value.request !== request) c.req.raw = limited.value.request;
          streamed = () => answerRefusal(c, problems, limited.value.refusal());
        }
      }
    }
    if (refused !== undefined) c.res = refused;
    else {
      await next();
      streamed?.();
    }
    onResponseHeaders(c, (headers) => {
      // A preflight's answer carries its own CORS headers; every other answer, refusals included, gets them.
      if (cors !== undefined && !preflight) cors.apply(request, headers);
      if (outermost) applySecureHeaders(c, headers);
      if (id !== undefined && ids !== undefined) headers.set(ids.header, id);
    });
  };
}

/** Options for {@link jsonApiSecurity}: those of {@link createJsonApiSecurity}, and the mapper of refusals. */
export interface JsonApiSecurityMiddlewareOptions extends JsonApiSecurityOptions {
  /** Answers refusals; defaults to a mapper of `httpSecurityProblemStatuses`. */
  readonly problems?: ProblemMapper;
}

/** Options for {@link htmlSecurity}: those of {@link createHtmlSecurity}, and the mapper of refusals. */
export interface HtmlSecurityMiddlewareOptions extends HtmlSecurityOptions {
  /** Answers refusals; defaults to a mapper of `httpSecurityProblemStatuses`. */
  readonly problems?: ProblemMapper;
}

/**
 * Hono middleware: everything a JSON API needs from this package in one call, in the right order: request
 * ids, secure headers (CSP `"api"`), strict CORS for the listed origins, cross-origin (CSRF) protection and a
 * 1 MiB `application/json` body limit. See {@link createJsonApiSecurity} for the options.
 *
 * @example
 * ```ts
 * import { jsonApiSecurity } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono().use(jsonApiSecurity({ origin: ["https://app.example.com"] }));
 * app.post("/orders", async (c) => c.json(await c.req.json(), 201));
 *
 * const mine = await app.request("/orders", {
 *   method: "POST",
 *   headers: { origin: "https://app.example.com", "sec-fetch-site": "same-origin", "content-type": "application/json" },
 *   body: '{"item":1}',
 * });
 * console.assert(mine.status === 201 && mine.headers.get("access-control-allow-origin") === "https://app.example.com");
 * console.assert(mine.headers.get("x-request-id") !== null && mine.headers.get("x-content-type-options") === "nosniff");
 *
 * const attack = await app.request("/orders", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
 * console.assert(attack.status === 403 && (await attack.json()).correlationId === attack.headers.get("x-request-id"));
 * ```
 */
export function jsonApiSecurity(
  options: JsonApiSecurityMiddlewareOptions,
): MiddlewareHandler<SecurityPresetEnv> {
  const { problems, ...preset } = options;
  return presetMiddleware(createJsonApiSecurity(preset), problems ?? defaultProblems());
}

/**
 * Hono middleware: the HTML-site preset of {@link createHtmlSecurity} (request ids, secure headers with the
 * `"html"` CSP and a nonce on `c.var.cspNonce`, CSRF protection, a 1 MiB body limit; CORS only with
 * `origin`).
 *
 * @example
 * ```ts
 * import { htmlSecurity } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(htmlSecurity())
 *   .get("/", (c) => c.html(`<script nonce="${c.var.cspNonce}">start()</script>`))
 *   .post("/comment", (c) => c.text("saved"));
 *
 * const page = await app.request("/");
 * const nonce = /nonce="([^"]+)"/.exec(await page.text())?.[1] ?? "";
 * console.assert(nonce !== "" && page.headers.get("content-security-policy")?.includes(`'nonce-${nonce}'`));
 * const forged = await app.request("/comment", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
 * console.assert(forged.status === 403);
 * ```
 */
export function htmlSecurity(
  options: HtmlSecurityMiddlewareOptions = {},
): MiddlewareHandler<SecurityPresetEnv> {
  const { problems, ...preset } = options;
  return presetMiddleware(createHtmlSecurity(preset), problems ?? defaultProblems());
}
