/**
 * The reference service over real HTTP, once per runtime: Node, Bun and Deno against the real PostgreSQL
 * (each run in its own schema) and Redis (its own key prefix), workerd against PostgreSQL over TCP sockets
 * with a Durable Object counting, and Node once more as `npm start` runs it (PGlite, memory). Each test
 * plays its own client address: loopback is the trusted proxy and sends `X-Forwarded-For` (workerd:
 * `CF-Connecting-IP`). Every request and response is kept, and the last test checks that no response and
 * no log line ever carried a password, a token or the JWT secret.
 */
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import {
  type ExampleRuntime,
  type ExampleServer,
  onRuntime,
  startExample,
} from "@keel/testing/example-server";
import { requireService } from "@keel/testing/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const PROBLEM_JSON = "application/problem+json";
const APP_ORIGIN = "https://tasks.example.com";

interface Setup {
  readonly runtime: ExampleRuntime;
  readonly backends: "PostgreSQL and Redis" | "PostgreSQL and a Durable Object" | "PGlite and memory";
}
const setups: readonly Setup[] = [
  { runtime: "node", backends: "PostgreSQL and Redis" },
  { runtime: "bun", backends: "PostgreSQL and Redis" },
  { runtime: "deno", backends: "PostgreSQL and Redis" },
  { runtime: "workerd", backends: "PostgreSQL and a Durable Object" },
  { runtime: "node", backends: "PGlite and memory" },
];

// Fail naming DATABASE_URL / REDIS_URL when a server is unreachable: these tests are never skipped.
const postgres = await requireService("postgres");
const redis = await requireService("redis");
if (postgres.skip || redis.skip)
  throw new Error("the reference service's e2e tests need PostgreSQL and Redis");

let clientCounter = 0;
/** A fresh client address per client, so the per-address limits of one test never touch another. */
const nextAddress = (): string => `203.0.113.${++clientCounter % 250}`;
const unique = (): string => crypto.randomUUID().replaceAll("-", "").slice(0, 12);

type Json = Record<string, unknown>;

