/**
 * A random (version 4) UUID.
 *
 * @module
 */
import { uuidSchema } from "./_internal/uuid-schema.ts";
import type { Brand } from "./brand.ts";
import { defineBrand } from "./define-brand.ts";
import type { GeneratedBrandType } from "./generated-brand.ts";

/**
 * A random (version 4) UUID, stored in lower case; `generate()` uses `crypto.randomUUID()`.
 *
 * @example
 * ```ts
 * import { UuidV4 } from "@keel/brand";
 * const id = UuidV4.generate();
 * console.assert(UuidV4.is(id));
 * ```
 */
// Pure-annotated (both calls) so that a bundle that does not use UuidV4 drops it.
export const UuidV4: GeneratedBrandType<"UuidV4", string> = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ defineBrand("UuidV4", uuidSchema("a UUID v4", "4")),
  { generate: () => UuidV4.uncheckedFrom(crypto.randomUUID()) },
);

/** The branded type of `UuidV4` values. */
export type UuidV4 = Brand<string, "UuidV4">;
