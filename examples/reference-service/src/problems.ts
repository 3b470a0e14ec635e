/**
 * @module
 * The service's errors, and the one mapper that turns every error into an RFC 9457 problem. Each problem
 * carries the request id as `correlationId` (the same id is in the log line), and an unexpected error is
 * logged with it while the client sees only a generic 500.
 */
import { httpSecurityProblemStatuses } from "@keel/http-security";
import { createProblemMapper, type ProblemMapper, TaggedError } from "@keel/result";
import { tenantProblemStatuses } from "@keel/tenant-context";
import type { Logger } from "./logger.ts";

/** One answer for an unknown workspace, an unknown email and a wrong password: none is told apart. */
export class InvalidCredentials extends TaggedError("InvalidCredentials") {
  constructor() {
    super({ message: "Wrong workspace, email or password" });
  }
}
export class WorkspaceTaken extends TaggedError("WorkspaceTaken") {
  constructor() {
    super({ message: "This workspace name is taken" });
  }
}
export class EmailTaken extends TaggedError("EmailTaken") {
  constructor() {
    super({ message: "This workspace has a user with this email" });
  }
}
/** A missing, unknown, expired, revoked or reused refresh token: log in again. */
export class SessionRefused extends TaggedError("SessionRefused") {
  constructor() {
    super({ message: "Log in again" });
  }
}
/** An unknown, expired or already accepted invitation. */
export class InvitationRefused extends TaggedError("InvitationRefused") {
  constructor() {
    super({ message: "This invitation cannot be accepted" });
  }
}
export class Forbidden extends TaggedError("Forbidden") {
  constructor() {
    super({ message: "Only a workspace owner may do this" });
  }
}
/** Another tenant's row is not visible at all: the same 404 as a row that does not exist. */
export class NotFound extends TaggedError("NotFound") {
  constructor() {
    super({ message: "Not found" });
  }
}
export class NotReady extends TaggedError("NotReady") {
  constructor(fields: { readonly cause: unknown }) {
    super({ message: "The database or the rate-limit store is not reachable", cause: fields.cause });
  }
}

/** The mapper of every error the service answers with. */
export function createProblems(log: Logger): ProblemMapper {
  return createProblemMapper({
    typeBase: "https://keel.dev/reference-service/problems/",
    statuses: {
      ...httpSecurityProblemStatuses,
      ...tenantProblemStatuses,
      // Only the issues go out: the rejected input (a password, perhaps) is never echoed.
      ValidationError: { status: 422, expose: ["issues"] },
      InvalidCredentials: 401,
      WorkspaceTaken: 409,
      EmailTaken: 409,
      SessionRefused: 401,
      InvitationRefused: 410,
      Forbidden: 403,
      NotFound: 404,
      NotReady: 503,
    },
    onUnexpected: ({ error, correlationId }) => log.error("unexpected error", { correlationId, error }),
  });
}
