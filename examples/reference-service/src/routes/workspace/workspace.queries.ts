/**
 * @module
 * The workspace queries, run inside the caller's tenant transaction.
 */
import type { SqlQuery } from "@keel/tenant-context";
import { InvitationId, type UserId } from "../../ids.ts";
import { iso } from "../rows.ts";

/** An invitation of `email` as `role`, kept as the hash of its token; returns when it expires. */
export async function insertInvitation(
  query: SqlQuery,
  invitation: {
    readonly email: string;
    readonly role: string;
    readonly tokenHash: string;
    readonly invitedBy: UserId;
    readonly lifetimeSec: number;
  },
): Promise<string> {
  const [row] = await query(
    `insert into invitations (id, email, role, token_hash, invited_by, expires_at)
     values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) returning expires_at`,
    [
      InvitationId.generate(),
      invitation.email,
      invitation.role,
      invitation.tokenHash,
      invitation.invitedBy,
      invitation.lifetimeSec,
    ],
  );
  return iso(row?.expires_at);
}
