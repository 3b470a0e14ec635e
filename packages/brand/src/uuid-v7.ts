/**
 * A time-ordered (version 7) UUID, with a generator whose ids sort in creation order within a process.
 *
 * @module
 */
import { uuidSchema } from "./_internal/uuid-schema.ts";
import { uuidText } from "./_internal/uuid-text.ts";
import { uuidV7Bytes } from "./_internal/uuid-v7-generator.ts";
import type { Brand } from "./brand.ts";
import { defineBrand } from "./define-brand.ts";
import type { GeneratedBrandType } from "./generated-brand.ts";

/** {@link UuidV7} also reads the creation time back out of an id. */
export interface UuidV7Type extends GeneratedBrandType<"UuidV7", string> {
  /** The millisecond Unix timestamp an id was made at. */
  timestampOf(id: Brand<string, "UuidV7">): number;
}

/**
 * A time-ordered (version 7) UUID, stored in lower case. `generate()` embeds the millisecond and a counter
 * (RFC 9562 section 6.2, method 1): ids made in one process sort in creation order as plain strings, even
 * within one millisecond, after the clock steps back, and when two installed copies of `@keel/brand` make
 * them (the counter is kept once per process, on `globalThis`). Ids from different processes sort by
 * millisecond.
 *
 * @example
 * ```ts
 * import { UuidV7 } from "@keel/brand";
 * const first = UuidV7.generate();
 * const second = UuidV7.generate();
 * console.assert(first < second && UuidV7.is(second));
 * console.assert(Math.abs(UuidV7.timestampOf(first) - Date.now()) < 5_000);
 * ```
 */
export const UuidV7: UuidV7Type = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ defineBrand("UuidV7", uuidSchema("a UUID v7", "7")),
  {
    generate: () => UuidV7.uncheckedFrom(uuidText(uuidV7Bytes())),
    timestampOf: (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16),
  },
);

/** The branded type of `UuidV7` values. */
export type UuidV7 = Brand<string, "UuidV7">;
