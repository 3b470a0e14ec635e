import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { type BrandOf, Email, jsonParser, PositiveInt, prefixedId, UuidV7 } from "../src/index.ts";
import { toZod } from "../src/zod.ts";

const UserId = prefixedId("UserId", "usr");
type UserId = BrandOf<typeof UserId>;

const User = z.object({ id: toZod(UserId), email: toZod(Email), age: toZod(PositiveInt).optional() });

describe("toZod()", () => {
  it("outputs the branded types inside a Zod object", () => {
    const user = User.parse({ id: UserId.generate(), email: " Ada@Example.com" });
    expectTypeOf(user.id).toEqualTypeOf<UserId>();
    expectTypeOf(user.email).toEqualTypeOf<Email>();
    expect(user.email).toBe("Ada@example.com");
  });

  it("keeps the brands through pipe and transform (where zod .brand() loses them)", () => {
    const Transformed = User.transform((user) => ({ owner: user.id, contact: user.email }));
    const out = Transformed.parse({ id: UserId.generate(), email: "ada@example.com" });
    expectTypeOf(out.owner).toEqualTypeOf<UserId>();
    expectTypeOf(out.contact).toEqualTypeOf<Email>();
    const piped = z.string().pipe(toZod(Email)).parse("grace@example.com");
    expectTypeOf(piped).toEqualTypeOf<Email>();
    expect(piped).toBe("grace@example.com");
    expect(z.string().trim().pipe(toZod(Email)).safeParse("nope").success).toBe(false);
  });

  it("reports the brand's issues at the field's path, without the value", () => {
    const result = User.safeParse({ id: "usr_nope", email: "not-an-email", age: 0 });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
    expect(paths).toEqual(["age", "email", "id"]);
    expect(JSON.stringify(result.error?.issues)).not.toContain("not-an-email");
  });
});

describe("jsonParser()", () => {
  it("brings a whole object with branded fields back from JSON in one call", () => {
    const readUser = jsonParser(User);
    const original = User.parse({ id: UserId.generate(), email: "ada@example.com", age: 36 });
    const back = readUser(JSON.stringify(original));
    expectTypeOf(back._unsafeUnwrap().id).toEqualTypeOf<UserId>();
    expect(back._unsafeUnwrap()).toEqual(original);
  });

  it("answers bad JSON and invalid data with a ValidationError, never a throw", () => {
    const readUser = jsonParser(z.object({ id: toZod(UuidV7) }));
    expect(readUser("{oops")._unsafeUnwrapErr()._tag).toBe("ValidationError");
    expect(readUser('{"id":"x"}')._unsafeUnwrapErr().issues[0]?.path).toEqual(["id"]);
  });
});
