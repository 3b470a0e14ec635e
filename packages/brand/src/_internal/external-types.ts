/**
 * The other packages' types that this package's public signatures name: `Result`, `TaggedErrorClass` and
 * `ValidationIssue` from `@keel/result`, the Standard Schema interface and Zod's `ZodType`. Each is documented
 * by its own package, so this one does not re-export them: a re-export would copy their whole API (and its
 * undocumented internals) into these docs. `@internal` on each name tells the documentation tools so; the
 * modules that use one import it from here.
 *
 * @module
 */
export type {
  /** @internal */
  Result,
  /** @internal */
  TaggedErrorClass,
  /** @internal */
  ValidationIssue,
} from "@keel/result";
export type {
  /** @internal */
  StandardSchemaV1,
} from "@standard-schema/spec";
export type {
  /** @internal */
  ZodType,
} from "zod";
