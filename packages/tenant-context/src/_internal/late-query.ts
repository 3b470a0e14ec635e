// A transaction's connection goes back to the pool when the transaction ends: a query sent on it after that
// would run wherever the connection is by then, perhaps inside another tenant's transaction.

/** The error of a query sent after its tenant transaction ended (its COMMIT or ROLLBACK was sent). */
export function lateQuery(): TypeError {
  return new TypeError(
    "a query of a tenant transaction was sent after the transaction ended: await every query inside the work",
  );
}