for (const { runtime, backends } of setups)
  describe(`reference-service on ${runtime}, ${backends}`, onRuntime(runtime), () => {
    let server: ExampleServer;
    let schema: string | undefined;
    const jwtSecret = Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) =>
      byte.toString(16).padStart(2, "0"),
    ).join("");
    /** Passwords, cookie values and the JWT secret: never in a response body or a log line. */
    const secrets = new Set<string>([jwtSecret]);
    /** Access and invitation tokens: in the one response that issued each, never in a log line. */
    const issued = new Set<string>();
    const responseTexts: string[] = [];

    beforeAll(async () => {
      const env: Record<string, string> = {
        JWT_SECRET: jwtSecret,
        CORS_ORIGINS: APP_ORIGIN,
        RATE_LIMIT_PREFIX: `keel:e2e:${unique()}:`,
      };
      if (backends !== "PGlite and memory") {
        schema = `reference_${runtime}_${unique()}`;
        Object.assign(env, { DATABASE_URL: postgres.skip ? "" : postgres.url, DB_SCHEMA: schema });
      }
      if (backends === "PostgreSQL and Redis") env.REDIS_URL = redis.skip ? "" : redis.url;
      if (runtime !== "workerd") env.TRUSTED_PROXIES = "127.0.0.1/32,::1/128";
      server = await startExample({
        dir,
        runtime,
        env,
        durableObjects: { RATE_LIMITER: "RateLimiterObject" },
        readyTimeoutMs: 170_000, // PGlite takes a minute to open on a busy machine: a hang detector
      });
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
      if (schema !== undefined && !postgres.skip) {
        const { default: connect } = await import("postgres");
        const url = new URL(postgres.url);
        if (url.username === "") url.username = "postgres";
        const admin = connect(url.href, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
    });

    /** A browser-like client: one address, same-origin fetch metadata, a cookie jar of one cookie. */
    function client() {
      const address = nextAddress();
      let cookie: string | undefined;
      let accessToken: string | undefined;
      const send = async (
        path: string,
        init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
      ) => {
        const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
        const headers: Record<string, string> = {
          "sec-fetch-site": "same-origin",
          ...(runtime === "workerd" ? { "cf-connecting-ip": address } : { "x-forwarded-for": address }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(cookie === undefined ? {} : { cookie }),
          ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
          ...init.headers,
        };
        const response = await fetch(`${server.url}${path}`, {
          method: init.method ?? (body === undefined ? "GET" : "POST"),
          headers,
          ...(body === undefined ? {} : { body }),
        });
        const setCookie = response.headers.get("set-cookie");
        if (setCookie !== null) {
          const pair = setCookie.split(";")[0] ?? "";
          cookie = pair.endsWith("=") ? undefined : pair;
          if (cookie !== undefined) secrets.add(cookie.slice(cookie.indexOf("=") + 1));
        }
        const text = await response.text();
        responseTexts.push(text);
        return {
          status: response.status,
          headers: response.headers,
          text,
          json: () => JSON.parse(text) as Json,
        };
      };
      return {
        send,
        get cookie() {
          return cookie;
        },
        set cookie(value: string | undefined) {
          cookie = value;
        },
        get token(): string | undefined {
          return accessToken;
        },
        set token(value: string | undefined) {
          accessToken = value;
        },
      };
    }
    type Client = ReturnType<typeof client>;

    interface Workspace {
      readonly slug: string;
      readonly tenantId: string;
      readonly email: string;
      readonly password: string;
    }

    async function signUp(): Promise<Workspace> {
      const slug = `ws-${unique()}`;
      const email = `owner-${unique()}@example.com`;
      const password = `pw ${crypto.randomUUID()}`;
      secrets.add(password);
      const response = await client().send("/auth/signup", {
        body: { workspace: slug, workspaceName: `Workspace ${slug}`, email, password },
      });
      expect(response.status).toBe(201);
      const { tenantId } = response.json();
      expect(tenantId).toMatch(/^tnt_[0-9a-z]{26}$/);
      return { slug, tenantId: String(tenantId), email, password };
    }

    async function logIn(
      workspace: Workspace,
      user = { email: workspace.email, password: workspace.password },
    ) {
      const browser = client();
      const response = await browser.send("/auth/login", { body: { workspace: workspace.slug, ...user } });
      expect(response.status).toBe(200);
      const { accessToken } = response.json();
      issued.add(String(accessToken));
      browser.token = String(accessToken);
      return browser;
    }

    async function createProject(browser: Client, name: string): Promise<Json> {
      const response = await browser.send("/api/projects", { body: { name } });
      expect(response.status).toBe(201);
      return response.json();
    }

    function expectProblem(
      response: { status: number; headers: Headers; json: () => Json },
      status: number,
    ): Json {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe(PROBLEM_JSON);
      const body = response.json();
      // The correlation id is the request id: the same one is in the response header and the log line.
      expect(body.correlationId).toBe(response.headers.get("x-request-id"));
      return body;
    }

    it("answers /healthz, /readyz and an OpenAPI 3.1 document of its routes", async () => {
      const browser = client();
      expect((await browser.send("/healthz")).status).toBe(200);
      const ready = await browser.send("/readyz");
      expect(ready.status).toBe(200);
      const document = (await browser.send("/openapi.json")).json() as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(document.openapi).toBe("3.1.0");
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          "/auth/signup",
          "/auth/login",
          "/auth/refresh",
          "/api/projects",
          "/api/projects/{projectId}/tasks",
          "/api/tasks/{taskId}",
        ]),
      );
    });

    it("runs a whole journey: sign-up, login, projects and tasks with cursor pages, refresh, logout", async () => {
      const workspace = await signUp();
      const browser = await logIn(workspace);
      const me = await browser.send("/api/me");
      expect(me.json()).toEqual({
        userId: expect.stringMatching(/^usr_/),
        tenantId: workspace.tenantId,
        workspace: workspace.slug,
        role: "owner",
      });
      expect(me.headers.get("x-content-type-options")).toBe("nosniff");

      const project = await createProject(browser, "Roadmap");
      expect(project.id).toMatch(/^prj_[0-9a-z]{26}$/);
      const titles = ["one", "two", "three"];
      for (const title of titles) {
        const task = await browser.send(`/api/projects/${project.id}/tasks`, { body: { title } });
        expect(task.status).toBe(201);
        expect(task.json()).toMatchObject({ title, done: false, projectId: project.id });
      }
      const first = (await browser.send(`/api/projects/${project.id}/tasks?limit=2`)).json() as {
        items: Json[];
        nextCursor: string;
      };
      expect(first.items.map((task) => task.title)).toEqual(["one", "two"]);
      const second = (
        await browser.send(`/api/projects/${project.id}/tasks?limit=2&cursor=${first.nextCursor}`)
      ).json() as { items: Json[]; nextCursor: string | null };
      expect(second).toEqual({ items: [expect.objectContaining({ title: "three" })], nextCursor: null });

      const done = await browser.send(`/api/tasks/${second.items[0]?.id}`, {
        method: "PATCH",
        body: { done: true },
      });
      expect(done.json()).toMatchObject({ title: "three", done: true });

      const firstCookie = browser.cookie;
      const refreshed = await browser.send("/auth/refresh", { method: "POST" });
      expect(refreshed.status).toBe(200);
      expect(refreshed.headers.get("set-cookie")).toMatch(
        /^__Host-refresh=tnt_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1209600; HttpOnly; Secure; SameSite=Strict$/,
      );
      expect(browser.cookie).not.toBe(firstCookie);
      browser.token = String(refreshed.json().accessToken);
      issued.add(String(refreshed.json().accessToken));
      expect((await browser.send("/api/projects")).status).toBe(200);

      expect((await browser.send("/auth/logout", { method: "POST" })).status).toBe(204);
      expect(browser.cookie).toBeUndefined();
      browser.cookie = firstCookie;
      expectProblem(await browser.send("/auth/refresh", { method: "POST" }), 401);
    });

    it("invites a member, who accepts, logs in, sees the workspace's projects and may not invite", async () => {
      const workspace = await signUp();
      const owner = await logIn(workspace);
      await createProject(owner, "Shared");
      const email = `member-${unique()}@example.com`;
      const invited = await owner.send("/api/invitations", { body: { email } });
      expect(invited.status).toBe(201);
      const { token } = invited.json();
      issued.add(String(token));
      const password = `member ${crypto.randomUUID()}`;
      secrets.add(password);
      expect((await client().send("/auth/accept-invitation", { body: { token, password } })).status).toBe(
        201,
      );
      // An invitation is accepted once.
      expectProblem(await client().send("/auth/accept-invitation", { body: { token, password } }), 410);

      const member = await logIn(workspace, { email, password });
      expect((await member.send("/api/me")).json()).toMatchObject({ role: "member" });
      const list = (await member.send("/api/projects")).json() as { items: Json[] };
      expect(list.items.map((project) => project.name)).toEqual(["Shared"]);
      expectProblem(await member.send("/api/invitations", { body: { email: "x@example.com" } }), 403);
    });

    it("never lets tenant B read or change tenant A's data: guessed ids, a forged header, B's own token", async () => {
      const a = await logIn(await signUp());
      const b = await logIn(await signUp());
      const project = await createProject(a, "A's secret plan");
      const task = (await a.send(`/api/projects/${project.id}/tasks`, { body: { title: "A only" } })).json();

      // By id: another tenant's rows are simply not there, the same 404 as ids that do not exist.
      for (const path of [`/api/projects/${project.id}`, `/api/projects/${project.id}/tasks`]) {
        const guessed = await b.send(path);
        expectProblem(guessed, 404);
        expect(guessed.text).not.toContain("secret plan");
      }
      expectProblem(await b.send(`/api/projects/${project.id}/tasks`, { body: { title: "planted" } }), 404);
      expectProblem(await b.send(`/api/tasks/${task.id}`, { method: "PATCH", body: { done: true } }), 404);
      expect(((await b.send("/api/projects")).json() as { items: Json[] }).items).toEqual([]);

      // A forged tenant header that disagrees with the token's tenant is refused.
      const me = (await a.send("/api/me")).json();
      expectProblem(await b.send("/api/projects", { headers: { "x-tenant-id": String(me.tenantId) } }), 403);

      // A token signed with another key, claiming A's tenant, is refused.
      const [header, payload] = String(a.token).split(".");
      const forged = `${header}.${payload}.AAAA`;
      expectProblem(await b.send("/api/projects", { headers: { authorization: `Bearer ${forged}` } }), 401);

      // A's data is untouched.
      const after = (await a.send(`/api/projects/${project.id}/tasks`)).json() as { items: Json[] };
      expect(after.items).toEqual([expect.objectContaining({ title: "A only", done: false })]);
    });

    it("answers the sixth login attempt in a minute from one address with 429, even with the right password", async () => {
      const workspace = await signUp();
      const attacker = client();
      for (let attempt = 1; attempt <= 5; attempt++) {
        const wrong = await attacker.send("/auth/login", {
          body: { workspace: workspace.slug, email: workspace.email, password: `wrong ${attempt} password` },
        });
        expectProblem(wrong, 401);
      }
      const sixth = await attacker.send("/auth/login", {
        body: { workspace: workspace.slug, email: workspace.email, password: workspace.password },
      });
      expectProblem(sixth, 429);
      expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    it("revokes the whole session family when a used refresh token comes back", async () => {
      const browser = await logIn(await signUp());
      const stolen = browser.cookie;
      expect((await browser.send("/auth/refresh", { method: "POST" })).status).toBe(200);
      const current = browser.cookie;

      const thief = client();
      thief.cookie = stolen;
      expectProblem(await thief.send("/auth/refresh", { method: "POST" }), 401);
      // The legitimate, newer token died with its family: both must log in again.
      browser.cookie = current;
      expectProblem(await browser.send("/auth/refresh", { method: "POST" }), 401);
    });

    it("refuses cookie requests from other sites (CSRF) and requests over the body limit", async () => {
      const browser = await logIn(await signUp());
      expectProblem(
        await browser.send("/auth/refresh", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }),
        403,
      );
      const preflight = await fetch(`${server.url}/auth/refresh`, {
        method: "OPTIONS",
        headers: { origin: APP_ORIGIN, "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
      expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
      const big = await browser.send("/api/projects", { body: { name: "x".repeat(20_000) } });
      expect(big.status).toBe(413);
    });

    it("answers invalid bodies with a 422 problem that lists the issues without echoing the input", async () => {
      const password = `short ${unique()}`.slice(0, 7);
      secrets.add(password);
      const response = await client().send("/auth/signup", {
        body: { workspace: "-bad-", workspaceName: "", email: "not an email", password },
      });
      const problem = expectProblem(response, 422);
      const paths = (problem.issues as { path: string[] }[]).map((issue) => issue.path.join("."));
      expect(paths).toEqual(expect.arrayContaining(["workspace", "workspaceName", "email", "password"]));
      expect(response.text).not.toContain("not an email");
      const badId = await (await logIn(await signUp())).send("/api/projects/tsk_01kbq3m7v9x2c4d6f8g0h2j4k6");
      expectProblem(badId, 422);
    });

    it("treats an email address in any case as one user: login as typed, no second user by invitation", async () => {
      const workspace = await signUp();
      const owner = await logIn(workspace, {
        email: workspace.email.toUpperCase(),
        password: workspace.password,
      });
      const invited = await owner.send("/api/invitations", {
        body: { email: workspace.email.toUpperCase() },
      });
      expect(invited.status).toBe(201);
      issued.add(String(invited.json().token));
      const password = `again ${crypto.randomUUID()}`;
      secrets.add(password);
      const accepted = await client().send("/auth/accept-invitation", {
        body: { token: invited.json().token, password },
      });
      expectProblem(accepted, 409);
    });

    it("serialises two refreshes racing with one cookie: one wins, the other is a replay and ends the session", async () => {
      const browser = await logIn(await signUp());
      const [first, second] = await Promise.all([
        browser.send("/auth/refresh", { method: "POST" }),
        browser.send("/auth/refresh", { method: "POST" }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 401]);
      const winner = first.status === 200 ? first : second;
      issued.add(String(winner.json().accessToken));
      browser.cookie = (winner.headers.get("set-cookie") ?? "").split(";")[0];
      expectProblem(await browser.send("/auth/refresh", { method: "POST" }), 401);
    });

    it("answers hostile input with problems, never a 500, and makes its own request ids", async () => {
      const browser = await logIn(await signUp());
      const nul = await browser.send("/api/projects", { body: { name: "a\u0000b" } });
      expect((expectProblem(nul, 422).issues as { path: string[] }[])[0]?.path).toEqual(["name"]);
      const malformed = await browser.send("/api/projects", { raw: '{"name": "unterminated' });
      expectProblem(malformed, 400);
      expectProblem(await browser.send("/nowhere"), 404);
      expectProblem(await browser.send("/api/nowhere"), 404);
      const forgedId = await browser.send("/api/me", { headers: { "x-request-id": "chosen-by-the-client" } });
      expect(forgedId.headers.get("x-request-id")).not.toBe("chosen-by-the-client");
    });

    it("marks every /api answer private and not to be stored, refusals and problems included", async () => {
      const workspace = await signUp();
      const browser = await logIn(workspace);
      const project = await createProject(browser, "Private");
      const otherTenant = "tnt_01kbq3m7v9x2c4d6f8g0h2j4k6";
      const answers: [string, number, Awaited<ReturnType<Client["send"]>>][] = [
        ["me", 200, await browser.send("/api/me")],
        ["a page", 200, await browser.send("/api/projects")],
        ["one project", 200, await browser.send(`/api/projects/${project.id}`)],
        ["created", 201, await browser.send("/api/projects", { body: { name: "Another" } })],
        ["no token", 401, await client().send("/api/projects")],
        [
          "another tenant named",
          403,
          await browser.send("/api/me", { headers: { "x-tenant-id": otherTenant } }),
        ],
        ["a project not there", 404, await browser.send("/api/projects/prj_01kbq3m7v9x2c4d6f8g0h2j4k6")],
        ["an unknown route", 404, await browser.send("/api/nowhere")],
        ["malformed JSON", 400, await browser.send("/api/projects", { raw: '{"name": ' })],
        ["too large", 413, await browser.send("/api/projects", { body: { name: "x".repeat(20_000) } })],
        ["invalid", 422, await browser.send("/api/projects", { body: { name: "" } })],
      ];
      for (const [what, status, response] of answers) {
        expect(response.status, what).toBe(status);
        expect(response.headers.get("cache-control"), what).toBe("private, no-store");
      }
      // The CORS answer to a browser app keeps its Vary: Origin beside it.
      const cors = await browser.send("/api/me", { headers: { origin: APP_ORIGIN } });
      expect(cors.headers.get("vary")).toMatch(/\bOrigin\b/i);
      expect(cors.headers.get("cache-control")).toBe("private, no-store");
    });

    it("takes a bodiless POST without Content-Length, as curl -X POST sends it", async () => {
      const { hostname, port } = new URL(server.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: hostname, port: Number(port) }, () =>
          socket.write(`POST /auth/logout HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
        );
        let text = "";
        socket.on("data", (chunk: Uint8Array) => (text += new TextDecoder().decode(chunk)));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 204 /);
    });

    it("never puts a password, a token or the JWT secret in a response or a log line", () => {
      const output = server.output();
      expect(output).toContain('"msg":"request"');
      expect(output).toMatch(/"tenantId":"tnt_[0-9a-z]{26}"/);
      expect(secrets.size).toBeGreaterThan(10);
      expect(issued.size).toBeGreaterThan(10);
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(6);
        expect(output.includes(secret), "a secret value is in the log").toBe(false);
        expect(
          responseTexts.some((text) => text.includes(secret)),
          "a secret value is in a response",
        ).toBe(false);
      }
      for (const token of issued) {
        expect(output.includes(token), "a token is in the log").toBe(false);
        // Once: in the response that issued it.
        expect(responseTexts.filter((text) => text.includes(token))).toHaveLength(1);
      }
    });
  });
