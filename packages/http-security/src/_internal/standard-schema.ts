/**
 * @module
 * The Standard Schema v1 interface (https://standardschema.dev), copied as its authors intend, so that
 * this package accepts any validator (Zod 4, Valibot, ArkType...) without depending on one or on the spec.
 */

/** A Standard Schema: anything with a `~standard` property of version 1. */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** What a Standard Schema's `validate` answers. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string }> };

/** The output type of a Standard Schema. */
export type InferSchemaOutput<S extends StandardSchema> = NonNullable<S["~standard"]["types"]>["output"];
