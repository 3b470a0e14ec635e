/**
 * @module
 * UUID brands (RFC 9562): any version, v4 (random) and v7 (time-ordered), with generators.
 */
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

const anyVersion = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/* @__NO_SIDE_EFFECTS__ */
function uuidSchema(version: string, pattern: RegExp) {
  return simpleSchema(`Expected a UUID${version}`, (input) => {
    if (typeof input !== "string" || input.length !== 36) return undefined;
    // Upper case is valid UUID text; the brand holds the canonical lower-case form.
    const canonical = input.toLowerCase();
    return pattern.test(canonical) ? canonical : undefined;
  });
}

/** A brand with a generator of fresh valid values. */
export interface GeneratedBrandType<Name extends string, Base> extends BrandType<Name, Base> {
  /** A new, valid value. */
  generate(): Brand<Base, Name>;
}

/**
 * A UUID of any RFC 9562 version (1-8), stored in lower case.
 *
 * @example
 * ```ts
 * import { Uuid } from "@keel/brand";
 * console.assert(Uuid.parse("6FA459EA-EE8A-3CA4-894E-DB77E160355E")._unsafeUnwrap() === "6fa459ea-ee8a-3ca4-894e-db77e160355e");
 * ```
 */
export const Uuid: BrandType<"Uuid", string> = defineBrand("Uuid", uuidSchema("", anyVersion));

/**
 * A random (version 4) UUID; `generate()` uses `crypto.randomUUID()`.
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
  defineBrand(
    "UuidV4",
    uuidSchema(" v4", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  ),
  { generate: () => UuidV4.uncheckedFrom(crypto.randomUUID()) },
);

let hexByte: readonly string[] | undefined; // built on first use: no work at import

function hex(bytes: Uint8Array): string {
  hexByte ??= Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
  let text = "";
  for (const byte of bytes) text += hexByte[byte];
  return text;
}

// crypto.getRandomValues costs microseconds a call on some machines: draw 4 KiB at a time and hand out slices.
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

/** `length` fresh random bytes (a copy, so callers may write into it). */
export function randomBytes(length: number): Uint8Array {
  if (poolOffset + length > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    poolOffset = 0;
  }
  poolOffset += length;
  return pool.slice(poolOffset - length, poolOffset);
}

/**
 * Makes a UUIDv7 byte generator with its own monotonic state: ids made in the same millisecond (or after
 * the clock stepped back) count up in rand_a (RFC 9562, 6.2 method 1), so one generator's ids always sort
 * in creation order. `UuidV7.generate()` and `prefixedId(...).generate()` share one.
 */
/* @__NO_SIDE_EFFECTS__ */
export function uuidV7Generator(): (now?: number) => Uint8Array {
  let lastMs = 0;
  let counter = 0;
  return (now = Date.now()) => {
    if (now > lastMs) {
      lastMs = now;
      const start = randomBytes(2);
      counter = ((start[0]! << 8) | start[1]!) & 0x7ff; // random start, room to count up
    } else if (++counter > 0xfff) {
      lastMs++; // counter exhausted: borrow the next millisecond rather than repeat or go backwards
      counter = 0;
    }
    const bytes = randomBytes(16);
    bytes[0] = Math.floor(lastMs / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(lastMs / 2 ** 32) & 0xff;
    bytes[2] = (lastMs >>> 24) & 0xff;
    bytes[3] = (lastMs >>> 16) & 0xff;
    bytes[4] = (lastMs >>> 8) & 0xff;
    bytes[5] = lastMs & 0xff;
    bytes[6] = 0x70 | (counter >>> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    return bytes;
  };
}

/** The shared generator behind `UuidV7.generate()` and prefixed ids. */
export const uuidV7Bytes: (now?: number) => Uint8Array = uuidV7Generator();

/** {@link UuidV7} also reads the creation time back out of an id. */
export interface UuidV7Type extends GeneratedBrandType<"UuidV7", string> {
  /** The millisecond Unix timestamp an id was made at. */
  timestampOf(id: Brand<string, "UuidV7">): number;
}

/**
 * A time-ordered (version 7) UUID: ids sort by creation time as plain strings, and ids from one process
 * sort in creation order even within one millisecond.
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
  defineBrand(
    "UuidV7",
    uuidSchema(" v7", /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  ),
  {
    generate: () => {
      const h = hex(uuidV7Bytes());
      return UuidV7.uncheckedFrom(
        `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      );
    },
    timestampOf: (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16),
  },
);

/** The branded type of `Uuid` values. */
export type Uuid = Brand<string, "Uuid">;
/** The branded type of `UuidV4` values. */
export type UuidV4 = Brand<string, "UuidV4">;
/** The branded type of `UuidV7` values. */
export type UuidV7 = Brand<string, "UuidV7">;
