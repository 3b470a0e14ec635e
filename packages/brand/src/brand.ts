/**
 * Branded (nominal) types: a `UserId` is a string, but not every string is a `UserId`.
 *
 * The brand is a string-keyed property (`"~brand"`), not a `unique symbol`: two installed copies of this
 * package produce the same type, so brands stay compatible across duplicate installs.
 *
 * @module
 */

/** The property that carries brands. Exists only in types: no value ever has it at run time. */
export type BrandKey = "~brand";

/**
 * `Base` marked with the brand `Name`. Costs nothing at run time; brands combine by intersection.
 *
 * @example
 * ```ts
 * import type { Brand } from "@keel/brand";
 * type UserId = Brand<string, "UserId">;
 * type TenantId = Brand<string, "TenantId">;
 * const id = "u_1" as UserId; // only through a validated constructor in real code
 * const same: string = id; // a UserId is still a string
 * // @ts-expect-error: a UserId is not a TenantId
 * const other: TenantId = id;
 * console.assert(same === other);
 * ```
 */
export type Brand<Base, Name extends string> = Base & {
  readonly [K in BrandKey]: { readonly [N in Name]: true };
};

/** Anything carrying at least one brand. */
export type Branded = { readonly [K in BrandKey]: Readonly<Record<string, true>> };

/**
 * The names of the brands on `T`, as a union.
 *
 * @example
 * ```ts
 * import type { Brand, BrandNames } from "@keel/brand";
 * const name: BrandNames<Brand<Brand<string, "Email">, "Verified">> = "Verified"; // "Email" | "Verified"
 * console.assert(name === "Verified");
 * ```
 */
export type BrandNames<T> = T extends Branded ? keyof T[BrandKey] & string : never;

/**
 * `T` without its brands: the base type again. Works for primitives and for objects.
 *
 * @example
 * ```ts
 * import type { Brand, Unbrand } from "@keel/brand";
 * const raw: Unbrand<Brand<string, "UserId">> = "any string"; // string
 * console.assert(raw.length > 0);
 * ```
 */
export type Unbrand<T> = T extends Branded
  ? T extends string
    ? string
    : T extends number
      ? number
      : T extends bigint
        ? bigint
        : T extends boolean
          ? boolean
          : { [K in keyof T as K extends BrandKey ? never : K]: T[K] }
  : T;

/**
 * Drops the brands of a value, for code that must not keep them (a raw SQL parameter, a log field).
 * The identity function at run time.
 *
 * @example
 * ```ts
 * import { Email, unbrand } from "@keel/brand";
 * const parsed = Email.parse("ada@example.com");
 * console.assert(parsed.isOk());
 * if (parsed.isOk()) {
 *   const raw: string = unbrand(parsed.value); // typed string, no longer an Email
 *   console.assert(raw === "ada@example.com");
 * }
 * ```
 */
export function unbrand<T>(value: T): Unbrand<T> {
  return value as Unbrand<T>;
}
