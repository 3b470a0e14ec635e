/**
 * The other packages' types that this package's public signatures name: Hono's middleware and context,
 * neverthrow's `Result` (through `@keel/result`), `TaggedErrorClass`, the Standard Schema interface and
 * jose's JWK set. Each is documented by its own package, so this one does not re-export them: a re-export
 * would copy their whole API (and its undocumented internals) into these docs. `@internal` on each name
 * tells the documentation tools so; the modules that use one import it from here.
 *
 * @module
 */
export type {
  /** @internal */
  Result,
  /** @internal */
  TaggedErrorClass,
} from "@keel/result";
export type {
  /** @internal */
  StandardSchemaV1,
} from "@standard-schema/spec";
export type {
  /** @internal */
  Context,
  /** @internal */
  MiddlewareHandler,
} from "hono";
export type {
  /** @internal */
  RequestIdVariables,
} from "hono/request-id";
export type {
  /** @internal */
  JSONWebKeySet,
} from "jose";
