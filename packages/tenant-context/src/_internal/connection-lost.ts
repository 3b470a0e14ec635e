// Which driver errors mean the connection is gone, so a tenant transaction rejects with DatabaseConnectionLost.

// SQLSTATEs of a session the server ended, and connection failures; postgres.js's own codes for a socket
// that closed; pg's messages for one (it gives them no code).
const lostCodes = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a server shutting down
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "25P03", // idle_in_transaction_session_timeout
  "08000",
  "08003",
  "08006",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNRESET",
  "EPIPE",
]);
const lostMessages =
  /^(Connection terminated|Client has encountered a connection error and is not queryable)/;

/** Whether `error` (or one of its causes) says the connection is gone. */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 8; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && lostCodes.has(code)) return true;
    if (typeof message === "string" && lostMessages.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
