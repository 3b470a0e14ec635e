/**
 * @module
 * The workspace handlers: who the caller is, and (owners only) inviting a user with a one-time token that
 * is shown once, in this answer (private and not stored, as every `/api` answer), and kept only as its hash.
 */
import { newToken, tokenHash } from "../../opaque-token.ts";
import { Forbidden } from "../../problems.ts";
import { inTenant } from "../../services.ts";
import type { AppRouteHandler } from "../router.ts";
import { insertInvitation } from "./workspace.queries.ts";
import type * as routes from "./workspace.routes.ts";

const INVITATION_LIFETIME_SEC = 7 * 24 * 60 * 60;

export const me: AppRouteHandler<typeof routes.me> = (c) =>
  c.json(
    {
      userId: c.var.claims.sub,
      tenantId: c.var.tenant.id,
      workspace: c.var.tenant.slug,
      role: c.var.claims.role,
    },
    200,
  );

export const invite: AppRouteHandler<typeof routes.invite> = async (c) => {
  if (c.var.claims.role !== "owner") throw new Forbidden();
  const { email, role } = c.req.valid("json");
  const token = newToken(c.var.tenant.id);
  const hash = await tokenHash(token);
  const expiresAt = await inTenant(c, (query) =>
    insertInvitation(query, {
      email,
      role,
      tokenHash: hash,
      invitedBy: c.var.claims.sub,
      lifetimeSec: INVITATION_LIFETIME_SEC,
    }),
  );
  return c.json({ email, role, expiresAt, token }, 201);
};
