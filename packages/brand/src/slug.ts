/**
 * A URL slug: lower-case letters and digits in hyphen-separated words.
 *
 * @module
 */
import { checkSchema, refusalsOf } from "./_internal/check-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugCharacters = /^[a-z0-9-]*$/;

const refusals = refusalsOf("Expected a slug", {
  empty: "got an empty string",
  tooLong: "it is longer than 100 characters",
  upperCase: "it has upper-case letters (slugs are lower case)",
  character: "it has a character other than a-z, 0-9 and -",
  hyphens: "it starts or ends with a hyphen, or has two in a row",
});

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
    if (typeof input !== "string") return refusals.wrongKind(input);
    if (input.length === 0) return refusals.empty;
    if (input.length > 100) return refusals.tooLong;
    if (slugPattern.test(input)) return input;
    if (!slugCharacters.test(input)) return /[A-Z]/.test(input) ? refusals.upperCase : refusals.character;
    return refusals.hyphens;
  }),
);

/** The branded type of `Slug` values. */
export type Slug = Brand<string, "Slug">;
