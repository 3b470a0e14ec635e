/**
 * The type of a brand that can also make fresh values (ids).
 *
 * @module
 */
import type { Brand } from "./brand.ts";
import type { BrandType } from "./define-brand.ts";

/** A brand with a generator of fresh valid values. */
export interface GeneratedBrandType<Name extends string, Base> extends BrandType<Name, Base> {
  /** A new, valid value. */
  generate(): Brand<Base, Name>;
}
