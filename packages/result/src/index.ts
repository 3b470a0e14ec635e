/**
 * `@keel/result`: typed error handling on neverthrow (re-exported unchanged): tagged errors, exhaustive
 * matching, Standard Schema bridges, serialisation, and RFC 9457 problems. `@keel/result/hono` answers Hono
 * requests with them.
 *
 * @module
 */
export { attempt, attemptAsync, type ThrowMapper } from "./attempt.ts";
export {
  catchTag,
  catchTags,
  type PartialErrorHandlers,
  type RemainingError,
  type Returned,
} from "./catch-tags.ts";
export { andFinally, type Cleanup, CleanupError } from "./cleanup.ts";
export {
  type AsyncResultRecord,
  combineObject,
  combineObjectAsync,
  combineObjectWithAllErrors,
  combineObjectWithAllErrorsAsync,
  type ErrRecord,
  type OkRecord,
  type ResultRecord,
} from "./combine.ts";
export {
  createResultDeserializer,
  DeserializeError,
  type DeserializeOptions,
  type ErrorEntry,
  type InstanceOfEntry,
  type RegisteredErrorClass,
} from "./deserialize.ts";
export type { InferErr, InferOk, MaybeAsyncResultLike, ResultLike } from "./infer.ts";
export { type ErrorHandlers, matchError } from "./match-error.ts";
export * from "./neverthrow.ts";
export {
  createProblemMapper,
  type Mapped,
  type ProblemContext,
  type ProblemDetails,
  type ProblemMapper,
  type ProblemMapperOptions,
  type ProblemRule,
  type StatusEntry,
  type UnexpectedReport,
  type UnmappedTag,
} from "./problem.ts";
export { fromJson, fromSchema, fromSchemaAsync, type SchemaBridgeOptions } from "./schema.ts";
export {
  type SerializedError,
  type SerializedResult,
  serializeResult,
  serializeResultAsync,
} from "./serialize.ts";
export {
  type ConstructorArgs,
  errorFields,
  isTagged,
  type ReservedField,
  type Tagged,
  TaggedError,
  type TaggedErrorClass,
  type TaggedErrorInstance,
  type TaggedErrorOptions,
} from "./tagged-error.ts";
export { UnexpectedError } from "./unexpected-error.ts";
export { ValidationError, type ValidationIssue } from "./validation-error.ts";
