import fc from "fast-check";
import * as neverthrow from "neverthrow";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import {
  createResultDeserializer,
  DeserializeError,
  err,
  ok,
  okAsync,
  type Result,
  serializeResult,
  serializeResultAsync,
  TaggedError,
  UnexpectedError,
} from "../src/index.ts";

class NotFound extends TaggedError("NotFound")<{ resource: string; id: string }> {}
class Conflict extends TaggedError("Conflict") {}

const User = z.object({ id: z.string(), name: z.string() });
const readUser = createResultDeserializer({
  value: User,
  errors: [[NotFound, z.object({ resource: z.string(), id: z.string() })], Conflict],
});

const roundTrip = (result: Result<unknown, unknown>) =>
  readUser(JSON.parse(JSON.stringify(serializeResult(result))));

describe("serializeResult()", () => {
  it("writes ok values and tagged errors as plain JSON", () => {
    expect(serializeResult(ok({ id: "1" }))).toEqual({ ok: true, value: { id: "1" } });
    const error = new NotFound({
      resource: "user",
      id: "7",
      message: "gone",
      cause: new Error("secret cause"),
    });
    const wire = JSON.stringify(serializeResult(err(error)));
    expect(JSON.parse(wire)).toEqual({
      ok: false,
      error: { _tag: "NotFound", message: "gone", resource: "user", id: "7" },
    });
    expect(wire).not.toContain("secret cause");
    expect(wire).not.toContain("stack");
  });

  it("never sends an untagged error's message, nor an UnexpectedError's cause", () => {
    for (const error of [
      new Error("password=hunter2"),
      "hunter2",
      new UnexpectedError({ cause: "hunter2" }),
    ]) {
      const wire = JSON.stringify(serializeResult(err(error)));
      expect(wire).not.toContain("hunter2");
      expect(JSON.parse(wire).error._tag).toBe("UnexpectedError");
    }
  });

  it("awaits a ResultAsync", async () => {
    expect(await serializeResultAsync(okAsync(3))).toEqual({ ok: true, value: 3 });
  });

  it("accepts a Result made by plain neverthrow", () => {
    expect(serializeResult(neverthrow.err(new Conflict())).ok).toBe(false);
  });
});

