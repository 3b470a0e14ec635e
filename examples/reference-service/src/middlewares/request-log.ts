/**
 * @module
 * The request log: one JSON line per request, with its request id, tenant, user, route, status and
 * duration. The ids are those of the problem's `correlationId` and of the tenant's other log lines.
 */
import { jwtClaims } from "@keel/http-security/hono";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";
import type { AppEnv } from "../services.ts";

/** Hono middleware: logs each request once it is answered. Registered before the others, to time them. */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.info("request", {
      requestId: c.get("requestId"),
      // Set on /api only: the tenant by tenant(), the claims by jwtAuth().
      tenantId: c.get("tenant")?.id,
      userId: jwtClaims(c)?.sub,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
