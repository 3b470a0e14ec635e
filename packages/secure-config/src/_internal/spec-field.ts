import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Field, FieldLike } from "../field.ts";
import { frozenCopy } from "./deep-freeze.ts";
import { fromSchema } from "./result.ts";
import { schemaReason } from "./schema-reason.ts";

// A Standard Schema is recognised by its "~standard" property (zod schemas also have `parse` and `options`).
function isField(candidate: FieldLike): candidate is Field<unknown> {
  return !("~standard" in candidate);
}

const asFields = new WeakMap<StandardSchemaV1, Field<unknown>>();

/**
 * A spec entry as a field: a Keel field as it is; a bare Standard Schema as a non-secret field validating
 * the raw string, whose reason is the validator's message with the value replaced. The schema decides what
 * a missing (or empty) variable loads as, as its type says, when it is a checking schema that accepts
 * `undefined` (Zod's `.optional()`, `.default(…)`): it gives what the schema returns for `undefined`. Any
 * other makes the variable required, including a schema that accepts anything (`z.coerce.string()` turns
 * `undefined` into `"undefined"`, `.catch(…)` swallows it): it is told by accepting an object, which no
 * variable holds.
 */
export function fieldOf(candidate: FieldLike): Field<unknown> {
  if (isField(candidate)) return candidate;
  let made = asFields.get(candidate);
  if (made === undefined) {
    const validate = fromSchema(candidate);
    const parse = (raw: string) =>
      validate(raw).mapErr((error) => schemaReason(candidate, error.issues, raw, raw));
    // Asked once, here at set-up (a default computed by a function is computed once).
    const absent = validate(undefined);
    const field: { -readonly [K in keyof Field<unknown>]: Field<unknown>[K] } = {
      parse,
      secret: false,
      options: Object.freeze({}),
    };
    if (absent.isOk() && validate({}).isErr()) {
      field.fallback = Object.freeze({ value: frozenCopy(absent.value) });
    }
    made = Object.freeze(field);
    asFields.set(candidate, made);
  }
  return made;
}
