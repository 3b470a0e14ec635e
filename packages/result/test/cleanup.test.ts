import { describe, expect, it } from "vitest";
import {
  andFinally,
  CleanupError,
  err,
  errAsync,
  ok,
  okAsync,
  type Result,
  ResultAsync,
  TaggedError,
} from "../src/index.ts";

class QueryFailed extends TaggedError("QueryFailed") {}

describe("andFinally()", () => {
  it("runs the cleanup on the ok path and keeps the value", async () => {
    const calls: string[] = [];
    const result = await andFinally(okAsync("rows"), () => {
      calls.push("close");
    });
    expect(result._unsafeUnwrap()).toBe("rows");
    expect(calls).toEqual(["close"]);
  });

  it("runs the cleanup on the error path and keeps the error", async () => {
    let closed = false;
    const failure = new QueryFailed();
    const result = await andFinally(errAsync(failure), async () => {
      closed = true;
    });
    expect(result._unsafeUnwrapErr()).toBe(failure);
    expect(closed).toBe(true);
  });

  it("runs the cleanup after the work has settled", async () => {
    const calls: string[] = [];
    const work = new ResultAsync(
      new Promise<Result<number, never>>((resolve) => setTimeout(() => resolve(ok(calls.push("work"))), 10)),
    );
    await andFinally(work, () => {
      calls.push("cleanup");
    });
    expect(calls).toEqual(["work", "cleanup"]);
  });

  it("reports a throwing cleanup as CleanupError on the ok path", async () => {
    const closeFailure = new Error("close failed");
    const result = await andFinally(okAsync(1), () => {
      throw closeFailure;
    });
    const error = result._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(CleanupError);
    expect((error as CleanupError).cause).toBe(closeFailure);
  });

  it("keeps both failures when work and cleanup fail", async () => {
    const failure = new QueryFailed();
    const result = await andFinally(errAsync(failure), () => errAsync("release failed"));
    const error = result._unsafeUnwrapErr() as CleanupError;
    expect(error._tag).toBe("CleanupError");
    expect(error.primary).toBe(failure);
    expect(error.cause).toBe("release failed");
  });

  it("treats a cleanup returning err (sync Result) or rejecting as a failure", async () => {
    expect((await andFinally(okAsync(1), () => err("no")))._unsafeUnwrapErr()).toBeInstanceOf(CleanupError);
    expect(
      (await andFinally(okAsync(1), () => Promise.reject(new Error("x"))))._unsafeUnwrapErr(),
    ).toBeInstanceOf(CleanupError);
  });

  it("still cleans up when the work promise itself rejects, then rejects", async () => {
    let closed = false;
    const broken = new ResultAsync<number, never>(Promise.reject(new Error("bug")));
    await expect(
      andFinally(broken, () => {
        closed = true;
      }),
    ).rejects.toThrow("bug");
    expect(closed).toBe(true);
  });

  it("rejects with a CleanupError holding both when the work rejects and the cleanup fails", async () => {
    const bug = new Error("bug");
    const broken = new ResultAsync<number, never>(Promise.reject(bug));
    const rejection = await andFinally(broken, () => {
      throw new Error("close failed");
    }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(rejection).toBeInstanceOf(CleanupError);
    expect((rejection as CleanupError).primary).toBe(bug);
    expect(((rejection as CleanupError).cause as Error).message).toBe("close failed");
  });
});
