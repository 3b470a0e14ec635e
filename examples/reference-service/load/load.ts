/**
 * Load and soak: `npm run load -w examples/reference-service [-- --duration 60 --slice 10 --warm-up 10
 * --latency-ms 1 --write]`.
 *
 * Runs the service on Node against the real PostgreSQL and Redis (`DATABASE_URL`, `REDIS_URL`; the local
 * servers by default), signs up two tenants, and drives it with autocannon from both tenants at once: a
 * mix of reads and writes on each tenant's own project, plus a probe for the other tenant's project (which
 * must be a 404). Every response is checked: any unexpected status, or a list holding the other tenant's
 * project, is counted. The same load drives `bare-service.ts` (same routes and SQL, without the security
 * stack and tenancy), once with each query in a tenant transaction and once without. Each stack is first
 * driven for `--warm-up` seconds, unmeasured; then the three take turns in slices of `--slice` seconds (A B
 * C, then C B A, ...) until each had `--duration` seconds, as the per-request benchmarks interleave their
 * sides: a machine that slows down or speeds up during the run (another job, thermal throttling, a growing
 * table) weighs on every stack alike, so the ratios do not drift with it. Each server's RSS is sampled every
 * second of its slices. All of it runs twice: over loopback, then with `--latency-ms` each way between the
 * stacks and PostgreSQL and Redis (`load/latency-proxy.ts`; `0` skips that run). `--write` puts both tables
 * into the README.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort } from "@keel/testing/example-server";
import autocannon from "autocannon";
import postgres from "postgres";
import { ACCESS_TOKEN_SEC } from "../src/access-tokens.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    slice: { type: "string", default: "10" },
    "latency-ms": { type: "string", default: "1" },
    "warm-up": { type: "string", default: "10" },
    write: { type: "boolean", default: false },
  },
});
const wholeSeconds = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(`--${name} must be a whole number of seconds`);
  return value;
};
/** Seconds of load per stack, and the seconds of each of its turns. */
const duration = wholeSeconds("duration", values.duration);
const sliceSec = Math.min(wholeSeconds("slice", values.slice), duration);
/** The turns of each stack: `sliceSec` each, the last one what remains of `duration`. */
const slices = Array.from({ length: Math.ceil(duration / sliceSec) }, (_, index) =>
  Math.min(sliceSec, duration - index * sliceSec),
);
/** Seconds each stack is driven, unmeasured, before the turns: JIT, connection pools and PostgreSQL's caches. */
const warmUpSec = wholeSeconds("warm-up", values["warm-up"]);
const CONNECTIONS_PER_TENANT = 8;
/** PostgreSQL connections of every stack: one per request under way, as a tenant transaction holds one. */
const POOL_SIZE = 2 * CONNECTIONS_PER_TENANT;
const dir = fileURLToPath(new URL("..", import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** The network delay of the second run, each way, between the stacks and PostgreSQL and Redis (0: none). */
const latencyMs = Number(values["latency-ms"]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new TypeError("--latency-ms must be 0 or more");

interface Tenant {
  readonly workspace: string;
  readonly credentials: { readonly email: string; readonly password: string };
  readonly projectId: string;
  readonly taskId: string;
  token: string;
  /** When `token` was issued (ms): it is renewed before it expires, on a long run. */
  issuedAt: number;
}

/** What one stack did over all its slices. */
interface Run {
  readonly name: string;
  seconds: number;
  requests: number;
  errors: number;
  unexpected: number;
  crossTenant: number;
  /** Every response's latency in ms, for the percentiles. */
  readonly latencies: number[];
  /** Requests a second of each slice, to see how much the machine drifted. */
  readonly sliceRates: number[];
  /** RSS in MiB before the load, then every second under it. */
  idleRss: number;
  readonly rss: number[];
}

const newRun = (name: string): Run => ({
  name,
  seconds: 0,
  requests: 0,
  errors: 0,
  unexpected: 0,
  crossTenant: 0,
  latencies: [],
  sliceRates: [],
  idleRss: Number.NaN,
  rss: [],
});

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

async function logIn(url: string, workspace: string, credentials: Tenant["credentials"]): Promise<string> {
  const { accessToken } = await call(url, "/auth/login", { body: { workspace, ...credentials } });
  return String(accessToken);
}

/** A workspace with one project of 20 tasks, and an access token. */
async function seed(url: string, name: string): Promise<Tenant> {
  const workspace = `${name}-${crypto.randomUUID().slice(0, 8)}`;
  const credentials = { email: `load@${name}.example.com`, password: `load test ${crypto.randomUUID()}` };
  await call(url, "/auth/signup", { body: { workspace, workspaceName: name, ...credentials } });
  const issuedAt = Date.now();
  const token = await logIn(url, workspace, credentials);
  const project = await call(url, "/api/projects", { token, body: { name: `${name} project` } });
  let taskId = "";
  for (let i = 0; i < 20; i++) {
    taskId = String(
      (await call(url, `/api/projects/${project.id}/tasks`, { token, body: { title: `task ${i}` } })).id,
    );
  }
  return { workspace, credentials, projectId: String(project.id), taskId, token, issuedAt };
}

/** Logs in again when `tenant`'s token could expire during the next slice (a run longer than its life). */
async function renewToken(url: string, tenant: Tenant): Promise<void> {
  const lifeLeftMs = tenant.issuedAt + ACCESS_TOKEN_SEC * 1000 - Date.now();
  if (lifeLeftMs > (sliceSec + 30) * 1000) return;
  tenant.issuedAt = Date.now();
  tenant.token = await logIn(url, tenant.workspace, tenant.credentials);
}

/** Resident set size of `pid` in MiB, from /proc. */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** autocannon, reporting each response's latency (its promise form hides the instance that emits them). */
function cannon(options: autocannon.Options, onLatency: (ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on("response", (_client, _status, _bytes, latencyMs) => onLatency(latencyMs));
  });
}

/** One slice: drives `url` with both tenants at once for `seconds`, adding what it saw to `run`. */
async function drive(
  run: Run,
  url: string,
  pid: number,
  tenants: readonly [Tenant, Tenant],
  probeStatus: 404 | 200,
  seconds: number,
): Promise<void> {
  const expect = (wanted: number) => (status: number) => void (status !== wanted && run.unexpected++);
  const instances = tenants.map((tenant, index) => {
    const other = tenants[1 - index] as Tenant;
    const headers = { authorization: `Bearer ${tenant.token}`, "content-type": "application/json" };
    return cannon(
      {
        url,
        connections: CONNECTIONS_PER_TENANT,
        duration: seconds,
        requests: [
          {
            method: "GET",
            path: `/api/projects/${tenant.projectId}/tasks?limit=20`,
            headers,
            onResponse: (status, body) => {
              expect(200)(status);
              if (body.includes(other.projectId)) run.crossTenant++;
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
          {
            method: "GET",
            path: `/api/projects/${other.projectId}`,
            headers,
            onResponse: expect(probeStatus),
          },
        ],
      },
      (latencyMs) => run.latencies.push(latencyMs),
    );
  });
  const sampler = setInterval(() => void rssMiB(pid).then((value) => run.rss.push(value)), 1000);
  const results = await Promise.all(instances);
  clearInterval(sampler);
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  run.seconds += seconds;
  run.requests += requests;
  run.sliceRates.push(requests / seconds);
  run.errors += results.reduce((sum, result) => sum + result.errors + result.timeouts, 0);
}

/** The `q` quantile of the latencies, in ms (nearest rank). */
function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** Rows whose tenant differs from their project's: must be none. */
async function crossTenantRows(schema: string): Promise<number> {
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

/**
 * Gives the planner statistics of the seeded tables, as autovacuum's analyze does on a default server. A
 * server with autovacuum off (this one) plans the tenant-scoped task list from default selectivities:
 * about one row, so past some 70,000 rows it sorts every task of the project instead of reading the first
 * page from the index, and the run measures that plan rather than the stack.
 */
async function analyze(schema: string): Promise<void> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`analyze ${schema}.projects, ${schema}.tasks`);
  await admin.end();
}

async function dropSchema(schema: string): Promise<void> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop schema if exists ${schema} cascade`);
  await admin.end();
}

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly log: string;
}

/**
 * Starts `script` with Node on a free port, its output going to a file: a pipe read by this busy process
 * would back up and grow the server's memory, which is not what a service writing its logs sees.
 */
async function startServer(script: string, env: Record<string, string>): Promise<Server> {
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
  (faster.requests / faster.seconds / (slower.requests / slower.seconds)).toFixed(2);

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The network between the stacks and PostgreSQL and Redis: loopback, or proxies that delay each way. */
interface Network {
  readonly latencyMs: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  close(): Promise<void>;
}

async function network(delayMs: number): Promise<Network> {
  if (delayMs === 0) return { latencyMs: 0, databaseUrl, redisUrl, close: async () => {} };
  const child = spawn(process.execPath, ["load/latency-proxy.ts", String(delayMs), databaseUrl, redisUrl], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`load/latency-proxy.ts exited (${code}) before it listened`);
  });
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), "line"),
    exited,
  ]);
  exited.catch(() => {}); // it exits at close, after the run
  const [proxiedDatabase, proxiedRedis] = JSON.parse(String(line)) as [string, string];
  return {
    latencyMs: delayMs,
    databaseUrl: proxiedDatabase,
    redisUrl: proxiedRedis,
    close: () => stopServer(child),
  };
}

/** Runs the three stacks in turns over `net`; gives the README table and the count of failures. */
async function runStacks(net: Network): Promise<{ table: string; failed: number }> {
  const schema = `reference_load_${crypto.randomUUID().slice(0, 8)}`;
  const where =
    net.latencyMs === 0 ? "over loopback" : `${net.latencyMs} ms each way to PostgreSQL and Redis`;
  const servers: Server[] = [];
  try {
    console.log(
      `load, ${where}: ${duration} s per stack in turns of ${sliceSec} s, 2 tenants x ${CONNECTIONS_PER_TENANT} connections, schema ${schema}`,
    );
    const full = await startServer("src/node.ts", {
      DATABASE_URL: net.databaseUrl,
      REDIS_URL: net.redisUrl,
      DB_SCHEMA: schema,
      JWT_SECRET: Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
        b.toString(16).padStart(2, "0"),
      ).join(""),
      RATE_LIMIT_PREFIX: `keel:load:${crypto.randomUUID()}:`,
      // Two users drive thousands of requests a second: lift the per-user API limit (still counted in Redis).
      API_RATE_LIMIT: "1000000000",
      DB_POOL_SIZE: String(POOL_SIZE),
    });
    servers.push(full);
    const tenants: [Tenant, Tenant] = [await seed(full.url, "alpha"), await seed(full.url, "beta")];
    await analyze(schema);
    // The bare stacks read the schema the service migrated and the seed filled.
    const bare = (tenantTransactions: boolean) =>
      startServer("load/bare-service.ts", {
        DATABASE_URL: net.databaseUrl,
        DB_SCHEMA: schema,
        BARE_TENANT_TRANSACTIONS: tenantTransactions ? "1" : "0",
        DB_POOL_SIZE: String(POOL_SIZE),
      });
    const transactions = await bare(true);
    servers.push(transactions);
    const plain = await bare(false);
    servers.push(plain);

    const fullRun = newRun("reference service (PostgreSQL + Redis)");
    const transactionsRun = newRun("bare, each query in a tenant transaction");
    const plainRun = newRun("bare: same routes, no security stack, no tenancy");
    const stacks = [
      { run: fullRun, server: full, probeStatus: 404 as const },
      { run: transactionsRun, server: transactions, probeStatus: 200 as const },
      { run: plainRun, server: plain, probeStatus: 200 as const },
    ];
    for (const { run, server, probeStatus } of stacks) {
      run.idleRss = await rssMiB(server.child.pid ?? 0);
      const warmUp = newRun("warm-up");
      await drive(warmUp, server.url, server.child.pid ?? 0, tenants, probeStatus, warmUpSec);
      // Not measured, but checked: a wrong answer or a cross-tenant row counts all the same.
      run.errors += warmUp.errors;
      run.unexpected += warmUp.unexpected;
      run.crossTenant += warmUp.crossTenant;
    }
    for (const [turn, seconds] of slices.entries()) {
      // A B C, then C B A: each stack's mean place in the run is the same.
      for (const { run, server, probeStatus } of turn % 2 === 0 ? stacks : stacks.toReversed()) {
        if (run === fullRun) for (const tenant of tenants) await renewToken(full.url, tenant);
        await drive(run, server.url, server.child.pid ?? 0, tenants, probeStatus, seconds);
      }
    }
    await Promise.all(servers.map((server) => stopServer(server.child)));
    const rows = await crossTenantRows(schema);

    const latency = (run: Run) => {
      const sorted = run.latencies.toSorted((a, b) => a - b);
      return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
    };
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    // The mean of each 10 s: a leak shows as a rising series, a steady state as a flat one.
    const rssText = (run: Run) => {
      const samples = run.rss;
      const windows: string[] = [];
      for (let i = 0; i < samples.length; i += 10) windows.push(mean(samples.slice(i, i + 10)).toFixed(0));
      return `${run.idleRss.toFixed(0)} before; ${windows.join(", ")}`;
    };
    const line = (run: Run) => {
      const { p50, p99 } = latency(run);
      return `| ${run.name} | ${run.requests} | ${(run.requests / run.seconds).toFixed(0)} | ${ms(p50)} | ${ms(p99)} | ${run.errors + run.unexpected} | ${rssText(run)} |`;
    };
    const fullLatency = latency(fullRun);
    const plainLatency = latency(plainRun);
    const table = [
      `**${net.latencyMs === 0 ? "Loopback" : `${net.latencyMs} ms each way to PostgreSQL and Redis`}.** Node ${process.versions.node}, ${duration} s per stack in turns of ${sliceSec} s (A B C, C B A, ...), 2 tenants x ${CONNECTIONS_PER_TENANT} connections, pools of ${POOL_SIZE} PostgreSQL connections, on ${new Date().toISOString().slice(0, 10)}; each stack warmed up for ${warmUpSec} s first, unmeasured; RSS sampled every second under load.`,
      "",
      "| stack | requests | req/s | p50 | p99 | errors | RSS in MiB: before the load, then the mean of each 10 s under it |",
      "|---|---:|---:|---:|---:|---:|---|",
      line(fullRun),
      line(transactionsRun),
      line(plainRun),
      "",
      `- Full / bare throughput: ${ratio(fullRun, plainRun)} (the overhead of the security stack and tenancy: ` +
        `${ratio(plainRun, fullRun)}x; p50 ${(fullLatency.p50 / plainLatency.p50).toFixed(2)}x, p99 ${(fullLatency.p99 / plainLatency.p99).toFixed(2)}x).`,
      `- Of which the tenant transactions alone (\`createTenantTransaction\` of \`@keel/tenant-context/postgres\`: ` +
        `BEGIN and set_config, then the query, then COMMIT): ${ratio(plainRun, transactionsRun)}x; the rest ` +
        `(JWT, tenant resolution, rate limit in Redis, headers, CORS, CSRF, body limit, the row-level security ` +
        `policies): ${ratio(transactionsRun, fullRun)}x.`,
      `- Cross-tenant: ${fullRun.crossTenant} list responses held the other tenant's project; every probe of the other tenant's project by id was a 404 (any other answer is counted under errors); ${rows} task rows point at another tenant's project.`,
    ].join("\n");
    for (const run of stacks.map((stack) => stack.run)) {
      console.log(
        `req/s of each turn, ${run.name}: ${run.sliceRates.map((rate) => rate.toFixed(0)).join(", ")}`,
      );
    }
    console.log(`\n${table}\n`);
    return { table, failed: fullRun.errors + fullRun.unexpected + fullRun.crossTenant + rows };
  } finally {
    await Promise.all(servers.map((server) => stopServer(server.child)));
    await dropSchema(schema);
  }
}

const tables: string[] = [];
let failed = 0;
for (const delayMs of latencyMs === 0 ? [0] : [0, latencyMs]) {
  const net = await network(delayMs);
  try {
    const result = await runStacks(net);
    tables.push(result.table);
    failed += result.failed;
  } finally {
    await net.close();
  }
}
if (values.write) {
  const readme = new URL("../README.md", import.meta.url);
  const text = await readFile(readme, "utf8");
  const start = "<!-- load:start -->";
  const end = "<!-- load:end -->";
  if (!text.includes(start) || !text.includes(end)) throw new Error("README.md has no load markers");
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  await writeFile(readme, `${before}\n${tables.join("\n\n")}\n${after}`);
  console.log("README.md updated");
}
if (failed > 0) {
  console.error(`load: ${failed} errors, unexpected answers or cross-tenant rows`);
  process.exitCode = 1;
}
