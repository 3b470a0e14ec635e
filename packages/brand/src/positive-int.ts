/**
 * A safe integer greater than zero.
 *
 * @module
 */
import { checkSchema, refusalsOf } from "./_internal/check-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

const refusals = refusalsOf("Expected a positive integer", {
  string: "got a string (strings are not converted)",
  notInteger: "got a number that is not an integer",
  notPositive: "got a number that is not greater than 0",
  unsafe: "got a number above Number.MAX_SAFE_INTEGER",
});

/**
 * A safe integer greater than zero (a count, a page size, a quantity). Strings are not coerced.
 *
 * @example
 * ```ts
 * import { PositiveInt } from "@keel/brand";
 * console.assert(PositiveInt.is(3) && !PositiveInt.is(0) && !PositiveInt.is(1.5) && !PositiveInt.is("3"));
 * ```
 */
export const PositiveInt: BrandType<"PositiveInt", number> = /* @__PURE__ */ defineBrand(
  "PositiveInt",
  checkSchema((input) => {
    if (typeof input === "string") return refusals.string;
    if (typeof input !== "number") return refusals.wrongKind(input);
    if (!Number.isInteger(input)) return refusals.notInteger;
    if (input <= 0) return refusals.notPositive;
    return Number.isSafeInteger(input) ? input : refusals.unsafe;
  }),
);

/** The branded type of `PositiveInt` values. */
export type PositiveInt = Brand<number, "PositiveInt">;
