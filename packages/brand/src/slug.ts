/**
 * @module
 * A URL slug: lower-case letters and digits in hyphen-separated words.
 */
import { checkSchema, kindOf, refuse } from "./_internal/check-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugCharacters = /^[a-z0-9-]*$/;

const expected = "Expected a slug";
const refusals = {
  empty: refuse("Expected a slug, but got an empty string"),
  tooLong: refuse("Expected a slug, but it is longer than 100 characters"),
  upperCase: refuse("Expected a slug, but it has upper-case letters (slugs are lower case)"),
  character: refuse("Expected a slug, but it has a character other than a-z, 0-9 and -"),
  hyphens: refuse("Expected a slug, but it starts or ends with a hyphen, or has two in a row"),
};

/**
 * A slug: 1 to 100 characters of lower-case ASCII letters and digits, words joined by single hyphens. Not
 * normalised: `Hello` is refused, not lower-cased.
 *
 * @example
 * ```ts
 * import { Slug } from "@keel/brand";
 * console.assert(Slug.is("hello-world-2") && !Slug.is("Hello World") && !Slug.is("a--b"));
 * ```
 */
export const Slug: BrandType<"Slug", string> = /* @__PURE__ */ defineBrand(
  "Slug",
  checkSchema((input) => {
    if (typeof input !== "string") return refuse(`${expected}, but got ${kindOf(input)}`);
    if (input.length === 0) return refusals.empty;
    if (input.length > 100) return refusals.tooLong;
    if (slugPattern.test(input)) return input;
    if (!slugCharacters.test(input)) return /[A-Z]/.test(input) ? refusals.upperCase : refusals.character;
    return refusals.hyphens;
  }),
);

/** The branded type of `Slug` values. */
export type Slug = Brand<string, "Slug">;
