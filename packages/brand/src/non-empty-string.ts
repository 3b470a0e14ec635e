/**
 * A string with at least one visible character.
 *
 * @module
 */
import { checkSchema, kindOf, refuse } from "./_internal/check-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

// One visible character: anything but whitespace (White_Space: ASCII, NBSP, U+2028/9, U+3000...), controls
// (Cc, NUL included), format characters (Cf: ZWSP, bidi overrides, BOM, soft hyphen), the other
// default-ignorable code points (Hangul fillers, variation selectors) and lone surrogates. These are Unicode
// properties every supported runtime knows, so the answer is the same on each. A search for one character
// (one class, no quantifier, no anchor) stops at the first visible one and reads each character at most once:
// matching the whole string against the invisible class cost ~150 ms on 1 MB of U+200B.
const visible = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

const expected = "Expected a non-empty string";
const empty = refuse("Expected a non-empty string, but got an empty string");
const nothingVisible = refuse(
  "Expected a non-empty string, but it has no visible character (only whitespace, control or invisible formatting characters)",
);

/**
 * A string with at least one visible character: not empty, and not only whitespace (any Unicode
 * whitespace, such as NBSP or U+3000), control characters (NUL), or invisible formatting characters
 * (zero-width space, a right-to-left override, a BOM). The value is kept exactly as given (not trimmed):
 * invisible characters around or inside a visible one stay.
 *
 * @example
 * ```ts
 * import { NonEmptyString } from "@keel/brand";
 * console.assert(NonEmptyString.is("Ada") && NonEmptyString.is(" Ada "));
 * console.assert(!NonEmptyString.is("  ") && !NonEmptyString.is("\u200B") && !NonEmptyString.is("\u202E"));
 * ```
 */
export const NonEmptyString: BrandType<"NonEmptyString", string> = /* @__PURE__ */ defineBrand(
  "NonEmptyString",
  checkSchema((input) => {
    if (typeof input !== "string") return refuse(`${expected}, but got ${kindOf(input)}`);
    if (input.length === 0) return empty;
    return visible.test(input) ? input : nothingVisible;
  }),
);

/** The branded type of `NonEmptyString` values. */
export type NonEmptyString = Brand<string, "NonEmptyString">;
