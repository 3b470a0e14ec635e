import { describe, expect, expectTypeOf, it } from "vitest";
import { errorFields, isTagged, TaggedError } from "../src/index.ts";

class NotFound extends TaggedError("NotFound")<{ resource: string; id: string }> {}
class Conflict extends TaggedError("Conflict") {}

describe("TaggedError()", () => {
  it("makes real Error subclasses with a literal tag, name, message, stack and cause", () => {
    const cause = new Error("db said no");
    const error = new NotFound({ resource: "user", id: "42", message: "no such user", cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(NotFound);
    expect(error._tag).toBe("NotFound");
    expect(error.name).toBe("NotFound");
    expect(error.message).toBe("no such user");
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain("no such user");
    expect(error.resource).toBe("user");
    expect(error.id).toBe("42");
    expect(String(error)).toBe("NotFound: no such user");
    expectTypeOf(error._tag).toEqualTypeOf<"NotFound">();
    expectTypeOf(error.id).toEqualTypeOf<string>();
  });

  it("defaults the message to the tag and takes no argument when there are no fields", () => {
    const error = new Conflict();
    expect(error.message).toBe("Conflict");
    expect("cause" in error).toBe(false);
    expect(Conflict.tag).toBe("Conflict");
  });

  it("requires the declared fields and refuses reserved field names", () => {
    // @ts-expect-error: resource and id are required
    new NotFound();
    // @ts-expect-error: id must be a string
    new NotFound({ resource: "user", id: 42 });
    class Bad extends TaggedError("Bad")<{ cause: string }> {}
    // @ts-expect-error: a field may not be named cause (nor _tag, name, message, stack)
    new Bad({ cause: "x" });
  });

  it("keeps a __proto__ field from parsed JSON as data, never as the prototype", () => {
    const fields = JSON.parse('{"__proto__": {"polluted": true}, "resource": "r", "id": "1"}');
    const error = new NotFound(fields);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as unknown as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("makes fields read-only at run time", () => {
    const error = new NotFound({ resource: "user", id: "1" });
    expect(() => {
      (error as { id: string }).id = "2";
    }).toThrow(TypeError);
  });

  it("two classes with the same tag are structurally interchangeable", () => {
    class NotFoundCopy extends TaggedError("NotFound")<{ resource: string; id: string }> {}
    const copy: NotFound = new NotFoundCopy({ resource: "r", id: "1" });
    expect(copy._tag).toBe("NotFound");
  });
});

describe("errorFields()", () => {
  it("returns only the declared fields", () => {
    const error = new NotFound({ resource: "user", id: "42", message: "m", cause: new Error("c") });
    expect(errorFields(error)).toEqual({ resource: "user", id: "42" });
  });
});

describe("isTagged()", () => {
  it.each([
    [{ _tag: "NotFound" }, undefined, true],
    [new Conflict(), "Conflict", true],
    [new Conflict(), "NotFound", false],
    [new Error("plain"), undefined, false],
    [{ _tag: 1 }, undefined, false],
    [null, undefined, false],
    ["NotFound", undefined, false],
  ])("isTagged(%o, %s) is %s", (value, tag, expected) => {
    expect(isTagged(value, tag)).toBe(expected);
  });
});

describe("TaggedError() reserved fields", () => {
  it("never lets a field named constructor or __proto__ shadow what the instance inherits", () => {
    class Rec extends TaggedError("Rec") {}
    const fields = JSON.parse('{"constructor":{"x":1},"__proto__":{"y":2},"ok":1}');
    const error = new Rec(fields);
    expect(error.constructor).toBe(Rec);
    expect(Object.getPrototypeOf(error)).toBe(Rec.prototype);
    expect((error as unknown as { ok: number }).ok).toBe(1);
  });
});
