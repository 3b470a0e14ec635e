/**
 * A taken port is one clear line and exit 1, never an unhandled EADDRINUSE stack: `npm start` (the root's
 * scripts/start.ts) says so before it builds or opens a database, and the Node entry itself says so when the
 * port was taken after that check (one JSON log line, then the pools close).
 */
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { binaries, repoRoot } from "@keel/testing/binaries";
import { onRuntime } from "@keel/testing/example-server";
import { runProcess } from "@keel/testing/process";
import { requireService } from "@keel/testing/services";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const postgres = await requireService("postgres");
if (postgres.skip) throw new Error("the reference service's tests need PostgreSQL");

/** A stack frame as Node prints it ("    at listenInCluster (node:net:…)"). */
const STACK_FRAME = /^\s+at /m;

let holder: Server | undefined;
/** Listens on a free 127.0.0.1 port and keeps it, as another program on the machine would. */
function takePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      holder = server;
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });
}
afterEach(async () => {
  await new Promise((resolve) => (holder === undefined ? resolve(undefined) : holder.close(resolve)));
  holder = undefined;
});

const schemas: string[] = [];
afterAll(async () => {
  if (postgres.skip || schemas.length === 0) return;
  const { default: connect } = await import("postgres");
  const url = new URL(postgres.url);
  if (url.username === "") url.username = "postgres";
  const admin = connect(url.href, { max: 1, onnotice: () => {} });
  for (const schema of schemas) await admin.unsafe(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

describe("reference-service on a taken port", onRuntime("node"), () => {
  it("`npm start` answers with one line and exit 1, before it builds or starts the service", async () => {
    const port = await takePort();
    const result = await runProcess(binaries.node24, [join(repoRoot, "scripts", "start.ts")], {
      cwd: repoRoot,
      env: { PORT: String(port) },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.output.trim().split("\n")).toEqual([
      `Port ${port} is in use on 127.0.0.1: stop what listens there, or set PORT (PORT=${port + 1} npm start).`,
    ]);
    // Nothing ran after the check: no build line, no start-up log, no stack.
    expect(result.output).not.toContain("build:");
    expect(result.output).not.toMatch(STACK_FRAME);
  });

  it("the Node entry answers a port taken after that check with one log line and exit 1", async () => {
    const port = await takePort();
    const schema = `reference_port_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    schemas.push(schema);
    const result = await runProcess(binaries.node24, ["src/node.ts"], {
      cwd: dir,
      env: {
        PORT: String(port),
        DATABASE_URL: postgres.skip ? "" : postgres.url,
        DB_SCHEMA: schema,
        JWT_SECRET: "a".repeat(16) + crypto.randomUUID(),
      },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    const lines = result.output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "error",
      msg: `port ${port} is in use on 127.0.0.1: stop what listens there, or set PORT`,
    });
    expect(result.output).not.toContain("listening on");
    expect(result.output).not.toMatch(STACK_FRAME);
  });
});
