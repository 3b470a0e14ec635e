/**
 * The example over real HTTP, once per runtime, against the real PostgreSQL (each run in its own schema),
 * and once on Node with PGlite in process (what `npm start` uses): tenant A never sees tenant B's rows.
 */
import { fileURLToPath } from "node:url";
import { type ExampleServer, exampleRuntimes, onRuntime, startExample } from "@keel/testing/example-server";
import { requireService } from "@keel/testing/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));

interface Project {
  readonly id: string;
  readonly tenant_id: string;
  readonly name: string;
}

const setups = [
  ...exampleRuntimes.map((runtime) => ({ runtime, database: "PostgreSQL" as const })),
  { runtime: "node" as const, database: "PGlite" as const },
];

for (const { runtime, database } of setups)
  describe(`tenant-context-hono on ${runtime} with ${database}`, onRuntime(runtime), () => {
    let server: ExampleServer;
    let schema: string | undefined;
    let adminUrl: string | undefined;

    beforeAll(async () => {
      const env: Record<string, string> = {};
      if (database === "PostgreSQL") {
        const postgres = await requireService("postgres");
        if (postgres.skip) throw new Error(postgres.reason);
        schema = `demo_${runtime}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
        adminUrl = postgres.url;
        Object.assign(env, { DATABASE_URL: postgres.url, DB_SCHEMA: schema });
      }
      server = await startExample({ dir, runtime, env, readyTimeoutMs: 60_000 });
    }, 90_000);

    afterAll(async () => {
      await server?.stop();
      if (schema !== undefined && adminUrl !== undefined) {
        const { default: postgres } = await import("postgres");
        const url = new URL(adminUrl);
        if (url.username === "") url.username = "postgres";
        const admin = postgres(url.href, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
    });

    const as = (tenant: string, path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { "x-tenant-id": tenant, "content-type": "application/json" },
      });
    const create = async (tenant: string, name: string): Promise<Project> => {
      const response = await as(tenant, "/projects", { method: "POST", body: JSON.stringify({ name }) });
      expect(response.status).toBe(201);
      return (await response.json()) as Project;
    };

    it("gives each tenant its own projects only", async () => {
      const acme = await create("acme", "Acme roadmap");
      const globex = await create("globex", "Globex secret plan");
      expect(acme.tenant_id).toBe("acme");
      expect(globex.tenant_id).toBe("globex");
      const list = (await (await as("acme", "/projects")).json()) as { projects: Project[] };
      expect(list.projects.every((project) => project.tenant_id === "acme")).toBe(true);
      expect(list.projects.map((project) => project.name)).toContain("Acme roadmap");
      expect(list.projects.map((project) => project.name)).not.toContain("Globex secret plan");
    });

    it("answers another tenant's project id with the same 404 as a missing one", async () => {
      const globex = await create("globex", "Globex only");
      const guessed = await as("acme", `/projects/${globex.id}`);
      expect(guessed.status).toBe(404);
      expect(await guessed.text()).not.toContain("Globex");
      expect((await as("globex", `/projects/${globex.id}`)).status).toBe(200);
    });

    it("refuses a missing, malformed or unknown tenant with a problem that names no tenant", async () => {
      const missing = await fetch(`${server.url}/projects`);
      expect(missing.status).toBe(400);
      const unknown = await as("umbrella", "/projects");
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("content-type")).toBe("application/problem+json");
      expect(await unknown.text()).not.toContain("umbrella");
      expect((await as("Robert'); drop table projects;--", "/projects")).status).toBe(400);
    });

    // On Workers each request opens its own database connection (production puts Hyperdrive in between);
    // the PostgreSQL here allows 100, so there the 200 requests go 50 at a time.
    const inFlight = runtime === "workerd" ? 50 : 200;
    it(`keeps 200 interleaved requests of both tenants apart, ${inFlight} at a time`, async () => {
      const send = (i: number) => {
        const tenant = i % 2 === 0 ? "acme" : "globex";
        return i % 5 === 0
          ? as(tenant, "/projects", {
              method: "POST",
              body: JSON.stringify({ name: `${tenant} ${i}` }),
            }).then(async (response) => ({ tenant, rows: [(await response.json()) as Project] }))
          : as(tenant, "/projects").then(async (response) => ({
              tenant,
              rows: ((await response.json()) as { projects: Project[] }).projects,
            }));
      };
      const responses: { tenant: string; rows: Project[] }[] = [];
      for (let start = 0; start < 200; start += inFlight) {
        const wave = Array.from({ length: Math.min(inFlight, 200 - start) }, (_, i) => send(start + i));
        responses.push(...(await Promise.all(wave)));
      }
      const leaked = responses.flatMap(({ tenant, rows }) => rows.filter((row) => row.tenant_id !== tenant));
      expect(leaked).toEqual([]);
      expect(responses.reduce((sum, { rows }) => sum + rows.length, 0)).toBeGreaterThan(200);
    });
  });
