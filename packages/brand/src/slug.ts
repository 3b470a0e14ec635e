/**
 * @module
 * A URL slug: lower-case letters and digits in hyphen-separated words.
 */
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A slug: 1 to 100 characters of lower-case ASCII letters and digits, words joined by single hyphens.
 *
 * @example
 * ```ts
 * import { Slug } from "@keel/brand";
 * console.assert(Slug.is("hello-world-2") && !Slug.is("Hello World") && !Slug.is("a--b"));
 * ```
 */
export const Slug: BrandType<"Slug", string> = defineBrand(
  "Slug",
  simpleSchema("Expected a slug", (input) =>
    typeof input === "string" && input.length <= 100 && slugPattern.test(input) ? input : undefined,
  ),
);

/** The branded type of `Slug` values. */
export type Slug = Brand<string, "Slug">;
