import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { BrandError, createSchema, defineBrand } from "../src/index.ts";

const OrderId = defineBrand("OrderId", z.string().regex(/^ord-\d{4}$/));
const Sku = defineBrand("Sku", v.pipe(v.string(), v.regex(/^[A-Z]{3}-\d{3}$/)));
const Trimmed = defineBrand("Trimmed", z.string().trim().min(1));

describe("defineBrand() with Zod 4", () => {
  it("parse() returns the branded value or a BrandError", () => {
    expect(OrderId.parse("ord-0042")._unsafeUnwrap()).toBe("ord-0042");
    const error = OrderId.parse("ord-42")._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BrandError);
    expect(error).toMatchObject({ _tag: "BrandError", brand: "OrderId" });
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.message).toBe(`Not a valid OrderId: ${error.issues[0]?.message}`);
  });

  it("is() refuses values the schema would have to normalise", () => {
    expect(OrderId.is("ord-0001")).toBe(true);
    expect(Trimmed.is(" x ")).toBe(false);
    expect(Trimmed.parse(" x ")._unsafeUnwrap()).toBe("x");
  });

  it("uncheckedFrom() brands without checking, for trusted sources only", () => {
    expect(OrderId.uncheckedFrom("from-our-db")).toBe("from-our-db");
  });

  it("never echoes the rejected value unless asked", () => {
    const secret = "ord-SECRET-4111111111111111";
    const error = OrderId.parse(secret)._unsafeUnwrapErr();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("4111");
    expect("input" in error).toBe(false);
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

describe("defineBrand() over a schema that misbehaves", () => {
  const throwing = createSchema<string>("never used", () => {
    throw new Error("parser exploded on ord-SECRET");
  });

  it("answers a BrandError, quoting nothing, when the schema throws", () => {
    const Fragile = defineBrand("Fragile", throwing);
    const error = Fragile.parse("ord-SECRET")._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BrandError);
    expect(error.brand).toBe("Fragile");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("SECRET");
    expect(error.cause).toBeUndefined();
    expect(Fragile.is("ord-SECRET")).toBe(false);
  });

  it("keeps what the schema threw on cause only with includeInput", () => {
    const Fragile = defineBrand("Fragile", throwing, { includeInput: true });
    const error = Fragile.parse("ord-SECRET")._unsafeUnwrapErr();
    expect(error.input).toBe("ord-SECRET");
    expect((error.cause as Error).message).toContain("exploded");
  });

  it("answers a Zod transform that throws with a BrandError", () => {
    const Json = defineBrand(
      "Json",
      z.string().transform((text) => JSON.parse(text) as unknown),
    );
    expect(Json.parse("{oops")._unsafeUnwrapErr()).toBeInstanceOf(BrandError);
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
