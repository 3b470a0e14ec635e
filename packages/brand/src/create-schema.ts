/**
 * A tiny Standard Schema from a parse function, for brands that need no validator library.
 *
 * @module
 */
import { checkSchema, refuse } from "./_internal/check-schema.ts";
import type { StandardSchemaV1 } from "./_internal/external-types.ts";

/**
 * Builds a Standard Schema from a parse function that returns the (possibly normalised) value, or
 * `undefined` when the input is not valid; `message` is the issue reported then. Validate first and
 * normalise after: a parse that lower-cases or trims before checking accepts inputs it should not.
 *
 * @example
 * ```ts
 * import { createSchema, defineBrand } from "@keel/brand";
 *
 * const Even = defineBrand("Even", createSchema("Expected an even integer", (input) =>
 *   Number.isSafeInteger(input) && (input as number) % 2 === 0 ? (input as number) : undefined,
 * ));
 * console.assert(Even.is(4) && !Even.is(3));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function createSchema<T>(
  message: string,
  parse: (input: unknown) => T | undefined,
): StandardSchemaV1<unknown, T> {
  const refusal = refuse(message);
  return checkSchema((input) => {
    const value = parse(input);
    return value === undefined ? refusal : value;
  });
}
