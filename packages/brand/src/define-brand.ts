/**
 * A brand from a name and any Standard Schema validator: a constructor returning `Result`, a type guard,
 * an explicit unchecked escape hatch, and a Standard Schema of its own.
 *
 * @module
 */

import { err, fromSchema, type ValidationError } from "@keel/result";
import type { Result, StandardSchemaV1 } from "./_internal/external-types.ts";
import type { Brand } from "./brand.ts";
import { BrandError } from "./brand-error.ts";

/** Options for {@link defineBrand}. */
export interface BrandOptions {
  /**
   * Put the rejected value on `BrandError.input` (and, when the schema threw, what it threw on `cause`). Off
   * by default: ids and emails are PII.
   */
  readonly includeInput?: boolean;
}

/**
 * What `uncheckedFrom` takes for a brand over `Base`: the plain primitive for primitive bases (a `string`
 * for a brand over `` `usr_${string}` ``, as a database row gives it), `Base` itself for objects.
 */
export type UncheckedInput<Base> = Base extends string
  ? string
  : Base extends number
    ? number
    : Base extends bigint
      ? bigint
      : Base extends boolean
        ? boolean
        : Base;

/** A defined brand: validate, guard, or (explicitly) trust a value; also a Standard Schema. */
export interface BrandType<Name extends string, Base> extends StandardSchemaV1<unknown, Brand<Base, Name>> {
  /** The brand's name, as in `BrandError.brand`. */
  readonly brandName: Name;
  /** Validates (and, when the schema transforms, normalises) a value. Never throws on any input. */
  parse(input: unknown): Result<Brand<Base, Name>, BrandError>;
  /**
   * Type guard: true when `parse` would succeed and return the value unchanged. For object brands it checks
   * validity only (nested normalisation is not compared): use `parse` for objects.
   */
  is(input: unknown): input is Brand<Base, Name>;
  /**
   * Brands a value WITHOUT checking it. Only for trusted sources (your own database, a value you just
   * generated); the long name is on purpose, so that reviews and `grep` find every use. A string-based
   * brand takes any `string` (a row's column), even one whose type is a template literal such as
   * `` `usr_${string}` ``.
   */
  uncheckedFrom(value: UncheckedInput<Base>): Brand<Base, Name>;
}

/**
 * The branded type a brand produces: `type OrderId = BrandOf<typeof OrderId>`. (The built-ins export
 * their type under the same name as the value: `import { Email } from "@keel/brand"` gives both.)
 *
 * @example
 * ```ts
 * import { type BrandOf, definePrefixedId } from "@keel/brand";
 * const OrderId = definePrefixedId("OrderId", "ord");
 * type OrderId = BrandOf<typeof OrderId>;
 * const id: OrderId = OrderId.generate();
 * console.assert(OrderId.is(id));
 * ```
 */
export type BrandOf<B> = B extends BrandType<infer Name, infer Base> ? Brand<Base, Name> : never;

function toBrandError(
  brand: string,
  error: ValidationError,
  input: unknown,
  includeInput: boolean,
): BrandError {
  if (!includeInput) return new BrandError({ brand, issues: error.issues });
  const cause = error.cause === undefined ? {} : { cause: error.cause };
  return new BrandError({ brand, issues: error.issues, input, ...cause });
}

/**
 * Defines a brand from a name and a synchronous Standard Schema (Zod 4, Valibot, ArkType, or the
 * validators of the built-ins). The schema's output is the brand's base type.
 *
 * `parse` never throws: a schema that throws while validating gives a `BrandError` whose issue quotes
 * nothing. An asynchronous schema cannot be a brand: `parse` throws a `TypeError` (a programmer error).
 *
 * @example
 * ```ts
 * import { type BrandOf, defineBrand } from "@keel/brand";
 * import * as z from "zod";
 *
 * const UserId = defineBrand("UserId", z.uuid());
 * type UserId = BrandOf<typeof UserId>;
 *
 * const id = UserId.parse("0190b6a4-6f3b-7cc4-8b2e-5e3bd0b1a9f1");
 * console.assert(id.isOk());
 * const refused = UserId.parse("42");
 * console.assert(refused.isErr() && refused.error.brand === "UserId");
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineBrand<const Name extends string, S extends StandardSchemaV1>(
  name: Name,
  schema: S,
  options: BrandOptions = {},
): BrandType<Name, StandardSchemaV1.InferOutput<S>> {
  type Branded = Brand<StandardSchemaV1.InferOutput<S>, Name>;
  const includeInput = options.includeInput === true;
  const validate = fromSchema(schema, { includeInput });
  const parse = (input: unknown): Result<Branded, BrandError> => {
    const outcome = validate(input);
    // An Ok holds the schema's output, which is the branded value: no new Result needed.
    if (outcome.isOk()) return outcome as unknown as Result<Branded, BrandError>;
    return err(toBrandError(name, outcome.error, input, includeInput));
  };
  return {
    brandName: name,
    parse,
    is: (input): input is Branded => {
      const outcome = validate(input);
      // A schema that normalises (" Ada@Example.com" -> "Ada@example.com") must not vouch for the raw
      // value. Object schemas always copy, so for objects only validity is checked: use parse() for them.
      return (
        outcome.isOk() && (Object.is(outcome.value, input) || (typeof input === "object" && input !== null))
      );
    },
    uncheckedFrom: (value) => value as Branded,
    "~standard": {
      version: 1,
      vendor: "keel",
      validate: (input) => {
        const parsed = parse(input);
        return parsed.isOk() ? { value: parsed.value } : { issues: parsed.error.issues };
      },
    },
  };
}
