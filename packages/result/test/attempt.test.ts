import { describe, expect, expectTypeOf, it } from "vitest";
import {
  attempt,
  attemptAsync,
  type Result,
  type ResultAsync,
  TaggedError,
  UnexpectedError,
} from "../src/index.ts";

class BadJson extends TaggedError("BadJson") {}
const toBadJson = (thrown: unknown) =>
  thrown instanceof SyntaxError ? new BadJson({ cause: thrown }) : undefined;

describe("attempt()", () => {
  it("returns ok with the function's value", () => {
    const parsed = attempt(() => JSON.parse("[1]") as number[]);
    expectTypeOf(parsed).toEqualTypeOf<Result<number[], UnexpectedError>>();
    expect(parsed._unsafeUnwrap()).toEqual([1]);
  });

  it("maps a throw to the typed error", () => {
    const parsed = attempt(() => JSON.parse("{oops") as unknown, toBadJson);
    expectTypeOf(parsed).toEqualTypeOf<Result<unknown, BadJson | UnexpectedError>>();
    const error = parsed._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BadJson);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("turns an unmapped throw into UnexpectedError keeping the cause", () => {
    const boom = new RangeError("internal detail");
    const result = attempt(() => {
      throw boom;
    }, toBadJson);
    const error = result._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(UnexpectedError);
    expect(error._tag).toBe("UnexpectedError");
    expect(error.cause).toBe(boom);
    expect(error.message).toBe("Unexpected error");
  });

  it("handles thrown non-errors (strings, undefined)", () => {
    for (const thrown of ["text", undefined, null, 0]) {
      const error = attempt(() => {
        throw thrown;
      })._unsafeUnwrapErr();
      expect(error.cause).toBe(thrown);
    }
  });
});

describe("attemptAsync()", () => {
  it("maps rejections and sync throws inside async code", async () => {
    const rejected = attemptAsync(() => Promise.reject(new SyntaxError("x")), toBadJson);
    expectTypeOf(rejected).toEqualTypeOf<ResultAsync<never, BadJson | UnexpectedError>>();
    expect((await rejected)._unsafeUnwrapErr()).toBeInstanceOf(BadJson);
    const thrown = await attemptAsync(() => {
      throw new Error("sync throw");
    });
    expect(thrown._unsafeUnwrapErr()).toBeInstanceOf(UnexpectedError);
  });

  it("resolves to ok with the awaited value", async () => {
    expect((await attemptAsync(async () => 42))._unsafeUnwrap()).toBe(42);
  });
});
