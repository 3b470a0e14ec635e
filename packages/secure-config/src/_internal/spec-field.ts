import { fromSchema } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Field, FieldLike } from "../field.ts";
import { frozenCopy } from "./deep-freeze.ts";
import { makeField } from "./make-field.ts";
import { schemaReason } from "./schema-reason.ts";

// A Standard Schema is recognised by its "~standard" property (zod schemas also have `parse` and `options`).
function isField(candidate: FieldLike): candidate is Field<unknown> {
  return !("~standard" in candidate);
}

const asFields = new WeakMap<StandardSchemaV1, Field<unknown>>();

/**
 * A spec entry as a field: a Keel field as it is; a bare Standard Schema as a non-secret field validating
 * the raw string, whose reason is the validator's message with the value replaced. The schema decides what
 * a missing (or empty) variable loads as, as its type says: one that accepts `undefined` (Zod's
 * `.optional()`, `.default(…)`) gives what it returns for it; any other makes the variable required.
 */
export function fieldOf(candidate: FieldLike): Field<unknown> {
  if (isField(candidate)) return candidate;
  let made = asFields.get(candidate);
  if (made === undefined) {
    const validate = fromSchema(candidate);
    const parse = (raw: string) =>
      validate(raw).mapErr((error) => schemaReason(candidate, error.issues, raw, raw));
    const field = makeField("schema", parse, undefined);
    // Asked once, here at set-up: what the schema makes of an absent value.
    const absent = validate(undefined);
    made = absent.isErr()
      ? field
      : Object.freeze({ ...field, fallback: Object.freeze({ value: frozenCopy(absent.value) }) });
    asFields.set(candidate, made);
  }
  return made;
}
