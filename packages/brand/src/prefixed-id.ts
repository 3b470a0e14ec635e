/**
 * Stripe-style prefixed ids (`usr_01j9...`) with a template-literal type, generation and validation.
 *
 * @module
 */
import { checkSchema, kindOf, type Refusal, refuse } from "./_internal/check-schema.ts";
import { crockfordBase32 } from "./_internal/crockford-base32.ts";
import { uuidV7Bytes } from "./_internal/uuid-v7-generator.ts";
import { defineBrand } from "./define-brand.ts";
import type { GeneratedBrandType } from "./generated-brand.ts";

const DIGITS = 26;
const crockfordDigits = /^[0-9a-hjkmnp-tv-z]*$/; // the alphabet of crockford-base32.ts

/**
 * Declares a prefixed id brand: values look like `${prefix}_` + 26 Crockford base32 digits of a UUIDv7, so
 * they sort by creation time, carry the prefix in their type, and are validated exactly. A refused value's
 * issue says what is wrong (the prefix, the number of digits, a character outside the alphabet, upper
 * case, or a first digit above 7), never quoting the value.
 *
 * @param name The brand name, e.g. "UserId".
 * @param prefix 1 to 16 lower-case letters, e.g. "usr". Anything else throws a `TypeError` (a programmer
 *   error, at start-up).
 *
 * @example
 * ```ts
 * import { type BrandOf, definePrefixedId } from "@keel/brand";
 *
 * const UserId = definePrefixedId("UserId", "usr");
 * type UserId = BrandOf<typeof UserId>; // `usr_${string}` & brand
 *
 * const id: UserId = UserId.generate();
 * console.assert(id.startsWith("usr_") && UserId.is(id));
 * const refused = UserId.parse("usr_abc");
 * console.assert(refused.isErr() && refused.error.issues[0]?.message === "Expected a usr_ id, but it has 3 characters after usr_, not 26");
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function definePrefixedId<const Name extends string, const Prefix extends string>(
  name: Name,
  prefix: Prefix,
): GeneratedBrandType<Name, `${Prefix}_${string}`> {
  if (!/^[a-z]{1,16}$/.test(prefix)) {
    throw new TypeError(
      `definePrefixedId: prefix must be 1 to 16 lower-case letters, got ${JSON.stringify(prefix)}`,
    );
  }
  const head = `${prefix}_`;
  const expected = `Expected a ${head} id`;
  const refusals = {
    prefix: refuse(`${expected}, but it does not start with ${head}`),
    upperCase: refuse(`${expected}, but it has upper-case letters (ids are lower case)`),
    alphabet: refuse(
      `${expected}, but it has a character that is not a Crockford base32 digit (0-9 and a-z without i, l, o, u)`,
    ),
    overflow: refuse(`${expected}, but its first digit after ${head} is above 7 (more than 128 bits)`),
  };
  const brand = defineBrand(
    name,
    checkSchema((input): `${Prefix}_${string}` | Refusal => {
      if (typeof input !== "string") return refuse(`${expected}, but got ${kindOf(input)}`);
      if (!input.startsWith(head)) {
        // Upper case is told apart only among ASCII letters: no other character folds into the prefix.
        const start = input.slice(0, head.length);
        return /^[A-Za-z]+_$/.test(start) && start.toLowerCase() === head
          ? refusals.upperCase
          : refusals.prefix;
      }
      const digits = input.length - head.length;
      if (digits !== DIGITS) {
        return refuse(`${expected}, but it has ${digits} characters after ${head}, not ${DIGITS}`);
      }
      const body = input.slice(head.length);
      if (!crockfordDigits.test(body)) {
        return /[A-Z]/.test(body) ? refusals.upperCase : refusals.alphabet;
      }
      return body.charCodeAt(0) > 0x37 ? refusals.overflow : (input as `${Prefix}_${string}`);
    }),
  );
  return {
    ...brand,
    // Valid by construction. (The cast: `UncheckedInput` of a generic template literal stays unresolved.)
    generate: () => brand.uncheckedFrom(`${head}${crockfordBase32(uuidV7Bytes())}` as never),
  };
}
