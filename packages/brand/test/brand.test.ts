import { describe, expect, it } from "vitest";
import { type Brand, unbrand } from "../src/index.ts";

type UserId = Brand<string, "UserId">;

describe("Brand<Base, Name> at run time", () => {
  it("costs nothing: a branded value is the plain value", () => {
    const id = "u_1" as UserId;
    expect(typeof id).toBe("string");
    expect(Object.keys(Object(id))).toEqual(["0", "1", "2"]);
    expect(JSON.stringify({ id })).toBe('{"id":"u_1"}');
  });

  it("unbrand() is the identity function", () => {
    const box = { a: 1 } as Brand<{ a: number }, "Box">;
    expect(unbrand(box)).toBe(box);
    expect(unbrand(150 as Brand<number, "Cents">)).toBe(150);
  });
});
