/**
 * The other packages' types that this package's public signatures name: `Result`, `ResultAsync`,
 * `ValidationError` and `TaggedErrorClass` from `@keel/result`, the Standard Schema interface, Hono's context
 * and middleware, Kysely's database and transaction, and Drizzle's `SQL`. Each is documented by its own
 * package, so this one does not re-export them: a re-export would copy their whole API (and its undocumented
 * internals) into these docs. `@internal` on each name tells the documentation tools so; the modules that
 * use one import it from here.
 *
 * @module
 */
export type {
  /** @internal */
  Result,
  /** @internal */
  ResultAsync,
  /** @internal */
  TaggedErrorClass,
  /** @internal */
  ValidationError,
} from "@keel/result";
export type {
  /** @internal */
  StandardSchemaV1,
} from "@standard-schema/spec";
export type {
  /** @internal */
  SQL,
} from "drizzle-orm";
export type {
  /** @internal */
  Context,
  /** @internal */
  MiddlewareHandler,
} from "hono";
export type {
  /** @internal */
  Kysely,
  /** @internal */
  Transaction,
} from "kysely";
