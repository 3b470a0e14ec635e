#!/usr/bin/env node
/**
 * @module
 * `keel-rls-check`: the row-level security self-check as a command, for CI after the migrations ran. It
 * connects with node-postgres (`pg`, install it beside this package) as the service's role, prints each
 * problem as `schema.table: reason` and exits 1 when there is one (2 when it cannot run at all).
 */
import { checkRowLevelSecurity } from "../src/pg.ts";
import type { RlsCheckOptions } from "../src/rls-check.ts";

// Package sources see no Node types: the little of `process` this needs, typed here.
interface Process {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  exitCode?: number;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}
const { process } = globalThis as unknown as { process: Process };

const usage = `Usage: keel-rls-check [--database-url URL] [options]

Checks, as the role of the connection, that PostgreSQL enforces tenant isolation; exits 1 naming each
table and reason when it does not, 2 when it cannot run. Connect as the service's role, not the owner.

  --database-url URL        the connection (default: $DATABASE_URL)
  --setting NAME            the setting the policies read (default: app.tenant_id)
  --column NAME             the tenant column (default: tenant_id)
  --schema NAME             a schema to check (repeat; default: every schema the role may use)
  --trusted-function NAME   a reviewed SECURITY DEFINER function, schema.name (repeat)
  --trusted-policy NAME     a reviewed policy, schema.table.policy (repeat)
  --no-probe                skip trying the tables with no tenant and an unknown one
  --help                    this text
`;

const repeated = {
  "--schema": "schemas",
  "--trusted-function": "trustedFunctions",
  "--trusted-policy": "trustedPolicies",
} as const;

/** The options from the arguments, or the message that they are wrong. */
function parse(args: readonly string[]): { url: string | undefined; options: RlsCheckOptions } | string {
  const lists: Record<(typeof repeated)[keyof typeof repeated], string[]> = {
    schemas: [],
    trustedFunctions: [],
    trustedPolicies: [],
  };
  let url = process.env.DATABASE_URL;
  let setting: string | undefined;
  let column: string | undefined;
  let probe = true;
  for (let i = 0; i < args.length; i++) {
    const [flag = "", inline] = (args[i] ?? "").split(/=(.*)/s, 2);
    if (flag === "--no-probe") {
      probe = false;
      continue;
    }
    const known = ["--database-url", "--setting", "--column", ...Object.keys(repeated)];
    if (!known.includes(flag)) return `unknown option ${flag}`;
    const value = inline ?? args[++i];
    if (value === undefined || value === "") return `${flag} needs a value`;
    if (flag === "--database-url") url = value;
    else if (flag === "--setting") setting = value;
    else if (flag === "--column") column = value;
    else if (flag in repeated) lists[repeated[flag as keyof typeof repeated]].push(value);
    else return `unknown option ${flag}`;
  }
  return {
    url,
    options: {
      ...(setting === undefined ? {} : { setting }),
      ...(column === undefined ? {} : { column }),
      ...(lists.schemas.length > 0 ? { schemas: lists.schemas } : {}),
      trustedFunctions: lists.trustedFunctions,
      trustedPolicies: lists.trustedPolicies,
      probe,
    },
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help")) {
    process.stdout.write(usage);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === "string" || parsed.url === undefined) {
    process.stderr.write(
      `keel-rls-check: ${typeof parsed === "string" ? parsed : "no --database-url and no DATABASE_URL"}\n\n${usage}`,
    );
    return 2;
  }
  let pg: typeof import("pg").default;
  try {
    pg = (await import("pg")).default;
  } catch {
    process.stderr.write("keel-rls-check: needs node-postgres: npm install --save-dev pg\n");
    return 2;
  }
  // One fresh connection: the probe then also tries the setting unset, as a new connection has it.
  const client = new pg.Client({ connectionString: parsed.url });
  client.on("error", () => {}); // a lost connection fails the query in progress instead
  try {
    await client.connect();
    const report = await checkRowLevelSecurity(client, parsed.options);
    if (report.isOk()) {
      process.stdout.write(
        `keel-rls-check: row-level security is in force on ${report.value.tables.length} tenant table(s): ${report.value.tables.join(", ")}\n`,
      );
      return 0;
    }
    for (const problem of report.error.problems) process.stderr.write(`${problem}\n`);
    process.stderr.write(
      `keel-rls-check: ${report.error.problems.length} problem(s) in the tables of schemas ${report.error.schemas.join(", ") || "(none)"}\n`,
    );
    return 1;
  } catch (thrown) {
    process.stderr.write(`keel-rls-check: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
    return 2;
  } finally {
    await client.end().catch(() => {});
  }
}

process.exitCode = await main();
