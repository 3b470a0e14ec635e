import { describe, expectTypeOf, it } from "vitest";
import { type Brand, type BrandOf, definePrefixedId } from "../src/index.ts";

const UserId = definePrefixedId("UserId", "usr");
const TeamId = definePrefixedId("TeamId", "team");
type UserId = BrandOf<typeof UserId>;
type TeamId = BrandOf<typeof TeamId>;

describe("definePrefixedId() types", () => {
  it("types the prefix as a template literal", () => {
    expectTypeOf(UserId.generate()).toEqualTypeOf<Brand<`usr_${string}`, "UserId">>();
    expectTypeOf<UserId>().toExtend<`usr_${string}`>();
  });

  it("keeps ids of different brands apart", () => {
    expectTypeOf<TeamId>().not.toExtend<UserId>();
    const team = TeamId.generate();
    // @ts-expect-error: a TeamId is not a UserId
    const wrong: UserId = team;
    void wrong;
  });

  it("uncheckedFrom() takes a plain string (a database row's column)", () => {
    const row: { id: string } = { id: "usr_01j9zk7w3x8q2v5n4m6r8t0y2a" };
    expectTypeOf(UserId.uncheckedFrom(row.id)).toEqualTypeOf<UserId>();
  });
});