describe("createResultDeserializer()", () => {
  it("round-trips ok values through the value schema", () => {
    const back = roundTrip(ok({ id: "1", name: "Ada" }));
    expectTypeOf(back).toEqualTypeOf<
      Result<{ id: string; name: string }, NotFound | Conflict | DeserializeError>
    >();
    expect(back._unsafeUnwrap()).toEqual({ id: "1", name: "Ada" });
  });

  it("rehydrates registered errors as real instances with validated fields", () => {
    const back = roundTrip(err(new NotFound({ resource: "user", id: "7", message: "gone" })));
    const error = back._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(NotFound);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ _tag: "NotFound", resource: "user", id: "7", message: "gone" });
    expect(roundTrip(err(new Conflict()))._unsafeUnwrapErr()).toBeInstanceOf(Conflict);
  });

  it("accepts JSON text too", () => {
    expect(readUser('{"ok":true,"value":{"id":"1","name":"A"}}').isOk()).toBe(true);
    expect(readUser("{not json")._unsafeUnwrapErr()).toBeInstanceOf(DeserializeError);
  });

  it.each([
    ["not an envelope", { value: 1 }, ["ok"]],
    ["an array", [true], ["ok"]],
    ["ok that is a string", { ok: "true", value: {} }, ["ok"]],
    ["a value failing its schema", { ok: true, value: { id: 1 } }, ["value", "id"]],
    ["an unknown tag", { ok: false, error: { _tag: "Gone", message: "x" } }, ["error", "_tag"]],
    ["an error without a tag", { ok: false, error: { message: "x" } }, ["error", "_tag"]],
    [
      "error fields failing their schema",
      { ok: false, error: { _tag: "NotFound", id: 7 } },
      ["error", "resource"],
    ],
    ["null", null, ["ok"]],
  ])("gives a DeserializeError for %s", (_, input, path) => {
    const error = readUser(input)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(DeserializeError);
    expect((error as DeserializeError).issues[0]?.path).toEqual(path);
  });

  it("drops unvalidated fields of a class registered without a schema", () => {
    const error = readUser({
      ok: false,
      error: { _tag: "Conflict", message: "m", extra: "injected" },
    })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(Conflict);
    expect("extra" in (error as object)).toBe(false);
  });

  it("does not echo hostile values, not even an unknown tag (no log injection)", () => {
    const secret = "s3cr3t-value";
    const bad = readUser({ ok: true, value: { id: secret, name: 5 } })._unsafeUnwrapErr();
    expect(JSON.stringify({ ...bad, message: bad.message })).not.toContain(secret);
    const injected = "\u001b[31mFAKE\n2026 INFO admin logged in";
    const unknown = readUser({ ok: false, error: { _tag: injected } })._unsafeUnwrapErr();
    expect(unknown.message).toBe("error._tag: Unknown error tag");
  });

  it("is not polluted by __proto__ in error fields", () => {
    const input = JSON.parse(
      '{"ok":false,"error":{"_tag":"NotFound","resource":"r","id":"1","__proto__":{"x":1}}}',
    );
    const error = readUser(input)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(NotFound);
    expect((error as unknown as { x?: number }).x).toBeUndefined();
  });

  it("returns a typed result and never throws for any input (fast-check)", () => {
    const envelope = fc.oneof(
      fc.anything(),
      fc.record({ ok: fc.boolean(), value: fc.anything(), error: fc.anything() }),
      fc.record({
        ok: fc.constant(false),
        error: fc.record({
          _tag: fc.constantFrom("NotFound", "Conflict", "Gone", "__proto__"),
          message: fc.anything(),
        }),
      }),
      fc.string(),
      fc.json(),
    );
    fc.assert(
      fc.property(envelope, (input) => {
        const back = readUser(input);
        if (back.isErr()) expect(back.error).toBeInstanceOf(Error);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips every serialisable NotFound (fast-check)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (resource, id, message) => {
        const back = roundTrip(err(new NotFound({ resource, id, message })))._unsafeUnwrapErr();
        expect(back).toMatchObject({ _tag: "NotFound", resource, id, message });
      }),
      { numRuns: 1000 },
    );
  });
});

describe("hostile wire errors for classes that need fields", () => {
  it("answers a DeserializeError instead of throwing when a registered class cannot be rebuilt", async () => {
    const { ValidationError } = await import("../src/index.ts");
    const read = createResultDeserializer({ value: User, errors: [ValidationError] });
    expect(read('{"ok":false,"error":{"_tag":"ValidationError"}}')._unsafeUnwrapErr()).toBeInstanceOf(
      DeserializeError,
    );
  });

  it("never sends a ValidationError's opt-in input over the wire", async () => {
    const { ValidationError } = await import("../src/index.ts");
    const error = new ValidationError({ issues: [], input: "hunter2" });
    expect(JSON.stringify(serializeResult(err(error)))).not.toContain("hunter2");
  });

  it("never throws on hostile parsed data: a throwing getter, a revoked Proxy, 10,000-deep values", () => {
    const getter = Object.defineProperty({}, "ok", {
      get() {
        throw new Error("getter");
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const input of [getter, revoked.proxy, { ok: false, error: revoked.proxy }]) {
      expect(readUser(input)._unsafeUnwrapErr()).toBeInstanceOf(DeserializeError);
    }
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const readAny = createResultDeserializer({ value: z.json(), errors: [] });
    const text = `{"ok":true,"value":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect(() => readAny({ ok: true, value: deep })).not.toThrow();
    expect(() => readAny(text)).not.toThrow();
  });
});
