/**
 * The validator of the UUID brands: RFC 9562 text (8-4-4-4-12 hex digits, the RFC variant), either case on
 * input, the canonical lower-case form as output. It checks the text as given and lower-cases only once it
 * is known to be ASCII hex: lower-casing first would let non-ASCII letters fold into ASCII ones.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { checkSchema, kindOf, refuse } from "./check-schema.ts";

const shape = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const hyphens = /^.{8}-.{4}-.{4}-.{4}-.{12}$/s;

/**
 * @param name What the messages call a valid value, e.g. "a UUID v7".
 * @param versions The version digits accepted, e.g. "7" or "12345678".
 */
/* @__NO_SIDE_EFFECTS__ */
export function uuidSchema(name: string, versions: string): StandardSchemaV1<unknown, string> {
  const expected = `Expected ${name}`;
  const notHex = refuse(`${expected}, but it has a character that is not a hex digit`);
  const misplacedHyphens = refuse(
    `${expected}, but its hyphens are not where 8-4-4-4-12 hex digits put them`,
  );
  const wrongVersion = refuse(
    versions.length === 1
      ? `${expected}, but its version digit (the 15th character) is not ${versions}`
      : `${expected}, but its version digit (the 15th character) is not 1 to 8`,
  );
  const wrongVariant = refuse(
    `${expected}, but its variant digit (the 20th character) is not 8, 9, a or b (RFC 9562)`,
  );
  return checkSchema((input) => {
    if (typeof input !== "string") return refuse(`${expected}, but got ${kindOf(input)}`);
    if (input.length !== 36) {
      return refuse(`${expected} (36 characters), but got ${input.length} characters`);
    }
    if (!hyphens.test(input)) return misplacedHyphens;
    if (!shape.test(input)) return notHex;
    if (!versions.includes(input[14]!)) return wrongVersion;
    if (!"89abAB".includes(input[19]!)) return wrongVariant;
    return input.toLowerCase();
  });
}
