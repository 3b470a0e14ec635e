import { describe, expect, it } from "vitest";
import { createSchema, defineBrand } from "../src/index.ts";

describe("createSchema()", () => {
  const Even = createSchema("Expected an even integer", (input) =>
    Number.isSafeInteger(input) && (input as number) % 2 === 0 ? (input as number) : undefined,
  );

  it("is a synchronous Standard Schema: the value, or the one issue", () => {
    expect(Even["~standard"].validate(4)).toEqual({ value: 4 });
    expect(Even["~standard"].validate(3)).toEqual({ issues: [{ message: "Expected an even integer" }] });
    expect(Even["~standard"].vendor).toBe("keel");
  });

  it("backs a brand with the message as its issue", () => {
    const EvenBrand = defineBrand("Even", Even);
    expect(EvenBrand.is(4)).toBe(true);
    expect(EvenBrand.parse(3)._unsafeUnwrapErr().issues).toEqual([
      { path: [], message: "Expected an even integer" },
    ]);
  });
});
