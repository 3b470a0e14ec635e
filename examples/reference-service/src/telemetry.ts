/**
 * @module
 * OpenTelemetry through `@opentelemetry/api` only: a server span per request (named by its route, with the
 * tenant id once known) and the request-duration histogram of the HTTP semantic conventions. Without a
 * registered provider the API is a no-op costing next to nothing; `telemetry-console.ts` registers one.
 */
import { type Counter, metrics, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";

const SCOPE = "@keel/example-reference-service";

let loginAttempts: Counter | undefined;
/** Counts a login's outcome. The counter is made on first use, by the meter provider registered by then. */
export function countLogin(outcome: "succeeded" | "failed" | "limited"): void {
  loginAttempts ??= metrics
    .getMeter(SCOPE)
    .createCounter("auth.login.attempts", { description: "Login attempts by outcome" });
  loginAttempts.add(1, { outcome });
}

/** The request middleware: one span and one duration sample per request. */
export function telemetry(): MiddlewareHandler<{ Variables: { tenant?: { readonly id: string } } }> {
  const tracer = trace.getTracer(SCOPE);
  const duration = metrics
    .getMeter(SCOPE)
    .createHistogram("http.server.request.duration", { unit: "s", description: "Duration of HTTP requests" });
  return (c, next) =>
    tracer.startActiveSpan(
      c.req.method,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": c.req.method, "url.path": c.req.path } },
      async (span) => {
        const started = performance.now();
        try {
          await next();
        } finally {
          const route = c.req.routePath;
          const status = c.res.status;
          span.updateName(`${c.req.method} ${route}`);
          span.setAttributes({ "http.route": route, "http.response.status_code": status });
          const tenant = c.get("tenant");
          if (tenant !== undefined) span.setAttribute("keel.tenant.id", tenant.id);
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          duration.record((performance.now() - started) / 1000, {
            "http.request.method": c.req.method,
            "http.route": route,
            "http.response.status_code": status,
          });
        }
      },
    );
}
