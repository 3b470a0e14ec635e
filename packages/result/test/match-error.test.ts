import { describe, expect, expectTypeOf, it } from "vitest";
import { matchError, TaggedError } from "../src/index.ts";

class NotFound extends TaggedError("NotFound")<{ id: string }> {}
class Conflict extends TaggedError("Conflict")<{ key: string }> {}
class Timeout extends TaggedError("Timeout") {}
type AppError = NotFound | Conflict | Timeout;

const errors: AppError[] = [new NotFound({ id: "1" }), new Conflict({ key: "email" }), new Timeout()];

describe("matchError()", () => {
  it("calls the handler for the tag, with the error narrowed", () => {
    const described = errors.map((error) =>
      matchError(error, {
        NotFound: (e) => `missing ${e.id}`,
        Conflict: (e) => `conflict on ${e.key}`,
        Timeout: () => 504,
      }),
    );
    expect(described).toEqual(["missing 1", "conflict on email", 504]);
  });

  it("infers the union of the handlers' return types", () => {
    const error = errors[0] as AppError;
    const out = matchError(error, {
      NotFound: () => 1 as const,
      Conflict: () => "two" as const,
      Timeout: () => null,
    });
    expectTypeOf(out).toEqualTypeOf<1 | "two" | null>();
  });

  it("is exhaustive: a missing tag or an unknown tag does not compile", () => {
    const error = errors[2] as AppError;
    // @ts-expect-error: Timeout has no handler
    expect(() => matchError(error, { NotFound: () => 1, Conflict: () => 2 })).toThrow(TypeError);
    // @ts-expect-error: Gone is not a tag of the union
    matchError(error, { NotFound: () => 1, Conflict: () => 2, Timeout: () => 3, Gone: () => 4 });
  });

  it("throws a TypeError naming the tag when the types were bypassed", () => {
    const forged = { _tag: "Forged" } as unknown as Timeout;
    expect(() => matchError(forged, { Timeout: () => 1 })).toThrow('no handler for tag "Forged"');
  });
});
