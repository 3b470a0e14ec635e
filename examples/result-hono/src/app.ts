/**
 * @module
 * A user sign-up API showing the `@keel/result` pattern on Hono:
 *
 * - expected failures (bad JSON, invalid input, a taken email, an unknown id) are values: each function
 *   returns a `Result` whose error is a tagged class, and `respond` turns it into JSON or a problem;
 * - one problem mapper, built at start-up, maps every tag to an RFC 9457 `application/problem+json` response;
 * - anything thrown is a bug: `problemOnError` answers a generic 500 carrying only a correlation id, and the
 *   same id is logged with the error.
 *
 * This file is runtime-neutral; `node.ts`, `bun.ts`, `deno.ts` and `worker.ts` only serve `app`.
 */
import {
  createProblemMapper,
  err,
  fromSchema,
  fromThrowable,
  ok,
  type Result,
  TaggedError,
  type UnexpectedReport,
  type ValidationError,
} from "@keel/result";
import { createResponder, problemOnError } from "@keel/result/hono";
import { Hono } from "hono";
import { z } from "zod";

// The expected failures. The literal tag is what the problem mapper (and matchError) switches on.
class InvalidJson extends TaggedError("InvalidJson") {}
class DuplicateEmail extends TaggedError("DuplicateEmail")<{ email: string }> {}
class UserNotFound extends TaggedError("UserNotFound")<{ id: string }> {}

/** A user as stored and returned. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

const SignUp = z.object({ email: z.email(), name: z.string().trim().min(1).max(100) });

// Built once: the schema becomes a parser returning Result<SignUp, ValidationError>.
const parseSignUp = fromSchema(SignUp);

// JSON.parse throws on malformed input; here that is an expected failure, so wrap it into a Result once.
// (`fromJson(SignUp)` does both steps in one, but answers bad JSON with a ValidationError; this API
// answers it with its own 400.)
const parseJson = fromThrowable(
  (text: string): unknown => JSON.parse(text),
  () => new InvalidJson(),
);

// In memory for the demo: one Map per process (per isolate on Workers), gone on restart.
const users = new Map<string, User>();

function createUser(input: z.infer<typeof SignUp>): Result<User, DuplicateEmail> {
  // A real store enforces this with a unique index and maps the violation to the same DuplicateEmail.
  for (const user of users.values()) {
    if (user.email === input.email) {
      return err(
        new DuplicateEmail({ email: input.email, message: "A user with this email already exists" }),
      );
    }
  }
  const user: User = { id: crypto.randomUUID(), ...input };
  users.set(user.id, user);
  return ok(user);
}

function findUser(id: string): Result<User, UserNotFound> {
  const user = users.get(id);
  return user === undefined ? err(new UserNotFound({ id, message: "No user has this id" })) : ok(user);
}

/** One JSON line per unexpected error: the client only sees the correlation id, so the log holds the rest. */
function logUnexpected({ error, correlationId }: UnexpectedReport): void {
  console.error(
    JSON.stringify({ level: "error", msg: "unexpected error", correlationId, error: describe(error) }),
  );
}

function describe(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return String(error);
  // A cause chain can loop (an error that is its own cause): stop after a few levels.
  const cause = error.cause === undefined || depth >= 5 ? {} : { cause: describe(error.cause, depth + 1) };
  return { name: error.name, message: error.message, stack: error.stack, ...cause };
}

/** Every error a route can answer with: the problem mapper must map each of these tags. */
type AppError = InvalidJson | ValidationError | DuplicateEmail | UserNotFound;

// Every tag the API can answer with, and its status. The type argument makes a misspelt or a forgotten tag
// a compile error, and `respond` refuses a Result whose error has a tag this table does not list. A field
// reaches the client only when listed in `expose`; throws become a generic 500.
const problems = createProblemMapper<AppError["_tag"]>({
  typeBase: "https://example.com/problems/",
  statuses: {
    InvalidJson: 400,
    // Only `issues` becomes a member: the rejected input is never echoed back.
    ValidationError: { status: 422, expose: ["issues"] },
    DuplicateEmail: 409,
    // The id is the caller's own path parameter, so echoing it tells them nothing new.
    UserNotFound: { status: 404, expose: ["id"] },
  },
  onUnexpected: logUnexpected,
});

/** Sign-up as one pipeline: the first failing step's error is the result. */
function signUp(body: string): Result<User, InvalidJson | ValidationError | DuplicateEmail> {
  return parseJson(body).andThen(parseSignUp).andThen(createUser);
}

// Built once: sends a Result as JSON (ok) or as a problem (err), from inside ordinary Hono handlers.
const respond = createResponder(problems);

const app = new Hono();

// The body is read as text, not with c.req.json(): what that throws differs by runtime, JSON.parse does not.
app.post("/users", async (c) => respond(c, signUp(await c.req.text()), { status: 201 }));

app.get("/users/:id", (c) => respond(c, findUser(c.req.param("id"))));

// A bug, not an expected failure: it throws, and the client learns nothing about it but a correlation id.
app.get("/boom", () => {
  throw new Error("connection to db-primary:5432 refused");
});

app.onError(problemOnError(problems));

export default app;
