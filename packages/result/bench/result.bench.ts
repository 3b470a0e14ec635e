// Keel helpers against raw neverthrow (and hand-written code), same process. See scripts/lib/bench.ts.
import {
  catchTag,
  combineObject,
  err as keelErr,
  ok as keelOk,
  okAsync as keelOkAsync,
  matchError,
  resultDeserializer,
  serializeResult,
  TaggedError,
} from "@keel/result";
import { err, ok, okAsync, Result } from "neverthrow";
import * as z from "zod";
import { compare } from "../../../scripts/lib/bench.ts";

// Both sides run the same code (the re-exports are neverthrow's own functions), written out twice so that
// neither side runs on JIT feedback the other left behind.
const inc = (n: number) => n + 1;
const incOk = (n: number) => ok(n + 1);
const anchorChain = (start: Result<number, string>): Result<number, string> =>
  start
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk);
const keelChain = (start: Result<number, string>): Result<number, string> =>
  start
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk)
    .map(inc)
    .andThen(incOk);
const asyncChain = (start: typeof okAsync) =>
  start(0).map(inc).andThen(incOk).map(inc).andThen(incOk).map(inc);

compare({
  name: "10-step map/andThen chain, ok path",
  anchor: { label: "neverthrow ok()", run: () => anchorChain(ok(0)) },
  keel: { label: "@keel/result ok()", run: () => keelChain(keelOk(0)) },
});

compare({
  name: "10-step map/andThen chain, error path",
  anchor: { label: "neverthrow err()", run: () => anchorChain(err("nope")) },
  keel: { label: "@keel/result err()", run: () => keelChain(keelErr("nope")) },
});

compare({
  name: "ResultAsync 5-step chain",
  anchor: { label: "neverthrow okAsync()", run: () => asyncChain(okAsync) },
  keel: { label: "@keel/result okAsync()", run: () => asyncChain(keelOkAsync) },
});

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
const readUser = resultDeserializer({
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
  keel: { label: "resultDeserializer()", run: () => readUser(wire) },
});
