/**
 * Bridges from any Standard Schema validator (Zod 4, Valibot, ArkType, ...) to `Result`. They never throw
 * and never reject on any input: a schema that throws while validating is a `ValidationError` too.
 *
 * @module
 */
import type { StandardSchemaV1 } from "./_internal/external-types.ts";
import { own } from "./_internal/own.ts";
import { parseJson } from "./_internal/parse-json.ts";
import { runSchemaAsync, runSchemaSync, type SchemaVerdict } from "./_internal/run-schema.ts";
import { err, ok, type Result, ResultAsync } from "./neverthrow.ts";
import { ValidationError } from "./validation-error.ts";

/** Options for the schema bridges. */
export interface SchemaBridgeOptions {
  /**
   * Attach the rejected input to the `ValidationError` as `input` (and, when the schema threw, what it threw
   * as `cause`: a parser's message often quotes the input). Off by default: input is often PII or a secret,
   * and errors end up in logs. Neither ever reaches a problem response or the wire.
   */
  readonly includeInput?: boolean;
}

function toResult<Output>(
  verdict: SchemaVerdict<Output>,
  input: unknown,
  options: SchemaBridgeOptions,
): Result<Output, ValidationError> {
  if (verdict.issues === undefined) return ok(verdict.value);
  if (own(options, "includeInput") !== true) return err(new ValidationError({ issues: verdict.issues }));
  const cause = "thrown" in verdict ? { cause: verdict.thrown } : {};
  return err(new ValidationError({ issues: verdict.issues, input, ...cause }));
}

/**
 * Makes a parser that validates with a synchronous Standard Schema and returns a `Result`. It never throws
 * on any input: a schema that throws while validating (a transform that calls `JSON.parse`, a stack
 * overflow on deeply nested input) gives a `ValidationError` whose message quotes nothing, and no promise is
 * left unhandled. Only a schema that reaches an asynchronous check throws a `TypeError`: a programmer
 * error (use {@link fromSchemaAsync}). With Zod, whose Standard Schema interface answers a throw and an async
 * check alike (with a promise), the two are told apart by its synchronous `safeParse`.
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
 * const rejected = parseUser({ email: "nope" });
 * console.assert(rejected.isErr() && rejected.error.issues[0]?.path[0] === "email");
 * ```
 */
export function fromSchema<S extends StandardSchemaV1>(
  schema: S,
  options: SchemaBridgeOptions = {},
): (input: unknown) => Result<StandardSchemaV1.InferOutput<S>, ValidationError> {
  return (input) => toResult(runSchemaSync(schema, input, "fromSchema"), input, options);
}

/**
 * Makes a parser for a Standard Schema that may validate asynchronously; it returns a `ResultAsync` that
 * never rejects (a schema that throws or rejects gives a `ValidationError`).
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
  return (input) =>
    new ResultAsync(runSchemaAsync(schema, input).then((verdict) => toResult(verdict, input, options)));
}

const notJsonIssues = [{ path: [], message: "Not valid JSON" }] as const;

/**
 * Makes a parser from JSON text to a synchronous Standard Schema's output: what a request body, a queue
 * message or a config value needs. Text that is not JSON and data the schema refuses are both a
 * `ValidationError` that quotes nothing of the text; it never throws.
 *
 * @example
 * ```ts
 * import { fromJson } from "@keel/result";
 * import * as z from "zod";
 *
 * const readLimits = fromJson(z.object({ rps: z.number() }));
 * console.assert(readLimits('{"rps":50}').unwrapOr({ rps: 0 }).rps === 50);
 * console.assert(readLimits("{rps: 50}").isErr());
 * ```
 */
export function fromJson<S extends StandardSchemaV1>(
  schema: S,
  options: SchemaBridgeOptions = {},
): (text: string) => Result<StandardSchemaV1.InferOutput<S>, ValidationError> {
  const validate = fromSchema(schema, options);
  return (text) => {
    const parsed = parseJson(text);
    if (parsed === undefined) {
      const input = own(options, "includeInput") === true ? { input: text } : {};
      return err(new ValidationError({ issues: notJsonIssues, ...input }));
    }
    return validate(parsed.data);
  };
}
