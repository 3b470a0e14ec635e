/**
 * A UUID of any RFC 9562 version.
 *
 * @module
 */
import { uuidSchema } from "./_internal/uuid-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

/**
 * A UUID of any RFC 9562 version (1-8) with the RFC variant, in either case; the brand holds the
 * lower-case form (the text is checked as given, then lower-cased).
 *
 * @example
 * ```ts
 * import { Uuid } from "@keel/brand";
 * const parsed = Uuid.parse("6FA459EA-EE8A-3CA4-894E-DB77E160355E");
 * console.assert(parsed.unwrapOr("") === "6fa459ea-ee8a-3ca4-894e-db77e160355e");
 * ```
 */
export const Uuid: BrandType<"Uuid", string> = /* @__PURE__ */ defineBrand(
  "Uuid",
  uuidSchema("a UUID", "12345678"),
);

/** The branded type of `Uuid` values. */
export type Uuid = Brand<string, "Uuid">;
