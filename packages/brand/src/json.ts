/**
 * @module
 * Back from JSON to branded types in one call.
 */

import { err, fromSchema, type Result, ValidationError } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";

/**
 * Builds (once) a parser from JSON text to a schema's output: brands lost by `JSON.stringify` come back,
 * validated, in one call. Bad JSON and invalid data are both a `ValidationError`; it never throws.
 *
 * @example
 * ```ts
 * import { Email, jsonParser, UuidV7 } from "@keel/brand";
 * import { toZod } from "@keel/brand/zod";
 * import * as z from "zod";
 *
 * const User = z.object({ id: toZod(UuidV7), email: toZod(Email) });
 * const readUser = jsonParser(User);
 * const user = readUser(JSON.stringify({ id: UuidV7.generate(), email: "ada@example.com" }));
 * console.assert(user.isOk() && UuidV7.is(user.value.id));
 * ```
 */
export function jsonParser<S extends StandardSchemaV1>(
  schema: S,
): (text: string) => Result<StandardSchemaV1.InferOutput<S>, ValidationError> {
  const validate = fromSchema(schema);
  return (text) => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return err(new ValidationError({ issues: [{ path: [], message: "Not valid JSON" }] }));
    }
    return validate(data);
  };
}
