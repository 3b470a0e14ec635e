/**
 * The example over real HTTP, once per runtime: each `describe` starts the app on a free loopback port with
 * freshly generated secrets, sends requests with fetch, stops the server afterwards, and checks that no
 * secret ever shows up in what the server printed or answered. A second `describe` starts it with a bad
 * environment: Node, Bun and Deno must exit before serving; workerd must answer a generic 500.
 */
import { fileURLToPath } from "node:url";
import {
  type ExampleServer,
  exampleRuntimes,
  onRuntime,
  runExampleToExit,
  startExample,
} from "@keel/testing/example-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const PROBLEM_JSON = "application/problem+json";

/** A long, random-looking value, different in every run: strong enough for NODE_ENV=production. */
const randomSecret = (): string => `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll("-", "");

/** Every secret must appear nowhere in `text`; the labels make a failure say which one leaked. */
function expectNoSecret(text: string, secrets: Readonly<Record<string, string>>): void {
  const leaked = Object.entries(secrets).filter(([, value]) => text.includes(value));
  expect(leaked.map(([label]) => label)).toEqual([]);
}

/** The first JSON log line the server printed that contains `needle`, once it has arrived. */
function loggedLine(server: ExampleServer, needle: string): Promise<Record<string, unknown>> {
  return vi.waitFor(
    () => {
      const line = server
        .output()
        .split("\n")
        .find((candidate) => candidate.includes(needle) && candidate.includes("{"));
      if (line === undefined) throw new Error(`no log line with ${needle}`);
      return JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>;
    },
    { timeout: 5_000 },
  );
}

for (const runtime of exampleRuntimes)
  describe(`secure-config-hono on ${runtime}`, onRuntime(runtime), () => {
    describe("with a good environment", () => {
      const apiKey = randomSecret();
      const jwtSecret = randomSecret();
      const dbPassword = randomSecret();
      const password = randomSecret();
      const user = `ada-${crypto.randomUUID()}`;
      // What must never be printed or answered. The bearer token is the API key; the database password sits
      // inside DATABASE_URL, which the app only ever shows the host of.
      const secrets = { JWT_SECRET: jwtSecret, API_KEY: apiKey, dbPassword, password };
      // PORT is the harness's (Node, Bun, Deno); production turns on the secret-strength rules.
      const env = {
        NODE_ENV: "production",
        DATABASE_URL: `postgres://app:${dbPassword}@db.internal:5432/app`,
        JWT_SECRET: jwtSecret,
        API_KEY: apiKey,
        LOG_LEVEL: "debug",
      };
      const bodies: string[] = [];
      let server: ExampleServer;

      beforeAll(async () => {
        server = await startExample({ dir, runtime, env });
      });

      afterAll(async () => {
        await server?.stop();
      });

      /** fetch, keeping every response body for the final scan. */
      async function request(path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
        const response = await fetch(`${server.url}${path}`, init);
        const body = await response.text();
        bodies.push(body);
        return { status: response.status, body };
      }

      const login = (body: unknown, authorization = `Bearer ${apiKey}`) =>
        request("/login", {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(body),
        });

      it("GET /health is ok", async () => {
        const { status, body } = await request("/health");
        expect(status).toBe(200);
        expect(JSON.parse(body)).toEqual({ ok: true });
      });

      it("GET /config shows the non-secret config, and JWT_SECRET as [redacted]", async () => {
        const { status, body } = await request("/config");
        expect(status).toBe(200);
        expect(JSON.parse(body)).toEqual({
          // Node, Bun and Deno listen on the harness's PORT; a Worker has none and keeps the default.
          port: runtime === "workerd" ? 3000 : Number(new URL(server.url).port),
          databaseHost: "db.internal",
          logLevel: "debug",
          jwtSecret: "[redacted]",
        });
      });

      it("POST /login answers a hex token and logs the body and headers redacted", async () => {
        const { status, body } = await login({ user, password });
        expect(status).toBe(200);
        const { token } = JSON.parse(body) as { token: string };
        expect(token).toMatch(/^[0-9a-f]{64}$/);
        expect((await login({ user, password })).body).toBe(body);

        const logged = await loggedLine(server, user);
        expect(logged).toMatchObject({
          method: "POST",
          path: "/login",
          headers: { authorization: "[redacted]", "content-type": "application/json" },
          body: { user, password: "[redacted]" },
        });
      });

      it("POST /login without the API key is a 401 problem", async () => {
        const { status, body } = await login({ user, password }, "Bearer not-the-key");
        expect(status).toBe(401);
        expect(JSON.parse(body)).toMatchObject({
          type: "https://example.com/problems/unauthorized",
          status: 401,
          instance: "/login",
        });
      });

      it("POST /login with an invalid body is a 422 problem that does not echo it", async () => {
        const { status, body } = await login({ user: "", password: 42 });
        expect(status).toBe(422);
        const problem = JSON.parse(body) as { issues: { path: string[] }[] };
        expect(problem.issues.map((issue) => issue.path)).toEqual([["user"], ["password"]]);
      });

      it("no secret appears in anything the server printed or answered", async () => {
        // Every route once more (also when this test runs alone), then wait until the last one is logged.
        await request("/health");
        await request("/config");
        const token = JSON.parse((await login({ user, password })).body).token as string;
        const marker = `marker-${crypto.randomUUID()}`;
        await request("/health", { headers: { "x-test-marker": marker } });
        await loggedLine(server, marker);

        expect(server.output()).toContain("[redacted]");
        expectNoSecret(server.output(), { ...secrets, token });
        for (const body of bodies) expectNoSecret(body, secrets);
      });
    });

    describe("with a bad environment", () => {
      const apiKey = randomSecret();
      const badUrl = `not-a-url-${crypto.randomUUID()}`;
      // DATABASE_URL is invalid, JWT_SECRET missing, API_KEY fine (and secret); PORT is the harness's.
      const env = { DATABASE_URL: badUrl, API_KEY: apiKey };

      function expectNamesBadKeysOnly(text: string): void {
        expect(text).toContain("DATABASE_URL");
        expect(text).toContain("JWT_SECRET");
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain(badUrl);
      }

      if (runtime !== "workerd") {
        it("exits non-zero before serving, naming every bad key and no value", async () => {
          const { code, output } = await runExampleToExit({ dir, runtime, env });
          expect(code).not.toBe(0);
          expect(code).not.toBeNull();
          expect(output).toContain("Invalid configuration (2 problems)");
          expectNamesBadKeysOnly(output);
          expect(output).not.toContain("listening");
        });
      } else {
        let server: ExampleServer;

        beforeAll(async () => {
          server = await startExample({ dir, runtime, env });
        });

        afterAll(async () => {
          await server?.stop();
        });

        it("answers a generic 500 and logs the ConfigError, naming every bad key and no value", async () => {
          const response = await fetch(`${server.url}/health`);
          expect(response.status).toBe(500);
          expect(response.headers.get("content-type")).toBe(PROBLEM_JSON);
          const problem = (await response.json()) as Record<string, unknown>;
          expect(Object.keys(problem).sort()).toEqual([
            "correlationId",
            "instance",
            "status",
            "title",
            "type",
          ]);
          expect(JSON.stringify(problem)).not.toContain("DATABASE_URL");

          const logged = await loggedLine(server, problem.correlationId as string);
          expect(logged).toMatchObject({ level: "error", error: { name: "ConfigError" } });
          expect((logged.error as { message: string }).message).toBe(
            "Invalid configuration (2 problems):\n" +
              "  DATABASE_URL: expected a postgres or postgresql URL\n" +
              "  JWT_SECRET: missing",
          );
          expectNamesBadKeysOnly(server.output());
        });
      }
    });
  });
