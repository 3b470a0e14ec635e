/**
 * @module
 * Bridges from any Standard Schema validator (Zod 4, Valibot, ArkType, ...) to `Result`.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { err, ok, type Result, ResultAsync } from "./neverthrow.ts";
import { toValidationIssues, ValidationError } from "./validation-error.ts";

/** Options for the schema bridges. */
export interface SchemaBridgeOptions {
  /**
   * Attach the rejected input to the `ValidationError` as `input`. Off by default: input is often PII or a
   * secret, and errors end up in logs.
   */
  readonly includeInput?: boolean;
}

function toResult<S extends StandardSchemaV1>(
  outcome: StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>,
  input: unknown,
  options: SchemaBridgeOptions,
): Result<StandardSchemaV1.InferOutput<S>, ValidationError> {
  if (outcome.issues === undefined) return ok(outcome.value);
  const issues = toValidationIssues(outcome.issues);
  return err(new ValidationError(options.includeInput === true ? { issues, input } : { issues }));
}

/**
 * Makes a parser that validates with a synchronous Standard Schema and returns a `Result`.
 * A schema that turns out to be asynchronous is a programmer error and throws a `TypeError`: use
 * {@link fromSchemaAsync} for it.
 *
 * @param schema Any Standard Schema (for example a Zod 4 or Valibot schema).
 * @returns `(input: unknown) => Result<Output, ValidationError>`.
 *
 * @example
 * ```ts
 * import { fromSchema } from "@keel/result";
 * import * as z from "zod";
 *
 * const parseUser = fromSchema(z.object({ email: z.email() }));
 * console.assert(parseUser({ email: "a@b.co" }).isOk());
 * console.assert(parseUser({ email: "nope" })._unsafeUnwrapErr().issues[0]?.path[0] === "email");
 * ```
 */
export function fromSchema<S extends StandardSchemaV1>(
  schema: S,
  options: SchemaBridgeOptions = {},
): (input: unknown) => Result<StandardSchemaV1.InferOutput<S>, ValidationError> {
  return (input) =>
    toResult<S>(validateSync(schema, input, "fromSchema (use fromSchemaAsync)"), input, options);
}

/**
 * Runs a Standard Schema that must be synchronous and returns its raw outcome. A schema that validates
 * asynchronously is a programmer error: a `TypeError` naming `caller`. The one place every Keel package
 * validates synchronously.
 *
 * @example
 * ```ts
 * import { validateSync } from "@keel/result";
 * import * as z from "zod";
 * const outcome = validateSync(z.number(), "7", "example");
 * console.assert(outcome.issues !== undefined);
 * ```
 */
export function validateSync<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  caller: string,
): StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>> {
  const outcome = schema["~standard"].validate(input);
  if (outcome instanceof Promise) throw new TypeError(`${caller}: the schema validates asynchronously`);
  return outcome as StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>;
}

/**
 * Makes a parser for a Standard Schema that may validate asynchronously; it returns a `ResultAsync`.
 *
 * @example
 * ```ts
 * import { fromSchemaAsync } from "@keel/result";
 * import * as z from "zod";
 *
 * const parseName = fromSchemaAsync(z.string().refine(async (name) => name !== "taken"));
 * console.assert((await parseName("free")).isOk());
 * console.assert((await parseName("taken")).isErr());
 * ```
 */
export function fromSchemaAsync<S extends StandardSchemaV1>(
  schema: S,
  options: SchemaBridgeOptions = {},
): (input: unknown) => ResultAsync<StandardSchemaV1.InferOutput<S>, ValidationError> {
  const validate = schema["~standard"].validate;
  // A validator that throws is a bug in the schema: like the sync bridge, it surfaces (as a rejection).
  return (input) => new ResultAsync((async () => toResult<S>(await validate(input), input, options))());
}
