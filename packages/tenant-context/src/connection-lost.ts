/**
 * The error a tenant transaction fails with when its database connection died under it (the server ended
 * the session, `idle_in_transaction_session_timeout`, a failover): the work did not commit, the connection is
 * not reused, and the next transaction gets a fresh one.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "./_internal/external-types.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ DatabaseConnectionLostBase: TaggedErrorClass<"DatabaseConnectionLost"> =
    /* @__PURE__ */ TaggedError("DatabaseConnectionLost");

/**
 * The connection of a tenant transaction was lost before it committed; `cause` is the driver's error. Safe
 * to retry the whole unit of work (nothing was committed), unless it had effects outside the database.
 *
 * @example
 * ```ts
 * import { DatabaseConnectionLost } from "@keel/tenant-context";
 * const error = new DatabaseConnectionLost({ cause: new Error("Connection terminated unexpectedly") });
 * console.assert(error._tag === "DatabaseConnectionLost" && error.cause instanceof Error);
 * ```
 */
export class DatabaseConnectionLost extends DatabaseConnectionLostBase {
  /**
   * Reports the lost connection with a fixed message that names no host, role or tenant.
   *
   * @param fields `cause`: the driver's error, kept for logs.
   */
  constructor(fields: { cause: unknown }) {
    super({ cause: fields.cause, message: "The database connection was lost during a tenant transaction" });
  }
}
