/**
 * @module
 * A tiny Standard Schema for the built-in brands, so they need no validator library at all.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";

/**
 * A Standard Schema from a parse function that returns the (possibly normalised) value, or `undefined`
 * when the input is not valid; `message` is the issue reported then.
 *
 * @example
 * ```ts
 * import { defineBrand, simpleSchema } from "@keel/brand";
 * const Even = defineBrand("Even", simpleSchema("Expected an even integer", (input) =>
 *   Number.isSafeInteger(input) && (input as number) % 2 === 0 ? (input as number) : undefined,
 * ));
 * console.assert(Even.is(4) && !Even.is(3));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function simpleSchema<T>(
  message: string,
  parse: (input: unknown) => T | undefined,
): StandardSchemaV1<unknown, T> {
  const issues = [{ message }];
  return {
    "~standard": {
      version: 1,
      vendor: "keel",
      validate: (input) => {
        const value = parse(input);
        return value === undefined ? { issues } : { value };
      },
    },
  };
}
