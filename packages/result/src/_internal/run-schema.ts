import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationIssue } from "../validation-error.ts";

/** A schema's verdict in Keel's terms: the output, or value-free issues (and what a throwing schema threw). */
export type SchemaVerdict<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly ValidationIssue[]; readonly thrown?: unknown };

const threwIssue: ValidationIssue = { path: [], message: "The schema threw while validating" };
const refusedIssue: ValidationIssue = { path: [], message: "Invalid value" };

/** Standard Schema issues as plain, JSON-safe {@link ValidationIssue}s (symbol keys become strings). */
export function toValidationIssues(issues: readonly StandardSchemaV1.Issue[]): ValidationIssue[] {
  const converted = issues.map((issue) => ({
    path: (issue.path ?? []).map((segment) => {
      const key = typeof segment === "object" ? segment.key : segment;
      return typeof key === "number" ? key : String(key);
    }),
    message: String(issue.message),
  }));
  // A failure must say something, even from a schema that reports one with no issue.
  return converted.length > 0 ? converted : [refusedIssue];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function verdictOf<Output>(outcome: StandardSchemaV1.Result<unknown>): SchemaVerdict<Output> {
  if (outcome.issues === undefined) return { value: outcome.value as Output };
  return { issues: toValidationIssues(outcome.issues) };
}

interface ZodLike {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: [] } };
}

const isZod = (schema: object): schema is ZodLike & StandardSchemaV1 =>
  (schema as StandardSchemaV1)["~standard"].vendor === "zod" &&
  typeof (schema as Partial<ZodLike>).safeParse === "function";

// Zod's own message for an async check met during a synchronous parse (its class name may be minified away).
const isZodAsyncError = (thrown: unknown): boolean =>
  thrown instanceof Error && thrown.message.startsWith("Encountered Promise during synchronous parse");

function asyncSchemaError(caller: string): TypeError {
  return new TypeError(`${caller}: the schema validates asynchronously (use fromSchemaAsync)`);
}

/**
 * Zod's Standard Schema `validate` answers a synchronous throw (a transform calling `JSON.parse`, a stack
 * overflow on deep input) by running the schema again asynchronously and returning that promise, exactly as
 * it answers an async schema. Its synchronous `safeParse` tells them apart: an async schema throws Zod's
 * async error, a throwing one throws what it threw, and an input that threw only once (a getter) parses.
 */
function classifyZod<Output>(schema: ZodLike, input: unknown, caller: string): SchemaVerdict<Output> {
  try {
    const parsed = schema.safeParse(input);
    if (parsed.success) return { value: parsed.data as Output };
    return { issues: toValidationIssues(parsed.error.issues) };
  } catch (thrown) {
    if (isZodAsyncError(thrown)) throw asyncSchemaError(caller);
    return { issues: [threwIssue], thrown };
  }
}

/**
 * Runs a schema that must be synchronous. A throw becomes a value-free issue (the thrown value is kept
 * aside as `thrown`, for callers that may log it). A promise is always observed, so it is never an unhandled
 * rejection; a schema that really validates asynchronously is a programmer error and throws a `TypeError`.
 */
export function runSchemaSync<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  caller: string,
): SchemaVerdict<StandardSchemaV1.InferOutput<S>> {
  let outcome: StandardSchemaV1.Result<unknown> | PromiseLike<StandardSchemaV1.Result<unknown>>;
  try {
    outcome = schema["~standard"].validate(input);
  } catch (thrown) {
    return { issues: [threwIssue], thrown };
  }
  if (isThenable(outcome)) {
    Promise.resolve(outcome).catch(() => {});
    if (isZod(schema)) return classifyZod(schema, input, caller);
    throw asyncSchemaError(caller);
  }
  try {
    return verdictOf(outcome);
  } catch (thrown) {
    return { issues: [threwIssue], thrown };
  }
}

/** Runs a schema that may be asynchronous; a throw or a rejection becomes a value-free issue. Never rejects. */
export async function runSchemaAsync<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
): Promise<SchemaVerdict<StandardSchemaV1.InferOutput<S>>> {
  try {
    return verdictOf(await schema["~standard"].validate(input));
  } catch (thrown) {
    return { issues: [threwIssue], thrown };
  }
}
