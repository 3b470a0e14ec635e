/**
 * @module
 * A safe integer greater than zero.
 */
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

/**
 * A safe integer greater than zero (a count, a page size, a quantity). Strings are not coerced.
 *
 * @example
 * ```ts
 * import { PositiveInt } from "@keel/brand";
 * console.assert(PositiveInt.is(3) && !PositiveInt.is(0) && !PositiveInt.is(1.5) && !PositiveInt.is("3"));
 * ```
 */
export const PositiveInt: BrandType<"PositiveInt", number> = defineBrand(
  "PositiveInt",
  simpleSchema("Expected a positive integer", (input) =>
    Number.isSafeInteger(input) && (input as number) > 0 ? (input as number) : undefined,
  ),
);

/** The branded type of `PositiveInt` values. */
export type PositiveInt = Brand<number, "PositiveInt">;
