import { describe, expectTypeOf, it } from "vitest";
import { createResponder } from "../src/hono.ts";
import { createProblemMapper, err, type Result, TaggedError, UnexpectedError } from "../src/index.ts";

class UserNotFound extends TaggedError("UserNotFound")<{ id: string }> {}
class Banned extends TaggedError("Banned") {}

describe("createProblemMapper() types", () => {
  it("refuses a misspelt or missing tag when the tag union is given", () => {
    createProblemMapper<"UserNotFound" | "Banned">({
      // @ts-expect-error: "UserNotFuond" is not a tag of the union
      statuses: { UserNotFound: 404, Banned: 403, UserNotFuond: 410 },
    });
    // @ts-expect-error: Banned is missing
    createProblemMapper<"UserNotFound" | "Banned">({ statuses: { UserNotFound: 404 } });
  });

  it("refuses, in toResponse, an error whose tag is not mapped", () => {
    const problems = createProblemMapper({ statuses: { UserNotFound: 404, UserNotFuond: 410 } });
    const error = new Banned() as UserNotFound | Banned;
    // @ts-expect-error: Banned is not mapped
    problems.toResponse(error);
    // @ts-expect-error: an untagged Error is a silent 500, so it needs toResponseUnchecked
    problems.toResponse(new Error("x"));
    problems.toResponse(new UserNotFound({ id: "1" }));
    problems.toResponse(new UnexpectedError());
    problems.toResponseUnchecked(error);
  });

  it('accepts a tag mapped to "unexpected"', () => {
    const problems = createProblemMapper({ statuses: { UserNotFound: 404, Banned: "unexpected" } });
    problems.toResponse(new Banned() as UserNotFound | Banned);
  });

  it("refuses, in respond(c, result), a Result whose error union has an unmapped tag", () => {
    const respond = createResponder(createProblemMapper({ statuses: { UserNotFound: 404 } }));
    type Respond = typeof respond;
    const mapped: Result<{ id: string }, UserNotFound> = err(new UserNotFound({ id: "1" }));
    const unmapped: Result<{ id: string }, UserNotFound | Banned> = err(new Banned());
    expectTypeOf<Parameters<Respond>[1]>().not.toBeNever();
    const check = (c: Parameters<Respond>[0]) => {
      void respond(c, mapped);
      // @ts-expect-error: Banned is not mapped
      void respond(c, unmapped);
    };
    expectTypeOf(check).toBeFunction();
  });
});
