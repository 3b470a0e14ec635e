import { describe, expect, expectTypeOf, it } from "vitest";
import { type Brand, type BrandNames, type Unbrand, unbrand } from "../src/index.ts";
import type { Brand as BrandFromSecondCopy } from "./fixtures/brand-second-copy.ts";

type UserId = Brand<string, "UserId">;
type TenantId = Brand<string, "TenantId">;
type Cents = Brand<number, "Cents">;

const loadUser = (id: UserId): string => id;

describe("Brand<Base, Name>", () => {
  it("keeps UserId and TenantId apart and refuses raw strings", () => {
    const userId = "u_1" as UserId;
    const tenantId = "t_1" as TenantId;
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
    const email = "ada@example.com" as VerifiedEmail;
    const asEmail: Brand<string, "Email"> = email;
    const asVerified: Brand<string, "Verified"> = email;
    expectTypeOf<BrandNames<VerifiedEmail>>().toEqualTypeOf<"Email" | "Verified">();
    // @ts-expect-error: an Email alone is not Verified
    const notVerified: VerifiedEmail = asEmail;
    expect([asEmail, asVerified, notVerified]).toHaveLength(3);
  });

  it("is compatible across two installed copies (string-keyed, not a unique symbol)", () => {
    const fromOurs = "u_1" as UserId;
    const fromTheirs: BrandFromSecondCopy<string, "UserId"> = fromOurs;
    const back: UserId = fromTheirs;
    expect(back).toBe("u_1");
    // @ts-expect-error: still a different brand name
    const wrong: BrandFromSecondCopy<string, "TenantId"> = fromOurs;
    expect(wrong).toBe("u_1");
  });

  it("Unbrand and unbrand() give the base type back, for primitives and objects", () => {
    expectTypeOf<Unbrand<UserId>>().toEqualTypeOf<string>();
    expectTypeOf<Unbrand<Cents>>().toEqualTypeOf<number>();
    expectTypeOf<Unbrand<Brand<{ a: number }, "Box">>>().toEqualTypeOf<{ a: number }>();
    expectTypeOf<Unbrand<string>>().toEqualTypeOf<string>();
    const raw = unbrand(150 as Cents);
    expectTypeOf(raw).toEqualTypeOf<number>();
    expect(raw).toBe(150);
  });

  it("costs nothing at run time: a branded value is the plain value", () => {
    const id = "u_1" as UserId;
    expect(typeof id).toBe("string");
    expect(Object.keys(Object(id))).toEqual(["0", "1", "2"]);
    expect(JSON.stringify({ id })).toBe('{"id":"u_1"}');
  });
});
