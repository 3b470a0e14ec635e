/**
 * The other packages' types that this package's public signatures name: the Standard Schema interface and
 * Hono's context and handler types. Each is documented by its own package, so this one does not re-export
 * them: a re-export would copy their whole API (and its undocumented internals) into these docs. `@internal`
 * on each name tells the documentation tools so; the modules that use one import it from here.
 *
 * @module
 */
export type {
  /** @internal */
  StandardSchemaV1,
} from "@standard-schema/spec";
export type {
  /** @internal */
  Context,
  /** @internal */
  Env,
  /** @internal */
  ErrorHandler,
  /** @internal */
  Handler,
  /** @internal */
  Input,
  /** @internal */
  NotFoundHandler,
} from "hono";
export type {
  /** @internal */
  BlankInput,
} from "hono/types";
export type {
  /** @internal */
  ContentfulStatusCode,
} from "hono/utils/http-status";
