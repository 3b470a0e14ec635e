/**
 * `@keel/brand/zod`: use a brand as a field of a Zod 4 object; the branded type survives `pipe` and
 * `transform`, unlike `.brand()` types that are lost through them.
 *
 * @module
 */
import * as z from "zod";
import type { ZodType } from "./_internal/external-types.ts";
import type { Brand } from "./brand.ts";
import type { BrandType } from "./define-brand.ts";

/**
 * A Zod schema for a brand: validates with the brand (issues become Zod issues, no input echoed) and
 * outputs the branded type.
 *
 * @example
 * ```ts
 * import { Email, PositiveInt } from "@keel/brand";
 * import { toZod } from "@keel/brand/zod";
 * import * as z from "zod";
 *
 * const Order = z.object({ email: toZod(Email), quantity: toZod(PositiveInt) }).transform((o) => ({ ...o, at: 1 }));
 * const order = Order.parse({ email: "ada@example.com", quantity: 2 }); // order.email: Email
 * console.assert(Email.is(order.email) && !Order.safeParse({ email: "x", quantity: 0 }).success);
 * ```
 */
export function toZod<Name extends string, Base>(
  brand: BrandType<Name, Base>,
): ZodType<Brand<Base, Name>, Base> {
  // Typed with the base as input (what a caller passes, what `pipe` checks); any value is accepted and checked.
  const schema = z.unknown().transform((input, context) => {
    const parsed = brand.parse(input);
    if (parsed.isOk()) return parsed.value;
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: "custom", message: issue.message, path: [...issue.path] });
    }
    return z.NEVER;
  });
  return schema as unknown as ZodType<Brand<Base, Name>, Base>;
}
