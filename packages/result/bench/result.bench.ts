// Keel helpers against raw neverthrow, Zod and hand-written code, same process. See scripts/lib/bench.ts.
// neverthrow's own chains are not measured: @keel/result re-exports them unchanged, so that row would
// compare a function with itself.
import {
  catchTag,
  combineObject,
  createProblemMapper,
  createResultDeserializer,
  fromJson,
  fromSchema,
  matchError,
  serializeResult,
  TaggedError,
} from "@keel/result";
import { err, ok, Result } from "neverthrow";
import * as z from "zod";
import { compare } from "../../../scripts/lib/bench.ts";

class NotFound extends TaggedError("NotFound")<{ id: string }> {}
class Conflict extends TaggedError("Conflict") {}
class Timeout extends TaggedError("Timeout") {}
type AppError = NotFound | Conflict | Timeout;
const errors: AppError[] = [new NotFound({ id: "1" }), new Conflict(), new Timeout()];
let next = 0;
function statusBySwitch(error: AppError): number {
  switch (error._tag) {
    case "NotFound":
      return 404;
    case "Conflict":
      return 409;
    case "Timeout":
      return 504;
  }
}

compare({
  name: "matchError vs switch on _tag",
  anchor: {
    label: "hand-written switch",
    run: () => statusBySwitch(errors[next++ % 3] as AppError),
  },
  keel: {
    label: "matchError()",
    run: () =>
      matchError(errors[next++ % 3] as AppError, {
        NotFound: () => 404,
        Conflict: () => 409,
        Timeout: () => 504,
      }),
  },
});

const statusHandlers = { NotFound: () => 404, Conflict: () => 409, Timeout: () => 504 };
compare({
  name: "matchError with handlers built once vs switch",
  anchor: {
    label: "hand-written switch",
    run: () => statusBySwitch(errors[next++ % 3] as AppError),
  },
  keel: {
    label: "matchError(error, statusHandlers)",
    run: () => matchError(errors[next++ % 3] as AppError, statusHandlers),
  },
});

const notFound: Result<number, AppError> = err(new NotFound({ id: "1" }));
compare({
  name: "recover one tag of an error union",
  anchor: {
    label: "orElse + if on _tag",
    run: () => notFound.orElse((error) => (error._tag === "NotFound" ? ok(0) : err(error))),
  },
  keel: { label: "catchTag()", run: () => catchTag(notFound, "NotFound", () => ok(0)) },
});

compare({
  name: "combine an object of 3 Results",
  anchor: {
    label: "Result.combine([...]).map(to object)",
    run: () => Result.combine([ok(1), ok("b"), ok(true)]).map(([a, b, c]) => ({ a, b, c })),
  },
  keel: { label: "combineObject()", run: () => combineObject({ a: ok(1), b: ok("b"), c: ok(true) }) },
});

const User = z.object({ id: z.string(), name: z.string(), email: z.string() });
const user = { id: "u_1", name: "Ada Lovelace", email: "ada@example.com" };
const readUser = createResultDeserializer({
  value: User,
  errors: [[NotFound, z.object({ id: z.string() })], Conflict],
});
const wire = JSON.stringify({ ok: true, value: user });

compare({
  name: "serialise an ok Result",
  anchor: { label: "JSON.stringify({ ok, value })", run: () => JSON.stringify({ ok: true, value: user }) },
  keel: { label: "JSON.stringify(serializeResult())", run: () => JSON.stringify(serializeResult(ok(user))) },
});

compare({
  name: "deserialise + validate an ok Result",
  anchor: {
    label: "JSON.parse + zod safeParse",
    run: () => {
      const parsed = JSON.parse(wire) as { ok: boolean; value: unknown };
      return parsed.ok ? User.safeParse(parsed.value) : undefined;
    },
  },
  keel: { label: "createResultDeserializer()", run: () => readUser(wire) },
});

const parseUser = fromSchema(User);
compare({
  name: "validate a valid object",
  anchor: { label: "zod safeParse", run: () => User.safeParse(user) },
  keel: { label: "fromSchema(User)", run: () => parseUser(user) },
});

const badUser = { id: "u_1", name: 7, email: "ada@example.com" };
compare({
  name: "validate an invalid object",
  anchor: { label: "zod safeParse", run: () => User.safeParse(badUser) },
  keel: { label: "fromSchema(User)", run: () => parseUser(badUser) },
});

const readUserJson = fromJson(User);
const userJson = JSON.stringify(user);
compare({
  name: "parse JSON text and validate",
  anchor: { label: "JSON.parse + zod safeParse", run: () => User.safeParse(JSON.parse(userJson)) },
  keel: { label: "fromJson(User)", run: () => readUserJson(userJson) },
});

const problems = createProblemMapper<"NotFound">({ statuses: { NotFound: { status: 404, expose: ["id"] } } });
const missing = new NotFound({ id: "7" });
compare({
  name: "error to a problem+json Response",
  anchor: {
    label: "hand-written new Response(JSON.stringify(...))",
    run: () =>
      new Response(JSON.stringify({ type: "about:blank", title: "Not Found", status: 404, id: missing.id }), {
        status: 404,
        headers: { "content-type": "application/problem+json" },
      }),
  },
  keel: { label: "problems.toResponse()", run: () => problems.toResponse(missing) },
});
