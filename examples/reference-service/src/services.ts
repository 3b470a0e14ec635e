/**
 * @module
 * What the routes share: the Hono environment of a request and the services built once at start-up.
 */
import type { JwtSigner, LoginLimiter } from "@keel/http-security";
import type { ClientIpEnv, SecurityPresetEnv } from "@keel/http-security/hono";
import type { PasswordHasher } from "@keel/http-security/password";
import type { ProblemMapper } from "@keel/result";
import { z } from "zod";
import type { Database } from "./database.ts";
import { TenantIdSchema, UserIdSchema } from "./ids.ts";
import type { Logger } from "./logger.ts";
import type { Tenant } from "./tenant.ts";

/** The claims an access token carries, checked on every request: user, tenant and role. */
export const AccessClaimsSchema = z.object({
  sub: UserIdSchema,
  tid: TenantIdSchema,
  role: z.enum(["owner", "member"]),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;

/** A request's variables: the presets' ids and nonce, the client address, then the claims and the tenant. */
export type AppEnv = SecurityPresetEnv &
  ClientIpEnv & { Variables: { claims: AccessClaims; tenant: Tenant } };

/** Built once at start-up (on Workers, with the first request) and shared by every route. */
export interface Services {
  /** The database; on Workers it is opened by the first request that needs it. */
  readonly database: () => Promise<Database>;
  readonly problems: ProblemMapper;
  readonly log: Logger;
  readonly passwords: PasswordHasher;
  readonly signer: JwtSigner;
  readonly login: LoginLimiter;
}
