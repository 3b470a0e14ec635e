import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { fromJson, fromSchema, fromSchemaAsync, type Result, ValidationError } from "../src/index.ts";

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

  it("throws a TypeError for an async schema (a programmer error), and leaves no unhandled rejection", async () => {
    const watch = watchRejections();
    // (An async check that *rejects* is left unhandled by Zod itself on any synchronous parse attempt.)
    const asyncSchema = z.string().refine(async () => true);
    expect(() => fromSchema(asyncSchema)("x")).toThrow(TypeError);
    await settle();
    watch.stop();
    expect(watch.seen).toEqual([]);
  });

  it("is not poisoned by an input that throws once: the same schema keeps working", async () => {
    const User = z.object({ name: z.string() });
    const parse = fromSchema(User);
    let reads = 0;
    const hostile = {
      get name() {
        if (reads++ === 0) throw new Error("once");
        return "x";
      },
    };
    expect(() => parse(hostile)).not.toThrow();
    await settle();
    expect(parse({ name: "ada" })._unsafeUnwrap()).toEqual({ name: "ada" });
    expect(fromJson(User)('{"name":"ada"}').isOk()).toBe(true);
  });

  it("answers a schema that reports failure with no issue with an 'Invalid value' issue", () => {
    const empty = { "~standard": { version: 1 as const, vendor: "x", validate: () => ({ issues: [] }) } };
    expect(fromSchema(empty)("x")._unsafeUnwrapErr().issues).toEqual([
      { path: [], message: "Invalid value" },
    ]);
  });

  it("ignores includeInput inherited from a polluted Object.prototype", () => {
    const proto = Object.prototype as { includeInput?: boolean };
    proto.includeInput = true;
    try {
      expect("input" in fromSchema(z.string())(12345)._unsafeUnwrapErr()).toBe(false);
    } finally {
      delete proto.includeInput;
    }
  });
});

// Collects unhandled rejections on the runtimes that report them to a listener; elsewhere a leaked
// rejection still fails the run, because vitest reports unhandled errors as failures.
function watchRejections(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const onEvent = (event: PromiseRejectionEvent) => seen.push(event.reason);
  const onNode = (reason: unknown) => seen.push(reason);
  globalThis.addEventListener?.("unhandledrejection", onEvent);
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  proc?.on?.("unhandledRejection", onNode);
  return {
    seen,
    stop() {
      globalThis.removeEventListener?.("unhandledrejection", onEvent);
      proc?.off?.("unhandledRejection", onNode);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("fromSchema() with a synchronous schema that throws", () => {
  const secret = "sk_live_hunter2";
  const cases: [string, z.ZodType, unknown][] = [
    ["a transform calling JSON.parse on a bad value", z.string().transform((raw) => JSON.parse(raw)), secret],
    [
      "a refine that throws with the value in its message",
      z.string().refine((raw) => {
        throw new Error(`bad ${raw}`);
      }),
      secret,
    ],
    ["z.json() on 10,000-deep input", z.json(), deepArray(10_000, secret)],
    ["a z.lazy tree on 10,000-deep input", Tree(), deepTree(10_000, secret)],
  ];

  it.each(cases)(
    "turns %s into a value-free ValidationError and leaves no unhandled rejection",
    async (_, schema, input) => {
      const watch = watchRejections();
      try {
        const parsed = fromSchema(schema)(input);
        expect(parsed.isErr()).toBe(true);
        const error = parsed._unsafeUnwrapErr();
        expect(error).toBeInstanceOf(ValidationError);
        expect(JSON.stringify({ issues: error.issues, message: error.message })).not.toContain(secret);
        expect(error.cause).toBeUndefined();
        await settle();
        expect(watch.seen).toEqual([]);
        // Still synchronous-throwing, not async: a second call is again a ValidationError, not a TypeError.
        expect(fromSchema(schema)(input).isErr()).toBe(true);
      } finally {
        watch.stop();
      }
    },
  );

  it("says the schema threw, and keeps what it threw as cause only with includeInput", () => {
    const schema = z.string().transform((raw) => JSON.parse(raw));
    const quiet = fromSchema(schema)("{bad")._unsafeUnwrapErr();
    expect(quiet.message).toBe("The schema threw while validating");
    expect(quiet.cause).toBeUndefined();
    const error = fromSchema(schema, { includeInput: true })("{bad")._unsafeUnwrapErr();
    expect(error.input).toBe("{bad");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("turns a throw from a non-zod validate() into a ValidationError", () => {
    const throwing = {
      "~standard": {
        version: 1 as const,
        vendor: "hand-written",
        validate: (value: unknown): never => {
          throw new Error(`refused ${String(value)}`);
        },
      },
    };
    const parsed = fromSchema(throwing)(secret);
    expect(parsed.isErr() && parsed.error.message).toBe("The schema threw while validating");
  });

  it("fromSchemaAsync() resolves to a ValidationError when the schema throws or rejects", async () => {
    const watch = watchRejections();
    const parsed = await fromSchemaAsync(z.string().transform((raw) => JSON.parse(raw)))(secret);
    expect(parsed.isErr()).toBe(true);
    expect(JSON.stringify(parsed._unsafeUnwrapErr().issues)).not.toContain(secret);
    await settle();
    watch.stop();
    expect(watch.seen).toEqual([]);
  });
});

function deepArray(depth: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

interface TreeNode {
  name: string;
  children: TreeNode[];
}
function Tree(): z.ZodType<TreeNode> {
  const node: z.ZodType<TreeNode> = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
  return node;
}
function deepTree(depth: number, name: string): TreeNode {
  let tree: TreeNode = { name, children: [] };
  for (let i = 0; i < depth; i++) tree = { name, children: [tree] };
  return tree;
}

describe("fromJson()", () => {
  const readLimits = fromJson(z.object({ rps: z.number() }));

  it("parses JSON text and validates it", () => {
    expect(readLimits('{"rps":50}')._unsafeUnwrap()).toEqual({ rps: 50 });
    expect(readLimits('{"rps":"fast"}')._unsafeUnwrapErr().issues[0]?.path).toEqual(["rps"]);
  });

  it("answers text that is not JSON with a ValidationError that quotes none of it", () => {
    const error = readLimits("{sk_live_hunter2")._unsafeUnwrapErr();
    expect(error.message).toBe("Not valid JSON");
    expect(JSON.stringify(error)).not.toContain("hunter2");
  });

  it("keeps __proto__ in the text as data", () => {
    const parsed = fromJson(z.record(z.string(), z.unknown()))('{"__proto__":{"polluted":true}}');
    expect(parsed.isOk()).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("returns ok or a ValidationError for any string, never throws (fast-check)", () => {
    const read = fromJson(z.json());
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant("[".repeat(10_000))), (text) => {
        const parsed = read(text);
        expect(parsed.isOk() || parsed.error instanceof ValidationError).toBe(true);
      }),
      { numRuns: 1000 },
    );
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
