/**
 * Load and soak: `npm run load -w examples/reference-service [-- --duration 60 --write]`.
 *
 * Runs the service on Node against the real PostgreSQL and Redis (`DATABASE_URL`, `REDIS_URL`; the local
 * servers by default), signs up two tenants, and drives it with autocannon for `--duration` seconds per
 * tenant at once: a mix of reads and writes on each tenant's own project, plus a probe for the other
 * tenant's project (which must be a 404). Every response is checked: any unexpected status, or a list
 * holding the other tenant's project, is counted. The server's RSS is sampled every second. Then the same
 * load runs against `bare-service.ts` (same routes and SQL, without the security stack and tenancy), once
 * with each query in a tenant-setting transaction and once without, and the overhead is reported as
 * ratios. `--write` puts the table into the README.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort } from "@keel/testing/example-server";
import autocannon from "autocannon";
import postgres from "postgres";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "60" }, write: { type: "boolean", default: false } },
});
const duration = Number(values.duration);
const WARM_UP_SEC = Math.min(10, Math.floor(duration / 3));
const CONNECTIONS_PER_TENANT = 8;
const dir = fileURLToPath(new URL("..", import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = `reference_load_${crypto.randomUUID().slice(0, 8)}`;

interface Tenant {
  readonly token: string;
  readonly projectId: string;
  readonly taskId: string;
}

interface Run {
  readonly requests: number;
  readonly requestsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly unexpected: number;
  readonly crossTenant: number;
  /** RSS in MiB before the load, then every second under it. */
  readonly idleRss: number;
  readonly rss: readonly number[];
}

async function call(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** A workspace with one project of 20 tasks, and an access token valid for the whole run. */
async function seed(url: string, name: string): Promise<Tenant> {
  const workspace = `${name}-${crypto.randomUUID().slice(0, 8)}`;
  const credentials = { email: `load@${name}.example.com`, password: `load test ${crypto.randomUUID()}` };
  await call(url, "/auth/signup", { body: { workspace, workspaceName: name, ...credentials } });
  const { accessToken } = await call(url, "/auth/login", { body: { workspace, ...credentials } });
  const token = String(accessToken);
  const project = await call(url, "/api/projects", { token, body: { name: `${name} project` } });
  let taskId = "";
  for (let i = 0; i < 20; i++) {
    taskId = String(
      (await call(url, `/api/projects/${project.id}/tasks`, { token, body: { title: `task ${i}` } })).id,
    );
  }
  return { token, projectId: String(project.id), taskId };
}

/** Resident set size of `pid` in MiB, from /proc. */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Drives `url` with both tenants at once for `duration` seconds; samples `pid`'s RSS every second. */
async function drive(
  url: string,
  pid: number,
  tenants: readonly [Tenant, Tenant],
  probeStatus: 404 | 200,
): Promise<Run> {
  let unexpected = 0;
  let crossTenant = 0;
  const expect = (wanted: number) => (status: number) => void (status !== wanted && unexpected++);
  const instances = tenants.map((tenant, index) => {
    const other = tenants[1 - index] as Tenant;
    const headers = { authorization: `Bearer ${tenant.token}`, "content-type": "application/json" };
    return autocannon({
      url,
      connections: CONNECTIONS_PER_TENANT,
      duration,
      requests: [
        {
          method: "GET",
          path: `/api/projects/${tenant.projectId}/tasks?limit=20`,
          headers,
          onResponse: (status, body) => {
            expect(200)(status);
            if (body.includes(other.projectId)) crossTenant++;
          },
        },
        { method: "GET", path: `/api/projects/${tenant.projectId}`, headers, onResponse: expect(200) },
        {
          method: "POST",
          path: `/api/projects/${tenant.projectId}/tasks`,
          headers,
          body: JSON.stringify({ title: "written under load" }),
          onResponse: expect(201),
        },
        {
          method: "PATCH",
          path: `/api/tasks/${tenant.taskId}`,
          headers,
          body: JSON.stringify({ done: true }),
          onResponse: expect(200),
        },
        // The other tenant's project, by its real id: never visible (the bare stack has no tenants: 200).
        { method: "GET", path: `/api/projects/${other.projectId}`, headers, onResponse: expect(probeStatus) },
      ],
    });
  });
  const idleRss = await rssMiB(pid);
  const rss: number[] = [];
  const sampler = setInterval(() => void rssMiB(pid).then((value) => rss.push(value)), 1000);
  const results = await Promise.all(instances);
  clearInterval(sampler);
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  // Latencies of the two instances: the larger percentile of the two (they run the same mix).
  return {
    requests,
    requestsPerSec: requests / duration,
    p50: Math.max(...results.map((result) => result.latency.p50)),
    p99: Math.max(...results.map((result) => result.latency.p99)),
    errors: results.reduce((sum, result) => sum + result.errors + result.timeouts, 0),
    unexpected,
    crossTenant,
    idleRss,
    rss,
  };
}

/** Rows whose tenant differs from their project's: must be none. */
async function crossTenantRows(): Promise<number> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin.unsafe(
      `select count(*)::int as n from ${schema}.tasks t join ${schema}.projects p on p.id = t.project_id
        where t.tenant_id <> p.tenant_id`,
    );
    return Number(row?.n);
  } finally {
    await admin.end();
  }
}

