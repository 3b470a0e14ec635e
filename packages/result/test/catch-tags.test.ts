import { describe, expect, expectTypeOf, it } from "vitest";
import {
  catchTag,
  catchTags,
  err,
  errAsync,
  ok,
  okAsync,
  type Result,
  type ResultAsync,
  TaggedError,
} from "../src/index.ts";

class NotFound extends TaggedError("NotFound")<{ id: string }> {}
class Timeout extends TaggedError("Timeout") {}
class Forbidden extends TaggedError("Forbidden") {}
class Fallback extends TaggedError("Fallback") {}

const notFound = (): Result<number, NotFound | Timeout | Forbidden> => err(new NotFound({ id: "1" }));
const timeout = (): Result<number, NotFound | Timeout | Forbidden> => err(new Timeout());

describe("catchTags()", () => {
  it("handles the listed tags and narrows the rest out of the error union", () => {
    const recovered = catchTags(notFound(), { NotFound: (e) => ok(Number(e.id)) });
    expectTypeOf(recovered).toEqualTypeOf<Result<number, Timeout | Forbidden>>();
    expect(recovered._unsafeUnwrap()).toBe(1);
  });

  it("passes errors without a handler through unchanged", () => {
    const error = timeout();
    const passed = catchTags(error, { NotFound: () => ok(0) });
    expect(passed._unsafeUnwrapErr()).toBe(error._unsafeUnwrapErr());
  });

  it("adds the handlers' own ok and error types", () => {
    const mapped = catchTags(notFound(), {
      NotFound: () => ok("default" as const),
      Timeout: () => err(new Fallback()),
    });
    expectTypeOf(mapped).toEqualTypeOf<Result<number | "default", Forbidden | Fallback>>();
    expect(mapped._unsafeUnwrap()).toBe("default");
  });

  it("refuses a tag that is not in the union", () => {
    // @ts-expect-error: Gone is not a tag of NotFound | Timeout | Forbidden
    catchTags(notFound(), { Gone: () => ok(1) });
  });

  it("leaves an ok result alone and never calls a handler", () => {
    let called = false;
    const value: Result<number, NotFound> = ok(5);
    const same = catchTags(value, {
      NotFound: () => {
        called = true;
        return ok(0);
      },
    });
    expect(same._unsafeUnwrap()).toBe(5);
    expect(called).toBe(false);
  });

  it("works on ResultAsync, with sync or async handlers", async () => {
    const work: ResultAsync<number, NotFound | Timeout> = errAsync(new Timeout());
    const recovered = catchTags(work, { Timeout: () => okAsync(-1), NotFound: () => ok(0) });
    expectTypeOf(recovered).toEqualTypeOf<ResultAsync<number, never>>();
    expect((await recovered)._unsafeUnwrap()).toBe(-1);
  });

  it("passes untagged errors through (for unions typed loosely)", () => {
    const loose = err(new Error("plain")) as unknown as Result<number, NotFound>;
    expect(catchTags(loose, { NotFound: () => ok(0) }).isErr()).toBe(true);
  });
});

describe("catchTag()", () => {
  it("handles one tag on Result", () => {
    const recovered = catchTag(notFound(), "NotFound", (e) => ok(e.id.length));
    expectTypeOf(recovered).toEqualTypeOf<Result<number, Timeout | Forbidden>>();
    expect(recovered._unsafeUnwrap()).toBe(1);
  });

  it("handles one tag on ResultAsync", async () => {
    const work: ResultAsync<string, NotFound | Timeout> = errAsync(new NotFound({ id: "9" }));
    const recovered = catchTag(work, "NotFound", (e) => okAsync(`guest-${e.id}`));
    expectTypeOf(recovered).toEqualTypeOf<ResultAsync<string, Timeout>>();
    expect((await recovered)._unsafeUnwrap()).toBe("guest-9");
  });

  it("refuses a tag outside the union", () => {
    // @ts-expect-error: Gone is not a tag of the union
    catchTag(notFound(), "Gone", () => ok(1));
  });
});
