import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { type Brand, BrandError, type BrandOf, defineBrand } from "../src/index.ts";

const OrderId = defineBrand("OrderId", z.string().regex(/^ord-\d{4}$/));
type OrderId = BrandOf<typeof OrderId>;
const Sku = defineBrand("Sku", v.pipe(v.string(), v.regex(/^[A-Z]{3}-\d{3}$/)));
const Trimmed = defineBrand("Trimmed", z.string().trim().min(1));

describe("defineBrand() with Zod 4", () => {
  it("parse() returns the branded value or a BrandError", () => {
    const parsed = OrderId.parse("ord-0042");
    expectTypeOf(parsed._unsafeUnwrap()).toEqualTypeOf<Brand<string, "OrderId">>();
    expect(parsed._unsafeUnwrap()).toBe("ord-0042");
    const error = OrderId.parse("ord-42")._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BrandError);
    expect(error).toMatchObject({ _tag: "BrandError", brand: "OrderId" });
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it("is() narrows, and refuses values the schema would have to normalise", () => {
    const input: unknown = "ord-0001";
    if (OrderId.is(input)) expectTypeOf(input).toEqualTypeOf<OrderId>();
    expect(OrderId.is(input)).toBe(true);
    expect(Trimmed.is(" x ")).toBe(false);
    expect(Trimmed.parse(" x ")._unsafeUnwrap()).toBe("x");
  });

  it("uncheckedFrom() brands without checking, for trusted sources only", () => {
    const trusted = OrderId.uncheckedFrom("from-our-db");
    expectTypeOf(trusted).toEqualTypeOf<OrderId>();
    expect(trusted).toBe("from-our-db");
  });

  it("never echoes the rejected value unless asked", () => {
    const secret = "ord-SECRET-4111111111111111";
    const error = OrderId.parse(secret)._unsafeUnwrapErr();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("4111");
    const Verbose = defineBrand("Verbose", z.string().length(3), { includeInput: true });
    expect(Verbose.parse("toolong")._unsafeUnwrapErr().input).toBe("toolong");
  });

  it("is a Standard Schema of its own that outputs the branded type", async () => {
    const outcome = await OrderId["~standard"].validate("ord-1234");
    expect(outcome).toEqual({ value: "ord-1234" });
    const failed = await OrderId["~standard"].validate(5);
    expect(failed.issues?.length).toBeGreaterThan(0);
    expect(OrderId["~standard"].vendor).toBe("keel");
  });
});

describe("defineBrand() with Valibot", () => {
  it("works with any Standard Schema", () => {
    expect(Sku.parse("ABC-123")._unsafeUnwrap()).toBe("ABC-123");
    expect(Sku.parse("abc-123")._unsafeUnwrapErr().brand).toBe("Sku");
  });
});

describe("brand constructors on hostile input", () => {
  it("return a value or a BrandError for anything, never throw (fast-check)", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        for (const brand of [OrderId, Sku, Trimmed]) {
          const parsed = brand.parse(input);
          if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
          expect(brand.is(input)).toBe(parsed.isOk() && parsed.value === input);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
