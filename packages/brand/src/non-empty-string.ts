/**
 * @module
 * A string with at least one non-whitespace character.
 */
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

/**
 * A string that is not empty and not only whitespace. The value is kept as given (not trimmed).
 *
 * @example
 * ```ts
 * import { NonEmptyString } from "@keel/brand";
 * console.assert(NonEmptyString.is("Ada") && !NonEmptyString.is("  "));
 * ```
 */
export const NonEmptyString: BrandType<"NonEmptyString", string> = defineBrand(
  "NonEmptyString",
  simpleSchema("Expected a non-empty string", (input) =>
    typeof input === "string" && input.trim().length > 0 ? input : undefined,
  ),
);

/** The branded type of `NonEmptyString` values. */
export type NonEmptyString = Brand<string, "NonEmptyString">;
