import { describe, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { type BrandOf, definePrefixedId, Email, PositiveInt } from "../src/index.ts";
import { toZod } from "../src/zod.ts";

const UserId = definePrefixedId("UserId", "usr");
type UserId = BrandOf<typeof UserId>;
const User = z.object({ id: toZod(UserId), email: toZod(Email), age: toZod(PositiveInt).optional() });

describe("toZod() types", () => {
  it("outputs the branded types inside a Zod object", () => {
    type User = z.output<typeof User>;
    expectTypeOf<User["id"]>().toEqualTypeOf<UserId>();
    expectTypeOf<User["email"]>().toEqualTypeOf<Email>();
    expectTypeOf<User["age"]>().toEqualTypeOf<PositiveInt | undefined>();
  });

  it("keeps the brands through pipe and transform (where zod .brand() loses them)", () => {
    const Transformed = User.transform((user) => ({ owner: user.id, contact: user.email }));
    expectTypeOf<z.output<typeof Transformed>>().toEqualTypeOf<{ owner: UserId; contact: Email }>();
    expectTypeOf<z.output<ReturnType<typeof pipeEmail>>>().toEqualTypeOf<Email>();
  });

  it("takes the base type as input", () => {
    expectTypeOf<z.input<typeof User>["email"]>().toEqualTypeOf<string>();
  });
});

function pipeEmail() {
  return z.string().max(320).pipe(toZod(Email));
}
