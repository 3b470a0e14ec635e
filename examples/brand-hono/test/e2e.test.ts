/**
 * The example over real HTTP, once per runtime: each `describe` starts the app on a free loopback port,
 * sends requests with fetch and stops the server afterwards.
 */
import { fileURLToPath } from "node:url";
import { type ExampleServer, exampleRuntimes, onRuntime, startExample } from "@keel/testing/example-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const PROBLEM_JSON = "application/problem+json";

const uniqueEmail = (): string => `${crypto.randomUUID()}@example.com`;
// Well-formed ids that no user or team has: a prefix, then 26 Crockford base32 digits, the first 0-7.
const UNKNOWN_USER_ID = "usr_01k0000000000000000000000z";
const UNKNOWN_TEAM_ID = "team_01k0000000000000000000000z";

for (const runtime of exampleRuntimes)
  describe(`brand-hono on ${runtime}`, onRuntime(runtime), () => {
    let server: ExampleServer;

    beforeAll(async () => {
      server = await startExample({ dir, runtime });
    });

    afterAll(async () => {
      await server?.stop();
    });

    const post = (path: string, body: string): Promise<Response> =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });

    async function createUser(): Promise<{ id: string; email: string; name: string }> {
      const response = await post("/users", JSON.stringify({ email: uniqueEmail(), name: "Ada" }));
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; email: string; name: string };
    }

    async function createTeam(): Promise<{ id: string }> {
      const response = await post("/teams", JSON.stringify({ name: "Engines" }));
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string };
    }

    async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe(PROBLEM_JSON);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
      return problem;
    }

    it("POST /users creates a user with a generated UserId (201), normalising the email", async () => {
      const local = crypto.randomUUID();
      const created = await post("/users", JSON.stringify({ email: ` ${local}@Example.COM `, name: "Ada" }));
      expect(created.status).toBe(201);
      expect(created.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await created.json()).toEqual({
        id: expect.stringMatching(/^usr_[0-7][0-9a-hjkmnp-tv-z]{25}$/),
        email: `${local}@example.com`,
        name: "Ada",
      });
    });

    it("GET /users/:id returns the user (200)", async () => {
      const user = await createUser();
      const fetched = await fetch(`${server.url}/users/${user.id}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toEqual(user);
    });

    it("GET /users/:id for a well-formed unknown id is a 404 UserNotFound problem", async () => {
      const problem = await expectProblem(await fetch(`${server.url}/users/${UNKNOWN_USER_ID}`), 404);
      expect(problem).toEqual({
        type: "https://example.com/problems/user-not-found",
        title: "User Not Found",
        status: 404,
        detail: "No user has this id",
        instance: `/users/${UNKNOWN_USER_ID}`,
      });
    });

    const notUsr = "Expected a usr_ id, but it does not start with usr_";
    it.each([
      ["not an id at all", "not-a-user-id", notUsr],
      ["a TeamId where a UserId belongs", UNKNOWN_TEAM_ID, notUsr],
      [
        "a UserId with too few digits",
        "usr_abc",
        "Expected a usr_ id, but it has 3 characters after usr_, not 26",
      ],
      [
        "a UserId with a character outside the alphabet",
        "usr_01k000000000000000000000iu",
        "Expected a usr_ id, but it has a character that is not a Crockford base32 digit (0-9 and a-z without i, l, o, u)",
      ],
    ])(
      "GET /users/:id with %s is a 400 BrandError problem saying what is wrong, without the id",
      async (_, id, message) => {
        const problem = await expectProblem(await fetch(`${server.url}/users/${id}`), 400);
        expect(problem).toEqual({
          type: "https://example.com/problems/brand-error",
          title: "Malformed Id",
          status: 400,
          detail: `Not a valid UserId: ${message}`,
          instance: "/users/:id",
          brand: "UserId",
          issues: [{ path: ["id"], message }],
        });
        expect(JSON.stringify(problem)).not.toContain(id);
      },
    );

    it("POST /users with an invalid body is a 422 problem listing the issues, without the input", async () => {
      const noAt = "Expected an email address, but it has no @";
      const nothingVisible =
        "Expected a non-empty string, but it has no visible character (only whitespace, control or invisible formatting characters)";
      const problem = await expectProblem(
        await post("/users", JSON.stringify({ email: "ada-at-example.com", name: " \u200B\u202E " })),
        422,
      );
      expect(problem).toEqual({
        type: "https://example.com/problems/validation-error",
        title: "Validation Error",
        status: 422,
        detail: `email: ${noAt}; name: ${nothingVisible}`,
        instance: "/users",
        issues: [
          { path: ["email"], message: noAt },
          { path: ["name"], message: nothingVisible },
        ],
      });
      expect(JSON.stringify(problem)).not.toContain("ada-at-example.com");
    });

    it("POST /users with missing fields is a 422 problem", async () => {
      const problem = await expectProblem(await post("/users", "{}"), 422);
      const issues = problem.issues as { path: string[] }[];
      expect(issues.map((issue) => issue.path)).toEqual([["email"], ["name"]]);
    });

    it("POST /users with malformed JSON is a 400 MalformedJson problem", async () => {
      const problem = await expectProblem(await post("/users", "{ not json"), 400);
      expect(problem).toMatchObject({
        type: "https://example.com/problems/malformed-json",
        instance: "/users",
      });
      expect(JSON.stringify(problem)).not.toContain("not json");
    });

    it("POST /teams/:teamId/members adds a user to a team (200)", async () => {
      const [user, team] = await Promise.all([createUser(), createTeam()]);
      const response = await post(`/teams/${team.id}/members`, JSON.stringify({ userId: user.id }));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: team.id, name: "Engines", members: [user.id] });
    });

    it("POST /teams/:teamId/members with a TeamId as the userId is a 422 problem without it", async () => {
      const team = await createTeam();
      const problem = await expectProblem(
        await post(`/teams/${team.id}/members`, JSON.stringify({ userId: team.id })),
        422,
      );
      expect(problem.issues).toEqual([
        { path: ["userId"], message: "Expected a usr_ id, but it does not start with usr_" },
      ]);
      // The path holds the (valid) team id; the rejected value is the same string, so check the issues only.
      expect(JSON.stringify(problem.issues)).not.toContain(team.id);
    });

    it("POST /teams/:teamId/members with a UserId in the path is a 400 problem without it", async () => {
      const user = await createUser();
      const problem = await expectProblem(
        await post(`/teams/${user.id}/members`, JSON.stringify({ userId: user.id })),
        400,
      );
      expect(problem).toMatchObject({ brand: "TeamId", instance: "/teams/:teamId/members" });
      expect(JSON.stringify(problem)).not.toContain(user.id);
    });

    it("POST /teams/:teamId/members for an unknown team or user is a 404 problem", async () => {
      const [user, team] = await Promise.all([createUser(), createTeam()]);
      const noTeam = await post(`/teams/${UNKNOWN_TEAM_ID}/members`, JSON.stringify({ userId: user.id }));
      expect(await expectProblem(noTeam, 404)).toMatchObject({ title: "Team Not Found" });
      const noUser = await post(`/teams/${team.id}/members`, JSON.stringify({ userId: UNKNOWN_USER_ID }));
      expect(await expectProblem(noUser, 404)).toMatchObject({ title: "User Not Found" });
    });

    it("GET /boom is a generic 500 whose correlationId the server logged", async () => {
      const problem = await expectProblem(await fetch(`${server.url}/boom`), 500);
      expect(Object.keys(problem).sort()).toEqual(["correlationId", "instance", "status", "title", "type"]);
      const correlationId = problem.correlationId as string;
      // The log line may arrive just after the response.
      await vi.waitFor(() => expect(server.output()).toContain(correlationId), { timeout: 5_000 });
    });
  });
