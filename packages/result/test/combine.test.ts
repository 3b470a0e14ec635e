import { describe, expect, expectTypeOf, it } from "vitest";
import * as keel from "../src/index.ts";
import { err, errAsync, ok, okAsync, type Result, type ResultAsync, TaggedError } from "../src/index.ts";

const { combineObject, combineObjectAsync, combineObjectWithAllErrors, combineObjectWithAllErrorsAsync } =
  keel;

class BadId extends TaggedError("BadId") {}
class BadName extends TaggedError("BadName") {}

const id = (raw: string): Result<number, BadId> => (/^\d+$/.test(raw) ? ok(Number(raw)) : err(new BadId()));
const name = (raw: string): Result<string, BadName> => (raw.length > 0 ? ok(raw) : err(new BadName()));

describe("combineObject()", () => {
  it("gives an object of values with each key's exact type", () => {
    const combined = combineObject({ id: id("7"), name: name("Ada") });
    expectTypeOf(combined).toEqualTypeOf<Result<{ id: number; name: string }, BadId | BadName>>();
    expect(combined._unsafeUnwrap()).toEqual({ id: 7, name: "Ada" });
  });

  it("stops at the first error in key order", () => {
    const combined = combineObject({ id: id("x"), name: name("") });
    expect(combined._unsafeUnwrapErr()).toBeInstanceOf(BadId);
  });

  it("handles an empty object and a __proto__ key as data", () => {
    expect(combineObject({})._unsafeUnwrap()).toEqual({});
    const hostile: Record<string, Result<number, never>> = {};
    Object.defineProperty(hostile, "__proto__", { value: ok(1), enumerable: true });
    const combined = combineObject(hostile)._unsafeUnwrap();
    expect(Object.getPrototypeOf(combined)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(combined, "__proto__")?.value).toBe(1);
  });
});

describe("combineObjectWithAllErrors()", () => {
  it("collects every error in key order", () => {
    const combined = combineObjectWithAllErrors({ id: id("x"), name: name(""), ok: ok(true) });
    expectTypeOf(combined).toEqualTypeOf<
      Result<{ id: number; name: string; ok: boolean }, (BadId | BadName)[]>
    >();
    expect(combined._unsafeUnwrapErr().map((e) => e._tag)).toEqual(["BadId", "BadName"]);
  });

  it("gives the values when all are ok", () => {
    expect(combineObjectWithAllErrors({ id: id("1") })._unsafeUnwrap()).toEqual({ id: 1 });
  });
});

describe("combineObjectAsync()", () => {
  it("mixes Result and ResultAsync and runs them concurrently", async () => {
    const order: string[] = [];
    const slow = new Promise<Result<string, never>>((resolve) =>
      setTimeout(() => {
        order.push("slow");
        resolve(ok("slow"));
      }, 20),
    );
    const fast = okAsync("fast").map((value) => {
      order.push("fast");
      return value;
    });
    const { ResultAsync: RA } = await import("../src/index.ts");
    const combined = combineObjectAsync({ slow: new RA(slow), fast, plain: ok(1) });
    expectTypeOf(combined).toEqualTypeOf<ResultAsync<{ slow: string; fast: string; plain: number }, never>>();
    expect((await combined)._unsafeUnwrap()).toEqual({ slow: "slow", fast: "fast", plain: 1 });
    expect(order).toEqual(["fast", "slow"]);
  });

  it("gives the first error in key order", async () => {
    const combined = await combineObjectAsync({ a: ok(1), b: errAsync(new BadName()), c: err(new BadId()) });
    expect(combined._unsafeUnwrapErr()).toBeInstanceOf(BadName);
  });
});

describe("combineObjectWithAllErrorsAsync()", () => {
  it("collects every error", async () => {
    const combined = await combineObjectWithAllErrorsAsync({
      a: errAsync(new BadId()),
      b: err(new BadName()),
    });
    expect(combined._unsafeUnwrapErr().map((e) => e._tag)).toEqual(["BadId", "BadName"]);
  });
});

describe("combineObject*() with symbol keys", () => {
  const key = Symbol("key");

  it("never drops an err stored under a symbol key", async () => {
    const results = { a: ok(1), [key]: err("lost before") };
    expect(combineObject(results)._unsafeUnwrapErr()).toBe("lost before");
    expect(combineObjectWithAllErrors(results)._unsafeUnwrapErr()).toEqual(["lost before"]);
    expect((await combineObjectAsync({ a: okAsync(1), [key]: errAsync("async") }))._unsafeUnwrapErr()).toBe(
      "async",
    );
    expect(
      (await combineObjectWithAllErrorsAsync({ [key]: errAsync("x"), b: err("y") }))._unsafeUnwrapErr(),
    ).toEqual(["y", "x"]);
  });

  it("keeps a symbol key's value", () => {
    const combined = combineObject({ a: ok(1), [key]: ok("s") })._unsafeUnwrap();
    expect(combined[key]).toBe("s");
  });
});
