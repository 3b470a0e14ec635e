/**
 * @module
 * A users-and-teams API showing `@keel/brand` on Hono:
 *
 * - ids and fields are branded types (`UserId`, `TeamId`, `Email`, `NonEmptyString`): validated once, at the
 *   edge, by `sValidator` with the brands as schemas; past it, handlers and store functions take the brands,
 *   so a raw string, or a `TeamId` where a `UserId` belongs, does not compile;
 * - bad input is an RFC 9457 problem that never echoes the rejected value: a malformed path id is a 400
 *   `BrandError`, an invalid body a 422 `ValidationError`, both mapped by one `@keel/result` problem mapper;
 * - expected failures (an unknown id) are `Result`s, and anything thrown is a generic 500 (`problemOnError`).
 *
 * This file is runtime-neutral; `node.ts`, `bun.ts`, `deno.ts` and `worker.ts` only serve `app`.
 */
import { sValidator } from "@hono/standard-validator";
import { BrandError, type BrandOf, definePrefixedId, Email, NonEmptyString } from "@keel/brand";
import { toZod } from "@keel/brand/zod";
import { createProblemMapper, err, ok, type Result, TaggedError, ValidationError } from "@keel/result";
import { createResponder, problemOnError } from "@keel/result/hono";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";

// Stripe-style ids: `usr_01k...`, `team_01k...`. Both are strings at run time; their types do not mix.
const UserId = definePrefixedId("UserId", "usr");
type UserId = BrandOf<typeof UserId>;
const TeamId = definePrefixedId("TeamId", "team");
type TeamId = BrandOf<typeof TeamId>;

class UserNotFound extends TaggedError("UserNotFound") {}
class TeamNotFound extends TaggedError("TeamNotFound") {}
class MalformedJson extends TaggedError("MalformedJson") {}

/** A user as stored and returned. */
export interface User {
  readonly id: UserId;
  readonly email: Email;
  readonly name: NonEmptyString;
}

/** A team as returned: its members are user ids, not strings. */
export interface Team {
  readonly id: TeamId;
  readonly name: NonEmptyString;
  readonly members: readonly UserId[];
}

// Bodies: Zod objects whose fields are brands, so `c.req.valid("json")` is already branded (and normalised:
// Email trims and lower-cases the domain).
const NewUser = z.object({ email: toZod(Email), name: toZod(NonEmptyString) });
const NewTeam = z.object({ name: toZod(NonEmptyString) });
const NewMember = z.object({ userId: toZod(UserId) });

// In memory for the demo: one Map per process (per isolate on Workers), gone on restart.
const users = new Map<UserId, User>();
const teams = new Map<TeamId, { name: NonEmptyString; members: Set<UserId> }>();

function createUser(input: z.infer<typeof NewUser>): User {
  // generate() is valid by construction: no parse needed.
  const user: User = { id: UserId.generate(), ...input };
  users.set(user.id, user);
  return user;
}

function findUser(id: UserId): Result<User, UserNotFound> {
  const user = users.get(id);
  return user === undefined ? err(new UserNotFound({ message: "No user has this id" })) : ok(user);
}

function createTeam(name: NonEmptyString): Team {
  const id = TeamId.generate();
  teams.set(id, { name, members: new Set() });
  return { id, name, members: [] };
}

function addMember(teamId: TeamId, userId: UserId): Result<Team, TeamNotFound | UserNotFound> {
  const team = teams.get(teamId);
  if (team === undefined) return err(new TeamNotFound({ message: "No team has this id" }));
  return findUser(userId).map(() => {
    team.members.add(userId);
    return { id: teamId, name: team.name, members: [...team.members] };
  });
}

// Never called; tsc checks it. Both ids are strings at run time, yet a TeamId is not a UserId:
// @ts-expect-error Argument of type 'TeamId' is not assignable to parameter of type 'UserId'.
const _mixedUp = (teamId: TeamId) => findUser(teamId);

// Every tag the API answers with (the type argument refuses a misspelt or missing tag at compile time). Only
// `brand` and `issues` become members, because only they are listed in `expose`: never the rejected input.
type ApiErrorTag = "BrandError" | "MalformedJson" | "ValidationError" | "UserNotFound" | "TeamNotFound";
const problems = createProblemMapper<ApiErrorTag>({
  typeBase: "https://example.com/problems/",
  statuses: {
    BrandError: { status: 400, title: "Malformed Id", expose: ["brand", "issues"] },
    MalformedJson: 400,
    ValidationError: { status: 422, expose: ["issues"] },
    UserNotFound: 404,
    TeamNotFound: 404,
  },
  // Unmapped errors (bugs) are a 500 carrying only a correlation id: log it with the error.
  onUnexpected: ({ error, correlationId }) =>
    console.error(JSON.stringify({ level: "error", correlationId, error: String(error) })),
});

// `instance` is the request path, except for malformed ids: their path holds the rejected id, so they pass
// the route pattern ("/users/:id") instead. Only errors whose tag the mapper maps compile here.
const problem = (c: Context, error: BrandError | ValidationError, instance: string = c.req.path): Response =>
  problems.toResponse(error, { instance });

// `ok` as JSON, `err` as a problem; used inside plain handlers, which keep the validators' types.
const respond = createResponder(problems);

type Validated = { success: true } | { success: false; error: readonly StandardSchemaV1.Issue[] };

// sValidator's own failure answer is a 400 JSON that echoes the rejected input back (`data`); these hooks
// answer a problem built from the issues alone (`ValidationError.fromIssues` keeps paths and messages only).

/** Path params: a malformed id is a 400 naming the brand it failed. */
const malformedId =
  (brand: { readonly brandName: string }) =>
  (result: Validated, c: Context): Response | undefined =>
    result.success
      ? undefined
      : problem(
          c,
          new BrandError({ brand: brand.brandName, issues: ValidationError.fromIssues(result.error).issues }),
          c.req.routePath,
        );

/** JSON bodies: well-formed but invalid is a 422 listing the issues. */
const invalidBody = (result: Validated, c: Context): Response | undefined =>
  result.success ? undefined : problem(c, ValidationError.fromIssues(result.error));

const app = new Hono();

app.post("/users", sValidator("json", NewUser, invalidBody), (c) =>
  c.json(createUser(c.req.valid("json")), 201),
);

app.get("/users/:id", sValidator("param", z.object({ id: toZod(UserId) }), malformedId(UserId)), (c) =>
  respond(c, findUser(c.req.valid("param").id)),
);

app.post("/teams", sValidator("json", NewTeam, invalidBody), (c) =>
  c.json(createTeam(c.req.valid("json").name), 201),
);

// Param first: a malformed team id is a 400 whatever the body holds.
app.post(
  "/teams/:teamId/members",
  sValidator("param", z.object({ teamId: toZod(TeamId) }), malformedId(TeamId)),
  sValidator("json", NewMember, invalidBody),
  (c) => respond(c, addMember(c.req.valid("param").teamId, c.req.valid("json").userId)),
);

// A bug, not an expected failure: the client learns nothing about it but a correlation id.
app.get("/boom", () => {
  throw new Error("connection to db-primary:5432 refused");
});

// Hono's validator throws an HTTPException (400) for a body that is not JSON at all. problemOnError would
// answer it as an about:blank problem; this app gives it a problem type of its own, like its other errors.
const onError = problemOnError(problems);
app.onError((error, c) =>
  onError(
    error instanceof HTTPException && error.status === 400
      ? new MalformedJson({ message: "The request body is not valid JSON" })
      : error,
    c,
  ),
);

export default app;
