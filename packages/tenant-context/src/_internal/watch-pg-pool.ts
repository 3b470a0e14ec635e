// A `pg.Pool` under a query builder that checks clients out with no 'error' listener (pg-pool removes its
// own meanwhile): a connection lost during a transaction would be an unhandled 'error' event that ends the
// process. Watching each checked-out client makes the query fail instead, which the transaction reports.

/** What the adapter needs of a `pg.Pool` to watch its checked-out clients: its `acquire` and `release` events. */
export interface PgPoolEvents {
  /** Listens for a client being checked out: its `error` listener is added then. */
  on(event: "acquire", listener: (client: PgClientEvents) => void): unknown;
  /** Listens for a client being given back: its `error` listener is removed then. */
  on(event: "release", listener: (error: unknown, client: PgClientEvents) => void): unknown;
}

/** What the adapter needs of a checked-out `pg` client: to add and remove an `error` listener. */
export interface PgClientEvents {
  /** Listens for the client's `error` event, which pg emits when its connection dies. */
  on(event: "error", listener: () => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: "error", listener: () => void): unknown;
}

const watchedPools = new WeakSet<object>();
// The driver's own error (the query's rejection) tells the transaction the connection is lost.
const ignoreClientError = () => {};

/** Whether `value` looks like a `pg.Pool` (events, `connect`, and pg-pool's `idleCount`). */
export function isPgPool(value: unknown): value is PgPoolEvents {
  if (typeof value !== "object" || value === null) return false;
  const pool = value as { on?: unknown; connect?: unknown; idleCount?: unknown };
  return (
    typeof pool.on === "function" && typeof pool.connect === "function" && typeof pool.idleCount === "number"
  );
}

/** Adds an 'error' listener to each client of `pool` while it is checked out; once per pool. */
export function watchPgPool(pool: PgPoolEvents): void {
  if (watchedPools.has(pool)) return;
  watchedPools.add(pool);
  pool.on("acquire", (client) => client.on("error", ignoreClientError));
  pool.on("release", (_error, client) => client.removeListener("error", ignoreClientError));
}
