/**
 * `@keel/brand`: branded domain primitives (ids, email, slugs, positive integers...) whose validated
 * constructors return a `Result`, on any Standard Schema validator. `@keel/brand/zod` bridges to Zod.
 *
 * @module
 */
export { type Brand, type Branded, type BrandKey, type BrandNames, type Unbrand, unbrand } from "./brand.ts";
export { BrandError } from "./brand-error.ts";
export { createSchema } from "./create-schema.ts";
export {
  type BrandOf,
  type BrandOptions,
  type BrandType,
  defineBrand,
  type UncheckedInput,
} from "./define-brand.ts";
export { Email } from "./email.ts";
export type { GeneratedBrandType } from "./generated-brand.ts";
export { NonEmptyString } from "./non-empty-string.ts";
export { PositiveInt } from "./positive-int.ts";
export { definePrefixedId } from "./prefixed-id.ts";
export { Slug } from "./slug.ts";
export { Uuid } from "./uuid.ts";
export { UuidV4 } from "./uuid-v4.ts";
export { UuidV7, type UuidV7Type } from "./uuid-v7.ts";
