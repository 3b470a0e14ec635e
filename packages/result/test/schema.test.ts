import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { fromSchema, fromSchemaAsync, type Result, ValidationError } from "../src/index.ts";

const User = z.object({
  email: z.email(),
  age: z.number().int().min(0),
  tags: z.array(z.string()).optional(),
});
const parseUser = fromSchema(User);

describe("fromSchema() with Zod 4", () => {
  it("returns ok with the schema's output type", () => {
    const parsed = parseUser({ email: "ada@example.com", age: 36 });
    expectTypeOf(parsed).toEqualTypeOf<Result<z.output<typeof User>, ValidationError>>();
    expect(parsed._unsafeUnwrap()).toEqual({ email: "ada@example.com", age: 36 });
  });

  it("returns a tagged ValidationError with every issue's path and message", () => {
    const error = parseUser({ email: "not-an-email", age: -1, tags: ["ok", 3] })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error._tag).toBe("ValidationError");
    expect(error.issues.map((issue) => issue.path)).toEqual([["email"], ["age"], ["tags", 1]]);
    expect(error.issues.every((issue) => issue.message.length > 0)).toBe(true);
    expect(error.message).toContain("email:");
  });

  it("does not echo the input unless asked", () => {
    const secretish = "hunter2-not-an-email";
    const error = parseUser({ email: secretish, age: 1 })._unsafeUnwrapErr();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secretish);
    expect("input" in error).toBe(false);
    const withInput = fromSchema(User, { includeInput: true })({ email: secretish })._unsafeUnwrapErr();
    expect(withInput.input).toEqual({ email: secretish });
  });

  it("throws a TypeError for an async schema (a programmer error)", () => {
    const asyncSchema = z.string().refine(async () => true);
    expect(() => fromSchema(asyncSchema)("x")).toThrow(TypeError);
  });
});

describe("fromSchema() with Valibot", () => {
  it("works with any Standard Schema", () => {
    const parse = fromSchema(v.object({ slug: v.pipe(v.string(), v.regex(/^[a-z-]+$/)) }));
    expect(parse({ slug: "hello-world" })._unsafeUnwrap()).toEqual({ slug: "hello-world" });
    expect(parse({ slug: "Nope!" })._unsafeUnwrapErr().issues[0]?.path).toEqual(["slug"]);
  });
});

describe("fromSchemaAsync()", () => {
  it("handles async refinements", async () => {
    const taken = new Set(["ada"]);
    const parseName = fromSchemaAsync(z.string().refine(async (name) => !taken.has(name), "taken"));
    expect((await parseName("grace"))._unsafeUnwrap()).toBe("grace");
    expect((await parseName("ada"))._unsafeUnwrapErr().issues).toEqual([{ path: [], message: "taken" }]);
  });
});

describe("schema bridges on hostile input", () => {
  it("return ok or a ValidationError for any value, never throw (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true }),
        (input) => {
          const parsed = parseUser(input);
          if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(ValidationError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("async bridge never rejects for any value (fast-check)", async () => {
    const parse = fromSchemaAsync(User);
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (input) => {
        const parsed = await parse(input);
        if (parsed.isErr()) expect(parsed.error._tag).toBe("ValidationError");
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps symbol keys as strings in paths", () => {
    const issues = fromSchema({
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => ({ issues: [{ message: "bad", path: [Symbol("s"), { key: 2 }] }] }),
      },
    })(null)._unsafeUnwrapErr().issues;
    expect(issues[0]?.path).toEqual(["Symbol(s)", 2]);
  });
});
