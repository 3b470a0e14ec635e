// Tenant transactions over a network: 1 ms each way between the driver and the real PostgreSQL (the
// in-process proxy of @keel/testing/latency-proxy; no system settings), before and after the round-trip work, on pg,
// pg's pipeline mode and postgres.js. One connection, one transaction at a time, one query in each: the
// rate is what one connection does, a pool multiplies it. Counts round trips and statements per
// transaction, and writes the table into the README between <!-- round-trips:start --> and :end.
//
//   node packages/tenant-context/bench/transaction-round-trips.ts   (PostgreSQL on 127.0.0.1:5432)
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { startLatencyProxy } from "@keel/testing/latency-proxy";
import pg from "pg";
import postgres from "postgres";
import { writeBlock } from "../../../scripts/lib/readme.ts";
import { createTenantContext } from "../src/index.ts";
import { createTenantTransaction as pgTransaction } from "../src/pg.ts";
import { createTenantTransaction as postgresJsTransaction } from "../src/postgres.ts";
import { createPostgresFixture } from "../test/postgres-fixture.ts";

const DELAY_MS = 1;
const TRANSACTIONS = 200; // per round and side
const ROUNDS = 3; // interleaved, the best of each side kept

const tenants = createTenantContext<{ id: string }>();
const acme = { id: "acme" };
const SET_TENANT = "select set_config($1, $2, true)";

// What createTenantTransaction sent before (0.0.0): BEGIN, the setting, the work, the setting again (to
// fail if a query had failed inside), COMMIT, each awaited.
function pgBefore(pool: pg.Pool) {
  return async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const id = tenants.currentOrThrow().id;
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(SET_TENANT, ["app.tenant_id", id]);
      const result = await work(client);
      await client.query(SET_TENANT, ["app.tenant_id", id]);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };
}
function postgresJsBefore(sql: postgres.Sql) {
  return async <T>(work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> => {
    const id = tenants.currentOrThrow().id;
    return (await sql.begin(async (tx) => {
      await tx.unsafe(SET_TENANT, ["app.tenant_id", id]);
      const result = await work(tx);
      await tx.unsafe(SET_TENANT, ["app.tenant_id", id]);
      return result;
    })) as T;
  };
}

interface Side {
  readonly run: () => Promise<unknown>;
  roundTrips: number;
  statements: number;
  perSecond: number;
}

const fixture = await createPostgresFixture();
const proxy = await startLatencyProxy({ target: { host: "127.0.0.1", port: 5432 }, delayMs: DELAY_MS });
const url = proxy.via(fixture.appUrl);
const select = `select name from ${fixture.schema}.projects`;

async function measure(side: Side): Promise<void> {
  const [flights, statements] = [proxy.flights, proxy.statements];
  const started = performance.now();
  for (let i = 0; i < TRANSACTIONS; i++) await tenants.run(acme, side.run);
  const seconds = (performance.now() - started) / 1000;
  side.roundTrips = (proxy.flights - flights) / TRANSACTIONS;
  side.statements = (proxy.statements - statements) / TRANSACTIONS;
  side.perSecond = Math.max(side.perSecond, TRANSACTIONS / seconds);
}

const side = (run: () => Promise<unknown>): Side => ({ run, roundTrips: 0, statements: 0, perSecond: 0 });
const rows: string[] = [];
try {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const pipelined = new pg.Pool({ connectionString: url, max: 1, pipeline: true } as pg.PoolConfig);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const pgAfter = (of: pg.Pool) => pgTransaction<pg.PoolClient>(of, { context: tenants });
  const cases: [string, Side, Side][] = [
    [
      "pg",
      side(() => pgBefore(pool)((client) => client.query(select))),
      side(() => pgAfter(pool)((client) => client.query(select))),
    ],
    [
      "pg, `pipeline: true`",
      side(() => pgBefore(pipelined)((client) => client.query(select))),
      side(() => pgAfter(pipelined)((client) => client.query(select))),
    ],
    [
      "postgres.js",
      side(() => postgresJsBefore(sql)(async (tx) => await tx.unsafe(select))),
      side(() =>
        postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants })(
          async (tx) => await tx.unsafe(select),
        ),
      ),
    ],
  ];
  for (const [name, before, after] of cases) {
    for (const warm of [before, after]) await tenants.run(acme, warm.run); // connect, prepare
    for (let round = 0; round < ROUNDS; round++) {
      for (const next of round % 2 === 0 ? [before, after] : [after, before]) await measure(next);
    }
    const row = `| ${name} | ${before.roundTrips} | ${before.statements} | ${Math.round(before.perSecond)} | ${after.roundTrips} | ${after.statements} | ${Math.round(after.perSecond)} | ${(after.perSecond / before.perSecond).toFixed(2)}x |`;
    console.log(row);
    rows.push(row);
  }
  await Promise.all([pool.end(), pipelined.end(), sql.end()]);
} finally {
  await proxy.close();
  await fixture.drop();
}

// The load matters: on a busy machine a 1 ms timer fires late, which lowers every rate but not the ratio.
const machine = `${process.release.name} ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(0)}, ${new Date().toISOString().slice(0, 10)}`;
const table = [
  `Measured by \`node bench/transaction-round-trips.ts\` (${machine}) through a proxy that delays each chunk ${DELAY_MS} ms each way; one connection, one transaction at a time, one query in each. Speed = after ÷ before: above 1x faster.`,
  "",
  "| driver | before: round trips | statements | transactions/s | after: round trips | statements | transactions/s | speed |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  ...rows,
].join("\n");
const readmePath = new URL("../README.md", import.meta.url);
writeFileSync(readmePath, writeBlock(readFileSync(readmePath, "utf8"), "round-trips", table, "Round trips"));
console.log(`\n${table}`);
