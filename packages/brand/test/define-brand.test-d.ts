import type { Result } from "@keel/result";
import { describe, expectTypeOf, it } from "vitest";
import * as z from "zod";
import {
  type Brand,
  type BrandError,
  type BrandOf,
  defineBrand,
  definePrefixedId,
  Email,
} from "../src/index.ts";

const OrderId = defineBrand("OrderId", z.string().regex(/^ord-\d{4}$/));
type OrderId = BrandOf<typeof OrderId>;
const Box = defineBrand("Box", z.object({ size: z.number() }));
const UserId = definePrefixedId("UserId", "usr");
type UserId = BrandOf<typeof UserId>;

describe("defineBrand() types", () => {
  it("parse() returns Result<Brand, BrandError>", () => {
    expectTypeOf(OrderId.parse("ord-0042")).toEqualTypeOf<Result<Brand<string, "OrderId">, BrandError>>();
    expectTypeOf<OrderId>().toEqualTypeOf<Brand<string, "OrderId">>();
    expectTypeOf(OrderId.brandName).toEqualTypeOf<"OrderId">();
  });

  it("is() narrows unknown to the brand", () => {
    const input: unknown = "ord-0001";
    if (OrderId.is(input)) expectTypeOf(input).toEqualTypeOf<OrderId>();
  });

  it("uncheckedFrom() takes the plain base type and returns the brand", () => {
    expectTypeOf(OrderId.uncheckedFrom("from-our-db")).toEqualTypeOf<OrderId>();
    expectTypeOf(Box.uncheckedFrom({ size: 1 })).toEqualTypeOf<Brand<{ size: number }, "Box">>();
    // @ts-expect-error: an object brand still wants its object
    Box.uncheckedFrom("nope");
    // @ts-expect-error: a string brand still wants a string
    OrderId.uncheckedFrom(42);
  });

  it("uncheckedFrom() takes a plain string for a template-literal brand (a database row's column)", () => {
    const row: { id: string; email: string } = { id: "usr_01j9zk7w3x8q2v5n4m6r8t0y2a", email: "a@b.co" };
    expectTypeOf(UserId.uncheckedFrom(row.id)).toEqualTypeOf<UserId>();
    expectTypeOf(Email.uncheckedFrom(row.email)).toEqualTypeOf<Email>();
  });

  it("is a Standard Schema whose output is the brand", () => {
    expectTypeOf(OrderId["~standard"].types).toEqualTypeOf<
      { readonly input: unknown; readonly output: OrderId } | undefined
    >();
  });
});
