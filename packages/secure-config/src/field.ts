/**
 * @module
 * A config field: how one variable's raw string becomes a typed value, and when it is required.
 */
import { validateSync } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";

/** Options every field takes. */
export interface FieldOptions<T> {
  /** Used when the variable is missing (or empty). A field with a default is never missing. */
  readonly default?: T;
  /** A missing variable is fine: the value is `undefined`. */
  readonly optional?: boolean;
  /** Required only in these environments (e.g. `["production"]`); optional elsewhere. */
  readonly requiredIn?: readonly string[];
  /** Keep an empty string as a value. By default `""` counts as missing, like an unset variable. */
  readonly allowEmpty?: boolean;
}

/** One config variable: a parser for its raw string, whether it is a secret, and its options. */
export interface Field<T, Optional extends boolean = boolean> {
  readonly parse: (raw: string) => { readonly value: T } | { readonly reason: string };
  readonly secret: boolean;
  readonly options: FieldOptions<T>;
  /** An extra check that only production runs (secret strength); returns the reason it fails. */
  readonly production?: (raw: string) => string | undefined;
  /** Type-level only: whether the loaded value may be `undefined`. */
  readonly "~optional"?: Optional;
}

/** What a field may be in a config spec: a Keel field, or any synchronous Standard Schema of the raw string. */
export type FieldLike = Field<unknown> | StandardSchemaV1;

/** The loaded value of a field. */
export type FieldValue<F> =
  F extends Field<infer T, infer Optional>
    ? true extends Optional
      ? T | undefined
      : T
    : F extends StandardSchemaV1
      ? StandardSchemaV1.InferOutput<F>
      : never;

type IsOptional<O> = O extends { readonly default: unknown }
  ? false
  : O extends { readonly optional: true }
    ? true
    : O extends { readonly requiredIn: readonly string[] }
      ? true
      : false;

/** The field type for the options given: optional (value may be `undefined`) unless required or defaulted. */
export type FieldFor<T, O> = Field<T, IsOptional<O>>;

/**
 * Makes a field from a parse function. The building block of the coercers; use it for your own types.
 *
 * @example
 * ```ts
 * import { field, loadConfig } from "@keel/secure-config";
 * const percent = field((raw) => {
 *   const n = Number(raw);
 *   return Number.isFinite(n) && n >= 0 && n <= 100 ? { value: n } : { reason: "expected a number from 0 to 100" };
 * });
 * console.assert(loadConfig({ RATE: percent }, { source: { RATE: "12.5" } }).RATE === 12.5);
 * ```
 */
export function field<T, const O extends FieldOptions<T> = Record<never, never>>(
  parse: Field<T>["parse"],
  options?: O,
  secret = false,
): FieldFor<T, O> {
  return { parse, secret, options: options ?? {} };
}

/**
 * The reason for a value a Standard Schema refused. Never the validator's messages: they quote what they
 * rejected ("received \"sk_live_...\""), in forms no scrubbing can catch. Only where, and how many.
 */
export function schemaFailure(issues: readonly StandardSchemaV1.Issue[]): string {
  const paths = issues
    .map((issue) =>
      (issue.path ?? [])
        .map((segment) => String(typeof segment === "object" ? segment.key : segment))
        .join("."),
    )
    .filter((path) => path !== "");
  const where = paths.length > 0 ? ` at ${[...new Set(paths)].join(", ")}` : "";
  return `failed its schema${where}`;
}

/**
 * A field's parse result from a synchronous Standard Schema: its value, or a reason that never quotes the
 * validator (see {@link schemaFailure}).
 *
 * @example
 * ```ts
 * import { parseWithSchema } from "@keel/secure-config";
 * import * as z from "zod";
 * console.assert("reason" in parseWithSchema(z.enum(["eu", "us"]), "mars", "example"));
 * ```
 */
export function parseWithSchema<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  caller: string,
): { readonly value: StandardSchemaV1.InferOutput<S> } | { readonly reason: string } {
  const outcome = validateSync(schema, input, caller);
  return outcome.issues === undefined ? { value: outcome.value } : { reason: schemaFailure(outcome.issues) };
}
