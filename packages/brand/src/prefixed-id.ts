/**
 * @module
 * Stripe-style prefixed ids (`usr_01j9...`) with a template-literal type, generation and validation.
 */
import { defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";
import { type GeneratedBrandType, uuidV7Bytes } from "./uuid.ts";

// Crockford base32, lower case: no i, l, o, u, so ids survive being read aloud or retyped.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** 128 bits as 26 base32 digits (two zero bits in front make 130), so string order is numeric order. */
function base32(bytes: Uint8Array): string {
  let text = "";
  let buffer = 0;
  let bits = 2;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += alphabet[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return text;
}

/**
 * Defines a prefixed id brand: values look like `${prefix}_` + 26 base32 digits of a UUIDv7, so they sort
 * by creation time, carry the prefix in their type, and are validated exactly.
 *
 * @param name The brand name, e.g. "UserId".
 * @param prefix Lower-case letters, e.g. "usr".
 *
 * @example
 * ```ts
 * import { type BrandOf, prefixedId } from "@keel/brand";
 *
 * const UserId = prefixedId("UserId", "usr");
 * type UserId = BrandOf<typeof UserId>; // `usr_${string}` & brand
 *
 * const id = UserId.generate();
 * console.assert(id.startsWith("usr_") && UserId.is(id));
 * console.assert(UserId.parse("org_01j9zk7w3x8q2v5n4m6r8t0y2a").isErr());
 * ```
 */
export function prefixedId<const Name extends string, const Prefix extends string>(
  name: Name,
  prefix: Prefix,
): GeneratedBrandType<Name, `${Prefix}_${string}`> {
  if (!/^[a-z]{1,16}$/.test(prefix)) {
    throw new TypeError(
      `prefixedId: prefix must be 1 to 16 lower-case letters, got ${JSON.stringify(prefix)}`,
    );
  }
  const pattern = new RegExp(`^${prefix}_[0-7][${alphabet}]{25}$`);
  const brand = defineBrand(
    name,
    simpleSchema(`Expected a ${prefix}_ id`, (input) =>
      typeof input === "string" && pattern.test(input) ? (input as `${Prefix}_${string}`) : undefined,
    ),
  );
  return { ...brand, generate: () => brand.uncheckedFrom(`${prefix}_${base32(uuidV7Bytes())}`) };
}