async function dropSchema(): Promise<void> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop schema if exists ${schema} cascade`);
  await admin.end();
}

/**
 * Starts `script` with Node on a free port, its output going to a file: a pipe read by this busy process
 * would back up and grow the server's memory, which is not what a service writing its logs sees.
 */
async function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; log: string }> {
  const port = await freePort();
  const log = join(tmpdir(), `reference-load-${port}.log`);
  const out = openSync(log, "w");
  const child = spawn(process.execPath, [script], {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${await readFile(log, "utf8")}`);
    try {
      await fetch(`${url}/healthz`);
      return { url, child, log };
    } catch {
      if (tries > 600) throw new Error(`${script} did not answer:\n${await readFile(log, "utf8")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** SIGTERM, and wait for the exit. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** How many times `faster`'s throughput is `slower`'s. */
const ratio = (faster: Run, slower: Run): string =>
  (faster.requestsPerSec / slower.requestsPerSec).toFixed(2);

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

try {
  console.log(
    `load: ${duration} s per stack, 2 tenants x ${CONNECTIONS_PER_TENANT} connections, schema ${schema}`,
  );
  const full = await startServer("src/node.ts", {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DB_SCHEMA: schema,
    JWT_SECRET: Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
      b.toString(16).padStart(2, "0"),
    ).join(""),
    RATE_LIMIT_PREFIX: `keel:load:${crypto.randomUUID()}:`,
    // Two users drive thousands of requests a second: lift the per-user API limit (still counted in Redis).
    API_RATE_LIMIT: "1000000000",
  });
  let tenants: [Tenant, Tenant];
  let fullRun: Run;
  try {
    tenants = [await seed(full.url, "alpha"), await seed(full.url, "beta")];
    fullRun = await drive(full.url, full.child.pid ?? 0, tenants, 404);
  } finally {
    await stopServer(full.child);
  }
  const rows = await crossTenantRows();

  const bareRun = async (tenantTransactions: boolean): Promise<Run> => {
    const bare = await startServer("load/bare-service.ts", {
      DATABASE_URL: databaseUrl,
      DB_SCHEMA: schema,
      BARE_TENANT_TRANSACTIONS: tenantTransactions ? "1" : "0",
    });
    try {
      return await drive(bare.url, bare.child.pid ?? 0, tenants, 200);
    } finally {
      await stopServer(bare.child);
    }
  };
  const transactionsRun = await bareRun(true);
  const plainRun = await bareRun(false);

  const steady = (run: Run) => run.rss.slice(WARM_UP_SEC);
  // The mean of each 10 s after warm-up: a leak shows as a rising series, a steady state as a flat one.
  const rssText = (run: Run) => {
    const samples = steady(run);
    const windows: string[] = [];
    for (let i = 0; i < samples.length; i += 10) windows.push(mean(samples.slice(i, i + 10)).toFixed(0));
    return `${run.idleRss.toFixed(0)} before; ${windows.join(", ")}`;
  };
  const line = (name: string, run: Run) =>
    `| ${name} | ${run.requests} | ${run.requestsPerSec.toFixed(0)} | ${run.p50} ms | ${run.p99} ms | ${run.errors + run.unexpected} | ${rssText(run)} |`;
  const table = [
    `Node ${process.versions.node}, ${duration} s, 2 tenants x ${CONNECTIONS_PER_TENANT} connections, on ${new Date().toISOString().slice(0, 10)}; RSS sampled every second, from ${WARM_UP_SEC} s of warm-up on.`,
    "",
    "| stack | requests | req/s | p50 | p99 | errors | RSS in MiB: before the load, then the mean of each 10 s |",
    "|---|---:|---:|---:|---:|---:|---|",
    line("reference service (PostgreSQL + Redis)", fullRun),
    line("bare, each query in a transaction that sets the tenant", transactionsRun),
    line("bare: same routes, no security stack, no tenancy", plainRun),
    "",
    `- Overhead of the security stack and tenancy: ${ratio(plainRun, fullRun)}x the bare throughput ` +
      `(req/s bare / full), p50 ${(fullRun.p50 / Math.max(plainRun.p50, 1)).toFixed(2)}x, p99 ${(fullRun.p99 / Math.max(plainRun.p99, 1)).toFixed(2)}x.`,
    `- Of which the tenant transactions alone (BEGIN, set_config, the query, COMMIT: four statements for one): ` +
      `${ratio(plainRun, transactionsRun)}x; the rest (JWT, tenant resolution, rate limit in Redis, headers, CORS, ` +
      `CSRF, body limit, the row-level security policies): ${ratio(transactionsRun, fullRun)}x.`,
    `- Cross-tenant: ${fullRun.crossTenant} list responses held the other tenant's project; every probe of the other tenant's project by id was a 404 (any other answer is counted under errors); ${rows} task rows point at another tenant's project.`,
  ].join("\n");
  console.log(`\n${table}\n`);

  const failed = fullRun.errors + fullRun.unexpected + fullRun.crossTenant + rows;
  if (values.write) {
    const readme = new URL("../README.md", import.meta.url);
    const text = await readFile(readme, "utf8");
    const start = "<!-- load:start -->";
    const end = "<!-- load:end -->";
    const before = text.slice(0, text.indexOf(start) + start.length);
    const after = text.slice(text.indexOf(end));
    if (!text.includes(start) || !text.includes(end)) throw new Error("README.md has no load markers");
    await writeFile(readme, `${before}\n${table}\n${after}`);
    console.log("README.md updated");
  }
  if (failed > 0) {
    console.error(`load: ${failed} errors, unexpected answers or cross-tenant rows`);
    process.exitCode = 1;
  }
} finally {
  await dropSchema();
}
