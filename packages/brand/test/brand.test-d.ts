import { describe, expectTypeOf, it } from "vitest";
import { type Brand, type BrandNames, type Unbrand, unbrand } from "../src/index.ts";
import type { Brand as BrandFromSecondCopy } from "./fixtures/brand-second-copy.ts";

type UserId = Brand<string, "UserId">;
type TenantId = Brand<string, "TenantId">;
type Cents = Brand<number, "Cents">;

declare const userId: UserId;
declare const tenantId: TenantId;
declare const cents: Cents;
declare function loadUser(id: UserId): void;

describe("Brand<Base, Name>", () => {
  it("keeps UserId and TenantId apart and refuses raw strings", () => {
    loadUser(userId);
    // @ts-expect-error: a TenantId is not a UserId
    loadUser(tenantId);
    // @ts-expect-error: a raw string is not a UserId
    loadUser("u_1");
    expectTypeOf<UserId>().not.toEqualTypeOf<TenantId>();
    expectTypeOf(userId).toExtend<string>();
  });

  it("combines brands on one value", () => {
    type VerifiedEmail = Brand<Brand<string, "Email">, "Verified">;
    expectTypeOf<VerifiedEmail>().toExtend<Brand<string, "Email">>();
    expectTypeOf<VerifiedEmail>().toExtend<Brand<string, "Verified">>();
    expectTypeOf<BrandNames<VerifiedEmail>>().toEqualTypeOf<"Email" | "Verified">();
    // an Email alone is not Verified
    expectTypeOf<Brand<string, "Email">>().not.toExtend<VerifiedEmail>();
  });

  it("is compatible across two installed copies (string-keyed, not a unique symbol)", () => {
    expectTypeOf<UserId>().toExtend<BrandFromSecondCopy<string, "UserId">>();
    expectTypeOf<BrandFromSecondCopy<string, "UserId">>().toExtend<UserId>();
    // still a different brand name
    expectTypeOf<UserId>().not.toExtend<BrandFromSecondCopy<string, "TenantId">>();
  });

  it("Unbrand and unbrand() give the base type back, for primitives and objects", () => {
    expectTypeOf<Unbrand<UserId>>().toEqualTypeOf<string>();
    expectTypeOf<Unbrand<Cents>>().toEqualTypeOf<number>();
    expectTypeOf<Unbrand<Brand<{ a: number }, "Box">>>().toEqualTypeOf<{ a: number }>();
    expectTypeOf<Unbrand<string>>().toEqualTypeOf<string>();
    expectTypeOf(unbrand(cents)).toEqualTypeOf<number>();
  });
});
