// The errors of a tenant transaction's client used where it must not be.

/**
 * A query sent after its tenant transaction ended (its COMMIT or ROLLBACK was sent): the connection is back
 * in the pool, and the query would run wherever it is by then, perhaps inside another tenant's transaction.
 */
export function lateQuery(): TypeError {
  return new TypeError(
    "a query of a tenant transaction was sent after the transaction ended: await every query inside the work",
  );
}

/** A method that throws: `what` (release, two-phase commit...) is the tenant transaction's own business. */
export function refuse(what: string): () => never {
  return () => {
    throw new TypeError(`${what} is not available in a tenant transaction`);
  };
}
