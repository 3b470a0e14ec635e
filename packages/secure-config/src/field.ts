/**
 * A config field: how one variable's raw string becomes a typed value, and when it is required.
 *
 * @module
 */
import type { Result, StandardSchemaV1 } from "./_internal/external-types.ts";
import { makeField } from "./_internal/make-field.ts";

/** Options every field takes. */
export interface FieldOptions<T> {
  /**
   * Used when the variable is missing (or empty); a field with a default is never missing. Either the value
   * (`3000`, `["a"]`) or the raw text a variable would hold (`"30s"`, `"a,b"`). Checked when the field is
   * made: a default the field would refuse throws a `TypeError` there, at set-up.
   */
  readonly default?: T | string;
  /** A missing variable is fine: the value is `undefined`. */
  readonly optional?: boolean;
  /** Required only in these environments (e.g. `["production"]`); optional elsewhere. */
  readonly requiredIn?: readonly string[];
  /** Keep an empty string as a value. By default `""` counts as missing, like an unset variable. */
  readonly allowEmpty?: boolean;
}

/** One config variable: a parser for its raw string, whether it is a secret, and its options. */
export interface Field<T, Optional extends boolean = boolean> {
  /** The value, or the reason the raw string is refused (a reason never quotes the raw string). */
  readonly parse: (raw: string) => Result<T, string>;
  /** True for `secret()` and `secretUrl()` fields: production checks their strength and compares them. */
  readonly secret: boolean;
  /** The options the field was made with (`default`, `optional`, `requiredIn`, `allowEmpty`). */
  readonly options: FieldOptions<T>;
  /** The default, checked and (for arrays and plain objects) deeply frozen when the field was made. */
  readonly fallback?: { readonly value: T };
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

/**
 * Type-level: whether a field made with options `O` may load as `undefined`: true for `optional: true` or
 * `requiredIn`, false for a `default` (which wins) or no such option.
 */
export type IsOptional<O> = O extends { readonly default: unknown }
  ? false
  : O extends { readonly optional: true }
    ? true
    : O extends { readonly requiredIn: readonly string[] }
      ? true
      : false;

/** The field type for the options given: optional (value may be `undefined`) unless required or defaulted. */
export type FieldFor<T, O> = Field<T, IsOptional<O>>;

/**
 * Makes a field from a parse function returning a `Result`: the value, or the reason it is refused (say
 * what was expected, never what was found). The building block of the coercers; use it for your own types.
 * A string default is parsed with `parse`; any other default is used as it is.
 *
 * @example
 * ```ts
 * import { field, loadConfig } from "@keel/secure-config";
 * import { err, ok } from "neverthrow";
 *
 * const percent = field((raw) => {
 *   const n = Number(raw);
 *   return Number.isFinite(n) && n >= 0 && n <= 100 ? ok(n) : err("expected a number from 0 to 100");
 * });
 * const loaded = loadConfig({ RATE: percent }, { source: { RATE: "12.5" } });
 * console.assert(loaded.isOk() && loaded.value.RATE === 12.5);
 * ```
 */
export function field<T, const O extends FieldOptions<T> = Record<never, never>>(
  parse: (raw: string) => Result<T, string>,
  options?: O,
): FieldFor<T, O> {
  return makeField("field()", parse, options);
}
