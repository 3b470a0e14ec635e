/**
 * @module
 * What the routes share: the Hono environment of a request, the services built once at start-up (on
 * `c.var.services`, so that handlers are plain functions of their route), and the tenant transaction.
 */

import type { ClientIpEnv, SecurityPresetEnv } from "@keel/http-security/hono";
import type { JwtSigner } from "@keel/http-security/jwt";
import type { PasswordHasher } from "@keel/http-security/password";
import type { LoginLimiter } from "@keel/http-security/rate-limit";
import type { ProblemMapper } from "@keel/result";
import type { SqlQuery } from "@keel/tenant-context";
import type { Context, MiddlewareHandler } from "hono";
import type { AccessClaims } from "./access-tokens.ts";
import type { Database } from "./database.ts";
import type { Logger } from "./logger.ts";
import type { Tenant } from "./tenant.ts";

/** Built once at start-up (on Workers, with the first request) and shared by every route. */
export interface Services {
  /** The database; on Workers it is opened by the first request that needs it. */
  readonly database: () => Promise<Database>;
  readonly problems: ProblemMapper;
  readonly log: Logger;
  readonly passwords: PasswordHasher;
  readonly signer: JwtSigner;
  readonly login: LoginLimiter;
  /** Resolves when the service can take requests (the database and the rate-limit store answer). */
  readonly ready: () => Promise<void>;
}

/**
 * A request's variables: the presets' ids and nonce, the client address, the services, then (on `/api`)
 * the verified claims and the tenant.
 */
export type AppEnv = SecurityPresetEnv &
  ClientIpEnv & { Variables: { services: Services; claims: AccessClaims; tenant: Tenant } };

/** Hono middleware: puts `services` on `c.var.services`. Registered first. */
export function appServices(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("services", services);
    await next();
  };
}

/**
 * Runs `work` in one transaction of the request's tenant: row-level security shows only its rows, so the
 * SQL needs no `where tenant_id = ...`, and a forgotten filter cannot leak another tenant's row.
 */
export async function inTenant<T>(c: Context<AppEnv>, work: (query: SqlQuery) => Promise<T>): Promise<T> {
  return (await c.var.services.database()).withTenant(work);
}
