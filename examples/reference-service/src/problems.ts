/**
 * @module
 * The service's errors, and the one mapper that turns every error into an RFC 9457 problem. Each problem
 * carries the request id as `correlationId` (the same id is in the log line), and an unexpected error is
 * logged with it while the client sees only a generic 500.
 */
import { httpSecurityProblemStatuses } from "@keel/http-security";
import { createProblemMapper, type ProblemMapper, TaggedError, type TaggedErrorClass } from "@keel/result";
import { tenantProblemStatuses } from "@keel/tenant-context";
import type { Logger } from "./logger.ts";

const InvalidCredentialsBase: TaggedErrorClass<"InvalidCredentials"> = TaggedError("InvalidCredentials");
/** One answer for an unknown workspace, an unknown email and a wrong password: none is told apart. */
export class InvalidCredentials extends InvalidCredentialsBase {
  constructor() {
    super({ message: "Wrong workspace, email or password" });
  }
}
const WorkspaceTakenBase: TaggedErrorClass<"WorkspaceTaken"> = TaggedError("WorkspaceTaken");
export class WorkspaceTaken extends WorkspaceTakenBase {
  constructor() {
    super({ message: "This workspace name is taken" });
  }
}
const EmailTakenBase: TaggedErrorClass<"EmailTaken"> = TaggedError("EmailTaken");
export class EmailTaken extends EmailTakenBase {
  constructor() {
    super({ message: "This workspace has a user with this email" });
  }
}
const SessionRefusedBase: TaggedErrorClass<"SessionRefused"> = TaggedError("SessionRefused");
/** A missing, unknown, expired, revoked or reused refresh token: log in again. */
export class SessionRefused extends SessionRefusedBase {
  constructor() {
    super({ message: "Log in again" });
  }
}
const InvitationRefusedBase: TaggedErrorClass<"InvitationRefused"> = TaggedError("InvitationRefused");
/** An unknown, expired or already accepted invitation. */
export class InvitationRefused extends InvitationRefusedBase {
  constructor() {
    super({ message: "This invitation cannot be accepted" });
  }
}
const ForbiddenBase: TaggedErrorClass<"Forbidden"> = TaggedError("Forbidden");
export class Forbidden extends ForbiddenBase {
  constructor() {
    super({ message: "Only a workspace owner may do this" });
  }
}
const NotFoundBase: TaggedErrorClass<"NotFound"> = TaggedError("NotFound");
/** Another tenant's row is not visible at all: the same 404 as a row that does not exist. */
export class NotFound extends NotFoundBase {
  constructor() {
    super({ message: "Not found" });
  }
}
const NotReadyBase: TaggedErrorClass<"NotReady"> = TaggedError("NotReady");
export class NotReady extends NotReadyBase {
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
