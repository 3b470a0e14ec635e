import { fromSchema } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Field, FieldLike } from "../field.ts";
import { makeField } from "./make-field.ts";
import { schemaReason } from "./schema-reason.ts";

// A Standard Schema is recognised by its "~standard" property (zod schemas also have `parse` and `options`).
function isField(candidate: FieldLike): candidate is Field<unknown> {
  return !("~standard" in candidate);
}

const asFields = new WeakMap<StandardSchemaV1, Field<unknown>>();

/**
 * A spec entry as a field: a Keel field as it is; a bare Standard Schema as a required, non-secret field
 * validating the raw string, whose reason is the validator's message with the value replaced.
 */
export function fieldOf(candidate: FieldLike): Field<unknown> {
  if (isField(candidate)) return candidate;
  let made = asFields.get(candidate);
  if (made === undefined) {
    const validate = fromSchema(candidate);
    made = makeField(
      "schema",
      (raw) => validate(raw).mapErr((error) => schemaReason(candidate, error.issues, raw, raw)),
      undefined,
    );
    asFields.set(candidate, made);
  }
  return made;
}
