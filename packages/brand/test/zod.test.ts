import { describe, expect, it } from "vitest";
import * as z from "zod";
import { definePrefixedId, Email, PositiveInt } from "../src/index.ts";
import { toZod } from "../src/zod.ts";

const UserId = definePrefixedId("UserId", "usr");
const User = z.object({ id: toZod(UserId), email: toZod(Email), age: toZod(PositiveInt).optional() });

describe("toZod()", () => {
  it("validates and normalises with the brand inside a Zod object", () => {
    const user = User.parse({ id: UserId.generate(), email: " Ada@Example.com" });
    expect(user.email).toBe("Ada@example.com");
  });

  it("works through pipe and transform", () => {
    const Transformed = User.transform((user) => ({ owner: user.id, contact: user.email }));
    const id = UserId.generate();
    expect(Transformed.parse({ id, email: "ada@example.com" })).toEqual({
      owner: id,
      contact: "ada@example.com",
    });
    expect(z.string().pipe(toZod(Email)).parse("grace@example.com")).toBe("grace@example.com");
    expect(z.string().max(320).pipe(toZod(Email)).safeParse("nope").success).toBe(false);
  });

  it("reports the brand's issues at the field's path, without the value", () => {
    const result = User.safeParse({ id: "usr_nope", email: "not-an-email", age: 0 });
    expect(result.success).toBe(false);
    const issues = (result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]).sort();
    expect(issues).toEqual([
      ["age", "Expected a positive integer, but got a number that is not greater than 0"],
      ["email", "Expected an email address, but it has no @"],
      ["id", "Expected a usr_ id, but it has 4 characters after usr_, not 26"],
    ]);
    expect(JSON.stringify(result.error?.issues)).not.toContain("not-an-email");
  });
});
