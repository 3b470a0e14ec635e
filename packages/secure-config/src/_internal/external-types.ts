/**
 * The other packages' types that public signatures name, under their own names, for the API docs.
 *
 * Why: `deno doc --lint` resolves `@keel/result` and `@standard-schema/spec` through node_modules, so it
 * takes their declarations for this package's own and asks that they be exported (and, once re-exported,
 * that every member of neverthrow's classes have JSDoc). On JSR they are external packages with their own
 * docs. These aliases are the very same types, so nothing changes for TypeScript or at run time; `@ignore`
 * tells the docs that they are documented where they come from.
 */
import type { Result as NeverthrowResult, ResultAsync as NeverthrowResultAsync } from "@keel/result";
import type { StandardSchemaV1 as Spec } from "@standard-schema/spec";

/**
 * neverthrow's `Result` (re-exported by `@keel/result`).
 * @ignore
 */
export type Result<T, E> = NeverthrowResult<T, E>;

/**
 * neverthrow's `ResultAsync` (re-exported by `@keel/result`).
 * @ignore
 */
export type ResultAsync<T, E> = NeverthrowResultAsync<T, E>;

/**
 * The Standard Schema interface (`@standard-schema/spec`), which Zod, Valibot, ArkType and others implement.
 * @ignore
 */
export type StandardSchemaV1<Input = unknown, Output = Input> = Spec<Input, Output>;

/**
 * Types of `@standard-schema/spec`'s `StandardSchemaV1` namespace.
 * @ignore
 */
export declare namespace StandardSchemaV1 {
  /**
   * The output type of a Standard Schema.
   * @ignore
   */
  export type InferOutput<Schema extends Spec> = Spec.InferOutput<Schema>;
}
