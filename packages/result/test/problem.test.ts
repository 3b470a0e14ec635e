import { describe, expect, it } from "vitest";
import { createProblemMapper, TaggedError, type UnexpectedReport, ValidationError } from "../src/index.ts";

class UserNotFound extends TaggedError("UserNotFound")<{ userId: string }> {}
class DuplicateEmail extends TaggedError("DuplicateEmail")<{ email: string; internalRowId: number }> {}
class RateLimited extends TaggedError("RateLimited")<{ retryAfter: number }> {}
class Unmapped extends TaggedError("Unmapped")<{ table: string }> {}

const reports: UnexpectedReport[] = [];
const problems = createProblemMapper({
  statuses: {
    UserNotFound: 404,
    DuplicateEmail: { status: 409, title: "Email already registered", expose: ["email"] },
    RateLimited: { status: 429, type: "https://errors.example.com/slow-down", expose: false },
    ValidationError: 422,
  },
  typeBase: "https://errors.example.com/",
  onUnexpected: (report) => reports.push(report),
  correlationId: () => "corr-1",
});

describe("createProblemMapper()", () => {
  it("maps a tag to its status, a type from typeBase, a humanised title, detail and fields", () => {
    const problem = problems.toProblem(new UserNotFound({ userId: "7", message: "No user 7" }), {
      instance: "/users/7",
    });
    expect(problem).toEqual({
      type: "https://errors.example.com/user-not-found",
      title: "User Not Found",
      status: 404,
      detail: "No user 7",
      instance: "/users/7",
      userId: "7",
    });
  });

  it("exposes only the listed fields, or none", () => {
    const dup = problems.toProblem(new DuplicateEmail({ email: "a@b.co", internalRowId: 99 }));
    expect(dup).toEqual({
      type: "https://errors.example.com/duplicate-email",
      title: "Email already registered",
      status: 409,
      email: "a@b.co",
    });
    const limited = problems.toProblem(new RateLimited({ retryAfter: 5 }));
    expect(limited).toEqual({
      type: "https://errors.example.com/slow-down",
      title: "Rate Limited",
      status: 429,
    });
  });

  it("carries validation issues for a 422", () => {
    const problem = problems.toProblem(
      new ValidationError({ issues: [{ path: ["email"], message: "Invalid email" }] }),
    );
    expect(problem.status).toBe(422);
    expect(problem.issues).toEqual([{ path: ["email"], message: "Invalid email" }]);
    expect(problem.detail).toBe("email: Invalid email");
  });

  it("never lets a field override a standard member", () => {
    class Sneaky extends TaggedError("Sneaky")<{ status: number; type: string }> {}
    const mapper = createProblemMapper({ statuses: { Sneaky: 400 } });
    const problem = mapper.toProblem(new Sneaky({ status: 200, type: "x" }));
    expect(problem.status).toBe(400);
    expect(problem.type).toBe("about:blank");
  });

  it.each([
    ["a plain Error", new Error("password=hunter2 at db.ts:12")],
    ["an unmapped tag", new Unmapped({ table: "users_hunter2", message: "hunter2" })],
    ["a thrown string", "hunter2"],
    ["undefined", undefined],
  ])("turns %s into a generic 500 with only a correlation id", (_, error) => {
    reports.length = 0;
    const problem = problems.toProblem(error, { instance: "/x" });
    expect(problem).toEqual({
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      instance: "/x",
      correlationId: "corr-1",
    });
    expect(JSON.stringify(problem)).not.toContain("hunter2");
    expect(reports).toEqual([{ error, correlationId: "corr-1" }]);
  });

  it("uses the caller's correlation id for the response and the report", () => {
    reports.length = 0;
    const problem = problems.toProblem(new Error("x"), { correlationId: "req-42" });
    expect(problem.correlationId).toBe("req-42");
    expect(reports[0]?.correlationId).toBe("req-42");
  });

  it("generates a UUID correlation id by default", () => {
    const problem = createProblemMapper({ statuses: {} }).toProblem(new Error("x"));
    expect(problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("builds an application/problem+json Response", async () => {
    const response = problems.toResponse(new UserNotFound({ userId: "1" }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, userId: "1" });
  });

  it("rejects a status outside 400-599 at set-up", () => {
    expect(() => createProblemMapper({ statuses: { Fine: 200 } })).toThrow(RangeError);
  });
});

describe("createProblemMapper() never exposes internal carriers", () => {
  it("drops a ValidationError's opt-in input and a CleanupError's primary, even when exposing all fields", async () => {
    const { CleanupError } = await import("../src/index.ts");
    const mapper = createProblemMapper({ statuses: { ValidationError: 422, CleanupError: 500 } });
    const invalid = new ValidationError({
      issues: [{ path: ["password"], message: "Too short" }],
      input: { password: "hunter2" },
    });
    expect(JSON.stringify(mapper.toProblem(invalid))).not.toContain("hunter2");
    const cleanup = new CleanupError({ cause: new Error("x"), primary: new Error("db at 10.0.0.3") });
    expect(mapper.toProblem(cleanup)).not.toHaveProperty("primary");
  });

  it("finds no handler on Object.prototype for hostile tags", async () => {
    const { catchTags, err, matchError } = await import("../src/index.ts");
    const forged = { _tag: "constructor" } as unknown as UserNotFound;
    expect(catchTags(err(forged), { UserNotFound: () => err(forged) }).isErr()).toBe(true);
    expect(() =>
      matchError({ _tag: "toString" } as unknown as UserNotFound, { UserNotFound: () => 1 }),
    ).toThrow(TypeError);
  });
});
