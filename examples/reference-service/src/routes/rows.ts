/**
 * @module
 * From database rows to response bodies: the row type both drivers return, timestamps as ISO strings, and
 * keyset pages.
 */

/** A row as postgres.js and PGlite return it. */
export type Row = Readonly<Record<string, unknown>>;

/** A `timestamptz` (a `Date`, or its text) as an ISO 8601 string. */
export const iso = (value: unknown): string =>
  (value instanceof Date ? value : new Date(String(value))).toISOString();

/**
 * Keyset pagination: the query fetched one row more than `limit`, which tells whether there is a next page;
 * its cursor is the last item's id (ids are UUIDv7, so they sort by creation).
 */
export function page<T extends { readonly id: string }>(
  rows: readonly Row[],
  limit: number,
  map: (row: Row) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(map);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
