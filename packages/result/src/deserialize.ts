/**
 * Read a serialised `Result` back, validated, with its tagged errors rehydrated as real class instances.
 *
 * @module
 */
import type { StandardSchemaV1 } from "./_internal/external-types.ts";
import { parseJson } from "./_internal/parse-json.ts";
import { err, ok, type Result } from "./neverthrow.ts";
import { fromSchema } from "./schema.ts";
import { errorFields, TaggedError, type TaggedErrorClass, type TaggedErrorInstance } from "./tagged-error.ts";
import { describeIssues, type ValidationIssue } from "./validation-error.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ DeserializeErrorBase: TaggedErrorClass<"DeserializeError"> =
    /* @__PURE__ */ TaggedError("DeserializeError");

/**
 * A serialised Result could not be read: not JSON, not the envelope, a value or error fields that fail
 * their schema, or an error tag that is not registered. Nothing of the input is echoed, not even the tag.
 *
 * @example
 * ```ts
 * import { DeserializeError } from "@keel/result";
 * const error = new DeserializeError({ issues: [{ path: ["ok"], message: "Expected a boolean" }] });
 * console.assert(error._tag === "DeserializeError");
 * ```
 */
export class DeserializeError extends DeserializeErrorBase<{
  readonly issues: readonly ValidationIssue[];
}> {
  /**
   * Records why the input was refused; the message lists the issues (at most five).
   *
   * @param fields The issues found, none of which quotes the input.
   */
  constructor(fields: { issues: readonly ValidationIssue[] }) {
    super({ ...fields, message: describeIssues(fields.issues) });
  }
}

/** A class made with `TaggedError`, as the registry sees it. */
export interface RegisteredErrorClass<
  Instance extends TaggedErrorInstance<string> = TaggedErrorInstance<string>,
> {
  /** The tag `TaggedError` gave the class: the key an incoming error's `_tag` is looked up by. */
  readonly tag: string;
  /** Rebuilds the error from its validated fields (and the sent `message`). */
  new (fields: never): Instance;
}

/** A registry entry: a class with no fields, or a class and a Standard Schema for its fields. */
export type ErrorEntry =
  | RegisteredErrorClass
  | readonly [errorClass: RegisteredErrorClass, fields: StandardSchemaV1<unknown, Record<string, unknown>>];

/** The error instance a registry entry rebuilds: the class's instance type, with or without a schema. */
export type InstanceOfEntry<Entry> = Entry extends readonly [RegisteredErrorClass<infer I>, unknown]
  ? I
  : Entry extends RegisteredErrorClass<infer I>
    ? I
    : never;

/** Options for {@link createResultDeserializer}. */
export interface DeserializeOptions<S extends StandardSchemaV1, Entries extends readonly ErrorEntry[]> {
  /** Validates the ok value. */
  readonly value: S;
  /** The error classes that may come back; any other tag is a `DeserializeError`. */
  readonly errors: Entries;
}

function problem(path: (string | number)[], message: string): DeserializeError {
  return new DeserializeError({ issues: [{ path, message }] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Builds (once) a deserialiser for a serialised `Result<T, E>`: it accepts JSON text or parsed data,
 * validates the ok value with `value`, and rebuilds a registered error class from the error's tag, with its
 * fields validated by that class's schema. Anything else is a {@link DeserializeError}; it never throws.
 *
 * @example
 * ```ts
 * import { createResultDeserializer, serializeResult, TaggedError, err } from "@keel/result";
 * import * as z from "zod";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 * class Conflict extends TaggedError("Conflict") {}
 *
 * const readUser = createResultDeserializer({
 *   value: z.object({ name: z.string() }),
 *   errors: [[NotFound, z.object({ id: z.string() })], Conflict],
 * });
 * const back = readUser(JSON.stringify(serializeResult(err(new NotFound({ id: "7" })))));
 * console.assert(back.isErr() && back.error instanceof NotFound && back.error.id === "7");
 * ```
 */
export function createResultDeserializer<
  S extends StandardSchemaV1,
  const Entries extends readonly ErrorEntry[],
>(
  options: DeserializeOptions<S, Entries>,
): (
  input: unknown,
) => Result<StandardSchemaV1.InferOutput<S>, InstanceOfEntry<Entries[number]> | DeserializeError> {
  type Output = Result<StandardSchemaV1.InferOutput<S>, InstanceOfEntry<Entries[number]> | DeserializeError>;
  const parseValue = fromSchema(options.value);
  const registry = new Map<
    string,
    { errorClass: RegisteredErrorClass; parseFields: ReturnType<typeof fromSchema> | undefined }
  >();
  for (const entry of options.errors) {
    const [errorClass, fields] = Array.isArray(entry) ? entry : [entry as RegisteredErrorClass, undefined];
    registry.set(errorClass.tag, {
      errorClass,
      parseFields: fields === undefined ? undefined : fromSchema(fields),
    });
  }

  function readError(error: unknown): Output {
    if (!isRecord(error) || typeof error._tag !== "string")
      return err(problem(["error", "_tag"], "Expected a string tag"));
    const registered = registry.get(error._tag);
    if (registered === undefined) {
      // The tag is not echoed: it is the sender's text, and would reach logs as written.
      return err(problem(["error", "_tag"], "Unknown error tag"));
    }
    const message = typeof error.message === "string" ? error.message : undefined;
    // A class registered without a schema gets no fields: unvalidated data must not pose as typed fields.
    let fields: Record<string, unknown> = {};
    if (registered.parseFields !== undefined) {
      const parsed = registered.parseFields(errorFields(error as { _tag: string }));
      if (parsed.isErr()) {
        return err(
          new DeserializeError({
            issues: parsed.error.issues.map((i) => ({ ...i, path: ["error", ...i.path] })),
          }),
        );
      }
      fields = parsed.value as Record<string, unknown>;
    }
    const ErrorClass = registered.errorClass as unknown as new (fields: Record<string, unknown>) => never;
    try {
      return err(new ErrorClass(message === undefined ? fields : { ...fields, message }));
    } catch {
      // A class whose constructor needs fields, registered without a schema for them.
      return err(
        problem(["error"], `Cannot rebuild ${registered.errorClass.tag}: register it with a fields schema`),
      );
    }
  }

  function read(input: unknown): Output {
    const parsed = typeof input === "string" ? parseJson(input) : { data: input };
    if (parsed === undefined) return err(problem([], "Not valid JSON"));
    const envelope = parsed.data;
    if (!isRecord(envelope) || typeof envelope.ok !== "boolean") {
      return err(problem(["ok"], "Expected an object with a boolean ok"));
    }
    if (!envelope.ok) return readError(envelope.error);
    const value = parseValue(envelope.value);
    if (value.isErr()) {
      return err(
        new DeserializeError({
          issues: value.error.issues.map((i) => ({ ...i, path: ["value", ...i.path] })),
        }),
      );
    }
    return ok(value.value as StandardSchemaV1.InferOutput<S>);
  }

  return (input) => {
    try {
      return read(input);
    } catch {
      // Parsed data may be any object a caller hands in: a throwing getter or a revoked Proxy included.
      return err(problem([], "Could not read the input"));
    }
  };
}
