import * as neverthrow from "neverthrow";
import { describe, expect, it } from "vitest";
import * as keel from "../src/index.ts";

class NotFound extends keel.TaggedError("NotFound") {}

describe("neverthrow re-exports", () => {
  it("are the very same functions and classes as neverthrow's", () => {
    const pairs: [unknown, unknown][] = [
      [keel.ok, neverthrow.ok],
      [keel.err, neverthrow.err],
      [keel.okAsync, neverthrow.okAsync],
      [keel.errAsync, neverthrow.errAsync],
      [keel.Result, neverthrow.Result],
      [keel.ResultAsync, neverthrow.ResultAsync],
      [keel.Ok, neverthrow.Ok],
      [keel.Err, neverthrow.Err],
      [keel.safeTry, neverthrow.safeTry],
      [keel.fromThrowable, neverthrow.fromThrowable],
      [keel.fromPromise, neverthrow.fromPromise],
      [keel.fromSafePromise, neverthrow.fromSafePromise],
      [keel.fromAsyncThrowable, neverthrow.fromAsyncThrowable],
    ];
    for (const [ours, theirs] of pairs) expect(ours).toBe(theirs);
  });

  it("Keel helpers accept Results made by plain neverthrow, and the other way round", async () => {
    const plain: neverthrow.Result<number, NotFound> = neverthrow.err(new NotFound());
    expect(keel.catchTags(plain, { NotFound: () => neverthrow.ok(1) })._unsafeUnwrap()).toBe(1);
    const combined = keel.combineObject({ a: neverthrow.ok(1), b: keel.ok(2) });
    expect(combined).toBeInstanceOf(neverthrow.Ok);
    const chained = neverthrow.okAsync(1).andThen(() => keel.attemptAsync(async () => 2));
    expect((await chained)._unsafeUnwrap()).toBe(2);
    expect(neverthrow.Result.combine([keel.ok(1), neverthrow.ok(2)])._unsafeUnwrap()).toEqual([1, 2]);
  });

  it("safeTry works with tagged errors", () => {
    const result = keel.safeTry(function* () {
      const a = yield* keel.ok(1);
      const b = yield* keel.err(new NotFound());
      return keel.ok(a + b);
    });
    expect(result._unsafeUnwrapErr()).toBeInstanceOf(NotFound);
  });
});
