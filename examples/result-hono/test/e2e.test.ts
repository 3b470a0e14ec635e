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

for (const runtime of exampleRuntimes)
  describe(`result-hono on ${runtime}`, onRuntime(runtime), () => {
    let server: ExampleServer;

    beforeAll(async () => {
      server = await startExample({ dir, runtime });
    });

    afterAll(async () => {
      await server?.stop();
    });

    const postUser = (body: string): Promise<Response> =>
      fetch(`${server.url}/users`, { method: "POST", headers: { "content-type": "application/json" }, body });

    async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe(PROBLEM_JSON);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
      return problem;
    }

    it("POST /users creates a user (201) and GET /users/:id returns it (200)", async () => {
      const email = uniqueEmail();
      const created = await postUser(JSON.stringify({ email, name: " Ada " }));
      expect(created.status).toBe(201);
      expect(created.headers.get("content-type")).toMatch(/^application\/json/);
      const user = (await created.json()) as { id: string };
      expect(user).toEqual({ id: expect.any(String), email, name: "Ada" });

      const fetched = await fetch(`${server.url}/users/${user.id}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toEqual(user);
    });

    it("GET /users/:id for an unknown id is a 404 UserNotFound problem", async () => {
      const problem = await expectProblem(await fetch(`${server.url}/users/nobody`), 404);
      expect(problem).toEqual({
        type: "https://example.com/problems/user-not-found",
        title: "User Not Found",
        status: 404,
        detail: "No user has this id",
        instance: "/users/nobody",
        id: "nobody",
      });
    });

    it("POST /users with a registered email is a 409 DuplicateEmail problem", async () => {
      const email = uniqueEmail();
      expect((await postUser(JSON.stringify({ email, name: "Ada" }))).status).toBe(201);
      const problem = await expectProblem(await postUser(JSON.stringify({ email, name: "Grace" })), 409);
      expect(problem).toMatchObject({ type: "https://example.com/problems/duplicate-email" });
      // Fields are exposed only when the mapper lists them: the email is not echoed back.
      expect(problem).not.toHaveProperty("email");
    });

    it("POST /users with an invalid body is a 422 problem listing the issues, without the input", async () => {
      const problem = await expectProblem(
        await postUser(JSON.stringify({ email: "not-an-email", name: "" })),
        422,
      );
      expect(problem).toMatchObject({
        type: "https://example.com/problems/validation-error",
        instance: "/users",
      });
      const issues = problem.issues as { path: string[]; message: string }[];
      expect(issues.map((issue) => issue.path)).toEqual([["email"], ["name"]]);
      expect(JSON.stringify(problem)).not.toContain("not-an-email");
    });

    it("POST /users with malformed JSON is a 400 InvalidJson problem", async () => {
      const problem = await expectProblem(await postUser("{ not json"), 400);
      expect(problem).toMatchObject({
        type: "https://example.com/problems/invalid-json",
        title: "Invalid Json",
      });
    });

    it("GET /boom is a generic 500 whose correlationId the server logged with the error", async () => {
      const problem = await expectProblem(await fetch(`${server.url}/boom`), 500);
      expect(Object.keys(problem).sort()).toEqual(["correlationId", "instance", "status", "title", "type"]);
      expect(problem).toMatchObject({
        type: "about:blank",
        title: "Internal Server Error",
        instance: "/boom",
      });
      const correlationId = problem.correlationId as string;
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);

      // The log line may arrive just after the response.
      const line = await vi.waitFor(
        () => {
          const found = server
            .output()
            .split("\n")
            .find((candidate) => candidate.includes(correlationId));
          if (found === undefined) throw new Error(`no log line with ${correlationId}`);
          return found;
        },
        { timeout: 5_000 },
      );
      const logged = JSON.parse(line.slice(line.indexOf("{"))) as {
        correlationId: string;
        error: { message: string };
      };
      expect(logged.correlationId).toBe(correlationId);
      expect(logged.error.message).toBe("connection to db-primary:5432 refused");
    });
  });
