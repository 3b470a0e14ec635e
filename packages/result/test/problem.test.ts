import { describe, expect, it } from "vitest";
import { createProblemMapper, TaggedError, type UnexpectedReport, ValidationError } from "../src/index.ts";

class UserNotFound extends TaggedError("UserNotFound")<{ userId: string }> {}
class DuplicateEmail extends TaggedError("DuplicateEmail")<{ email: string; internalRowId: number }> {}
class RateLimited extends TaggedError("RateLimited")<{ retryAfter: number }> {}
class Unmapped extends TaggedError("Unmapped")<{ table: string }> {}

const reports: UnexpectedReport[] = [];
const problems = createProblemMapper({
  statuses: {
    UserNotFound: { status: 404, expose: ["userId"] },
    DuplicateEmail: { status: 409, title: "Email already registered", expose: ["email"] },
    RateLimited: { status: 429, type: "https://errors.example.com/slow-down" },
    ValidationError: { status: 422, expose: ["issues"] },
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
    const problem = createProblemMapper({ statuses: { Sneaky: { status: 400, expose: "all" } } }).toProblem(
      new Sneaky({ status: 200, type: "x" }),
    );
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
    const problem = problems.toProblemUnchecked(error, { instance: "/x" });
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
    const problem = problems.toProblemUnchecked(new Error("x"), { correlationId: "req-42" });
    expect(problem.correlationId).toBe("req-42");
    expect(reports[0]?.correlationId).toBe("req-42");
  });

  it("generates a UUID correlation id by default", () => {
    const problem = createProblemMapper({ statuses: {} }).toProblemUnchecked(new Error("x"));
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
    const mapper = createProblemMapper({
      statuses: {
        ValidationError: { status: 422, expose: "all" },
        CleanupError: { status: 500, expose: "all" },
      },
    });
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

describe("createProblemMapper() exposes nothing it was not told to", () => {
  it("sends no field of a mapped tag by default", () => {
    const mapper = createProblemMapper({ statuses: { DuplicateEmail: 409 } });
    const problem = mapper.toProblem(new DuplicateEmail({ email: "ada@example.com", internalRowId: 7 }));
    expect(problem).toEqual({ type: "about:blank", title: "Conflict", status: 409 });
  });

  it("treats a plain object with a _tag like any mapped error: no field, no detail unless exposed", () => {
    const mapper = createProblemMapper({ statuses: { NotFound: 404 } });
    const forged = { _tag: "NotFound", message: "row 7 of users at 10.0.0.3", password: "hunter2" };
    const body = JSON.stringify(mapper.toProblemUnchecked(forged));
    expect(body).not.toContain("hunter2");
    expect(body).not.toContain("10.0.0.3");
  });

  it('sends every field with an explicit expose: "all"', () => {
    const mapper = createProblemMapper({ statuses: { DuplicateEmail: { status: 409, expose: "all" } } });
    const problem = mapper.toProblem(new DuplicateEmail({ email: "a@b.co", internalRowId: 7 }));
    expect(problem).toMatchObject({ email: "a@b.co", internalRowId: 7 });
  });

  it.each(["input", "primary", "cause", "stack", "status", "_tag", "message"])(
    "refuses at set-up to expose %j",
    (field) => {
      expect(() => createProblemMapper({ statuses: { X: { status: 400, expose: [field] } } })).toThrow(
        RangeError,
      );
    },
  );
});

describe("createProblemMapper() drops internal fields at any depth", () => {
  class Batch extends TaggedError("Batch")<{ failures: unknown[]; meta: Record<string, unknown> }> {}
  const mapper = createProblemMapper({ statuses: { Batch: { status: 400, expose: "all" } } });

  it("drops a nested ValidationError's input, a nested cause and stack, inside arrays and objects", () => {
    const nested = new ValidationError({
      issues: [{ path: ["password"], message: "Too short" }],
      input: { password: "hunter2" },
      cause: new Error("hunter2 in cause"),
    });
    const problem = mapper.toProblem(
      new Batch({
        failures: [nested, { deeper: [{ input: "hunter2", primary: "hunter2", ok: 1 }] }],
        meta: { stack: "at hunter2 (db.ts:1)", cause: "hunter2" },
      }),
    );
    const body = JSON.stringify(problem);
    expect(body).not.toContain("hunter2");
    expect(problem.failures).toEqual([
      { _tag: "ValidationError", issues: [{ path: ["password"], message: "Too short" }] },
      { deeper: [{ ok: 1 }] },
    ]);
  });

  it("drops them in serializeResult too", async () => {
    const { err, serializeResult } = await import("../src/index.ts");
    const nested = new ValidationError({ issues: [], input: "hunter2" });
    const wire = JSON.stringify(serializeResult(err(new Batch({ failures: [nested], meta: {} }))));
    expect(wire).not.toContain("hunter2");
  });

  it("never throws on fields JSON cannot encode, and answers with the mapped status", async () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const throwing = {
      get boom() {
        throw new Error("getter");
      },
      kept: true,
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const response = mapper.toResponse(
      new Batch({
        failures: [10n, Number.NaN, () => 1, Symbol("s"), undefined, revoked.proxy, deep],
        meta: { cyclic, throwing, when: new Date(0) },
      }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.failures.slice(0, 5)).toEqual(["10", null, null, null, null]);
    expect(body.meta).toMatchObject({
      cyclic: { name: "loop" },
      throwing: { kept: true },
      when: "1970-01-01T00:00:00.000Z",
    });
  });

  it("keeps a __proto__ field as data and never changes the body's prototype", () => {
    const fields = JSON.parse('{"meta":{"__proto__":{"polluted":true}},"failures":[]}');
    const problem = mapper.toProblem(new Batch(fields));
    expect(Object.getPrototypeOf(problem.meta)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("createProblemMapper() follows RFC 9457", () => {
  it("titles an about:blank problem with the status phrase (section 4.2.1)", () => {
    const mapper = createProblemMapper({ statuses: { UserNotFound: 404, Gone: 410, Odd: 499 } });
    expect(mapper.toProblem(new UserNotFound({ userId: "1" })).title).toBe("Not Found");
    expect(mapper.toProblem(new (TaggedError("Gone"))()).title).toBe("Gone");
    expect(mapper.toProblem(new (TaggedError("Odd"))()).title).toBe("Odd");
  });

  it("percent-encodes a tag in the type and adds the slash a typeBase lacks", () => {
    const mapper = createProblemMapper({
      statuses: { "Über Fehler": 400, UserNotFound: 404 },
      typeBase: "https://errors.example.com",
    });
    expect(mapper.toProblem(new (TaggedError("Über Fehler"))()).type).toBe(
      "https://errors.example.com/%C3%BCber-fehler",
    );
    expect(mapper.toProblem(new UserNotFound({ userId: "1" })).type).toBe(
      "https://errors.example.com/user-not-found",
    );
  });

  it("keeps a typeBase that already ends in / or #", () => {
    const hash = createProblemMapper({ statuses: { A: 400 }, typeBase: "https://example.com/errors#" });
    expect(hash.toProblem(new (TaggedError("A"))()).type).toBe("https://example.com/errors#a");
  });

  it.each([
    ["a relative typeBase", { typeBase: "errors/" }],
    ["a typeBase with a space", { typeBase: "https://example.com/my errors/" }],
  ])("refuses %s at set-up", (_, extra) => {
    expect(() => createProblemMapper({ statuses: { A: 400 }, ...extra })).toThrow(RangeError);
  });

  it("refuses a rule type that is not a URI reference", () => {
    expect(() => createProblemMapper({ statuses: { A: { status: 400, type: "not a uri" } } })).toThrow(
      RangeError,
    );
  });

  it('answers a tag mapped to "unexpected" as a reported generic 500', () => {
    const seen: unknown[] = [];
    class Timeout extends TaggedError("Timeout")<{ host: string }> {}
    const mapper = createProblemMapper({
      statuses: { Timeout: "unexpected" },
      onUnexpected: ({ error }) => seen.push(error),
    });
    const timeout = new Timeout({ host: "10.0.0.3" });
    const problem = mapper.toProblem(timeout);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain("10.0.0.3");
    expect(seen).toEqual([timeout]);
  });
});

describe("createProblemMapper() under hostile errors and options", () => {
  class Holder extends TaggedError("Holder")<{ id: string; rows?: unknown; entity?: unknown }> {}

  it("reads only the exposed fields: a private field is never walked", () => {
    let reads = 0;
    const rows = {
      get expensive() {
        reads++;
        return "x";
      },
    };
    const mapper = createProblemMapper({ statuses: { Holder: { status: 404, expose: ["id"] } } });
    expect(mapper.toProblem(new Holder({ id: "1", rows }))).toMatchObject({ id: "1" });
    expect(reads).toBe(0);
  });

  it("bounds the walk of a shared graph and a huge sparse array under expose: all", () => {
    let dag: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) dag = { a: dag, b: dag }; // 2^40 paths through 81 objects
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    const mapper = createProblemMapper({ statuses: { Holder: { status: 404, expose: "all" } } });
    const body = JSON.stringify(mapper.toProblem(new Holder({ id: "1", rows: dag, entity: sparse })));
    expect(body.length).toBeLessThan(1_000_000);
  });

  it("answers with no fields when the error is a proxy whose traps throw", async () => {
    const { err, serializeResult } = await import("../src/index.ts");
    const trap = () => {
      throw new Error("trap");
    };
    const mapper = createProblemMapper({ statuses: { Holder: { status: 404, expose: "all" } } });
    for (const handler of [{ ownKeys: trap }, { getOwnPropertyDescriptor: trap }]) {
      const proxy = new Proxy(new Holder({ id: "1" }), handler);
      expect(() => mapper.toProblemUnchecked(proxy)).not.toThrow();
      expect(() => JSON.stringify(serializeResult(err(proxy)))).not.toThrow();
    }
  });

  it("ignores options and context inherited from a polluted Object.prototype", () => {
    const proto = Object.prototype as { expose?: unknown; instance?: unknown };
    proto.expose = "all";
    proto.instance = "/polluted";
    try {
      const problem = createProblemMapper({ statuses: { Holder: 404 } }).toProblem(
        new Holder({ id: "secret" }),
      );
      expect(problem).toEqual({ type: "about:blank", title: "Not Found", status: 404 });
    } finally {
      delete proto.expose;
      delete proto.instance;
    }
  });

  it("still answers the 500 when onUnexpected or the correlation id maker throws", () => {
    const mapper = createProblemMapper({
      statuses: {},
      onUnexpected: ({ error }) => JSON.stringify(error), // a bigint: throws
      correlationId: () => {
        throw new Error("no ids today");
      },
    });
    const problem = mapper.toProblemUnchecked({ detail: 10n });
    expect(problem.status).toBe(500);
    expect(problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses to map UnexpectedError to a status, and refuses malformed rules, at set-up", () => {
    const bad: unknown[] = [
      { UnexpectedError: 400 },
      { A: { status: 400, expose: "id" } },
      { A: { status: 400, expose: "ALL" } },
      { A: { status: 400, expose: true } },
      { A: null },
      { A: { status: 400, type: "::::" } },
      { A: { status: 400, type: "a]b[c" } },
    ];
    for (const statuses of bad) {
      expect(() => createProblemMapper({ statuses } as never)).toThrow(RangeError);
    }
    expect(() =>
      createProblemMapper({ statuses: { "\uD800": 400 }, typeBase: "https://e.example/" }),
    ).toThrow(RangeError);
    expect(() => createProblemMapper({ statuses: {}, typeBase: "javascript:alert(1)//" })).toThrow(
      RangeError,
    );
  });

  it("splits acronyms in titles and types", () => {
    const mapper = createProblemMapper({ statuses: { HTTPTimeout: 504 }, typeBase: "https://e.example/" });
    const problem = mapper.toProblem(new (TaggedError("HTTPTimeout"))());
    expect(problem.type).toBe("https://e.example/http-timeout");
    expect(problem.title).toBe("HTTP Timeout");
  });
});
