// `npm test`: everything a change must pass, in the order that fails fastest. First the checks (package
// template, build + typecheck, lint, the README and JSDoc code blocks, README size tables, what each entry
// loads unbundled, the workflow lint, `deno publish --dry-run` and `deno doc --lint`); then every package's
// vitest suite on five runtimes (Node 24, Node 20, Bun, Deno, workerd through the vitest pool), each
// package's whole suite against its dist in workerd with no compatibility flags ("workerd []"), the
// type-level tests once ("types"), every example's e2e suite over real HTTP, and the consumer check of the
// packed tarballs. It ends with a package x runtime table and
// exits non-zero if any step failed or any leg ran zero tests.
//
// The script is plan (which steps and which suite x leg jobs), run (each job's outcome as data, read from
// vitest's JSON reporter) and report (the tables and the summary line).
//
//   node scripts/test.ts                          everything
//   node scripts/test.ts --package result         one package (folder or npm name), all legs
//   node scripts/test.ts --leg bun                every package on one leg
//   node scripts/test.ts --only-matrix            skip the checks, build, lint and consumer check
//   node scripts/test.ts --busy 2                 everything, with two CPU-bound loops running alongside
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type ExampleRuntime, exampleRuntimes } from "@keel/testing/example-server";
import { lastLines, runPool, runProcess } from "@keel/testing/process";
import {
  binaries,
  binPath,
  listPublicPackages,
  matchesPackage,
  type PackageJson,
  readJson,
  repoRoot,
} from "./lib/packages.ts";
import { flagSets, runSuiteInWorkerd } from "./workerd-suite.ts";

const legs = ["node24", "node20", "bun", "deno", "workerd", "workerd []", "types"] as const;
type Leg = (typeof legs)[number];

interface Suite {
  /** "packages/result", "examples/result-hono", "internal/testing". */
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly kind: "package" | "example";
  /** Legs a suite does not run on, each with the reason shown in the table. */
  readonly skipLegs: Readonly<Partial<Record<Leg, string>>>;
}

interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface Outcome extends Counts {
  readonly ok: boolean;
  readonly seconds: number;
  readonly log: string;
  /** For examples: counts per server runtime, from each test's `meta.runtime` in vitest's JSON report. */
  readonly byRuntime?: Readonly<Partial<Record<ExampleRuntime, Counts>>>;
}

interface Job {
  readonly suite: Suite;
  readonly leg: Leg;
}

interface Step {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
  /** A failed blocking step stops the run: nothing after it would mean anything (the build). */
  readonly blocking: boolean;
}

const { values: options } = parseArgs({
  options: {
    package: { type: "string" },
    leg: { type: "string" },
    "only-matrix": { type: "boolean", default: false },
    busy: { type: "string" },
  },
});

// ---------------------------------------------------------------------------------------------------------
// Plan

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
      const manifest = readJson<PackageJson>(join(dir, "package.json"));
      const skipLegs: Partial<Record<Leg, string>> = { ...(manifest.keel?.skipLegs ?? {}) };
      // The flag-free runner is for published packages: internal/testing is a Node-side harness.
      if (folder === "internal") skipLegs["workerd []"] ??= "Node-side harness";
      if (!hasTypeTests(dir)) skipLegs.types ??= "no *.test-d.ts";
      suites.push({ id: `${folder}/${name}`, dir, name: manifest.name, kind, skipLegs });
    }
  }
  return suites;
}

function hasTypeTests(dir: string): boolean {
  return readdirSync(join(dir, "test"), { recursive: true, encoding: "utf8" }).some((file) =>
    file.endsWith(".test-d.ts"),
  );
}

function planSteps(): Step[] {
  const node = (title: string, script: string, ...args: string[]): Step => ({
    title,
    command: binaries.node24,
    args: [script, ...args],
    blocking: false,
  });
  return [
    node("package checks", "scripts/check-packages.ts"),
    {
      title: "build + typecheck",
      command: binPath("turbo"),
      args: ["run", "build", "typecheck", "--output-logs=errors-only"],
      blocking: true,
    },
    {
      title: "typecheck scripts",
      command: binPath("tsc"),
      args: ["-p", "scripts/tsconfig.json"],
      blocking: false,
    },
    { title: "lint", command: binPath("biome"), args: ["ci", "."], blocking: false },
    node("README + JSDoc code blocks", "scripts/check-examples.ts"),
    node("README size tables", "scripts/size.ts", "--check"),
    node("entry import cost", "scripts/check-imports.ts"),
    node("workflow lint", "scripts/check-workflows.ts"),
    node("deno publish --dry-run", "scripts/jsr-check.ts"),
  ];
}

function planJobs(suites: readonly Suite[], onlyLeg: Leg | undefined): Job[] {
  const jobs: Job[] = [];
  for (const suite of suites) {
    // An example's suite runs once, from Node 24; it starts the app on every runtime itself.
    const suiteLegs: readonly Leg[] = suite.kind === "example" ? ["node24"] : legs;
    for (const leg of suiteLegs) {
      if ((onlyLeg === undefined || leg === onlyLeg || suite.kind === "example") && !suite.skipLegs[leg]) {
        jobs.push({ suite, leg });
      }
    }
  }
  return jobs;
}

// ---------------------------------------------------------------------------------------------------------
// Run

function vitestCommand(leg: Leg, jsonFile: string): [string, string[]] {
  const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
  const reporters = ["run", "--reporter=dot", "--reporter=json", `--outputFile.json=${jsonFile}`];
  switch (leg) {
    case "node20":
      return [binaries.node20, [vitest, ...reporters]];
    case "bun":
      // vitest's default forks pool does not start under Bun; threads does.
      return [binaries.bun, ["--bun", vitest, ...reporters, "--pool=threads"]];
    case "deno":
      return [binaries.deno, ["run", "-A", vitest, ...reporters]];
    case "workerd":
      return [
        binaries.node24,
        [vitest, ...reporters, "--config", join(repoRoot, "vitest.workerd.config.ts")],
      ];
    case "types":
      return [binaries.node24, [vitest, ...reporters, "--typecheck.only"]];
    default:
      return [binaries.node24, [vitest, ...reporters]];
  }
}

interface VitestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: { assertionResults: { status: string; meta?: { runtime?: ExampleRuntime } }[] }[];
}

function countByRuntime(report: VitestJson): Partial<Record<ExampleRuntime, Counts>> {
  const counts: Partial<Record<ExampleRuntime, { passed: number; failed: number; skipped: number }>> = {};
  for (const test of report.testResults.flatMap((file) => file.assertionResults)) {
    const runtime = test.meta?.runtime;
    if (runtime === undefined) continue;
    counts[runtime] ??= { passed: 0, failed: 0, skipped: 0 };
    const cell = counts[runtime];
    if (test.status === "passed") cell.passed++;
    else if (test.status === "failed") cell.failed++;
    else cell.skipped++;
  }
  return counts;
}

async function runVitest({ suite, leg }: Job): Promise<Outcome> {
  const scratch = mkdtempSync(join(tmpdir(), "keel-test-"));
  const jsonFile = join(scratch, "report.json");
  const [command, args] = vitestCommand(leg, jsonFile);
  const result = await runProcess(command, args, { cwd: suite.dir, timeoutMs: 1_200_000 });
  let log = result.output;
  let report: VitestJson | undefined;
  try {
    report = JSON.parse(readFileSync(jsonFile, "utf8")) as VitestJson;
  } catch {
    log += `\n(no vitest JSON report was written: exit code ${result.code}${result.timedOut ? ", timed out" : ""})`;
  }
  rmSync(scratch, { recursive: true, force: true });
  const passed = report?.numPassedTests ?? 0;
  const failed = (report?.numFailedTests ?? 0) + (report?.numFailedTestSuites ?? 0);
  const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  const ok = result.code === 0 && report?.success === true && failed === 0 && passed > 0;
  const outcome: Outcome = { ok, seconds: result.seconds, log, passed, failed, skipped };
  return suite.kind === "example" && report ? { ...outcome, byRuntime: countByRuntime(report) } : outcome;
}

/** The whole suite against dist in workerd, with no flags and with the package's declared flags. */
async function runFlagFree({ suite }: Job): Promise<Outcome> {
  const pkg = listPublicPackages().find((candidate) => candidate.dir === suite.dir);
  if (pkg === undefined)
    return { ok: false, passed: 0, failed: 1, skipped: 0, seconds: 0, log: "not a package" };
  let total: Outcome = { ok: true, passed: 0, failed: 0, skipped: 0, seconds: 0, log: "" };
  for (const flags of flagSets(pkg)) {
    const outcome = await runSuiteInWorkerd(pkg, flags);
    const lines = [...outcome.problems];
    if (outcome.fromSource.length > 0) lines.push(`ran from src, not dist: ${outcome.fromSource.join(", ")}`);
    total = {
      ok: total.ok && outcome.ok,
      passed: total.passed + outcome.passed,
      failed: total.failed + outcome.failed,
      skipped: total.skipped + outcome.skipped,
      seconds: total.seconds + outcome.seconds,
      log: `${total.log}compatibilityFlags ${JSON.stringify(flags)}:\n${lines.map((line) => `  ${line}`).join("\n")}\n`,
    };
  }
  return total;
}

/** Runs a step with its output shown as it comes; prints one line with its outcome. */
function runStep(step: Step): boolean {
  console.log(`\n== ${step.title}: ${[step.command.replace(`${repoRoot}/`, ""), ...step.args].join(" ")}`);
  const started = performance.now();
  const { status } = spawnSync(step.command, step.args, { cwd: repoRoot, stdio: "inherit" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`== ${step.title}: ${status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
  return status === 0;
}

// ---------------------------------------------------------------------------------------------------------
// Report

const cell = (counts: Counts | undefined, ok = true): string =>
  counts === undefined ? "-" : `${ok ? "" : "FAIL "}${counts.passed}/${counts.failed}/${counts.skipped}`;

function printTable(header: readonly string[], rows: readonly string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

function report(
  suites: readonly Suite[],
  jobs: readonly Job[],
  outcomes: readonly Outcome[],
  failedSteps: readonly string[],
): number {
  const outcomeOf = (suite: Suite, leg: Leg) =>
    outcomes[jobs.findIndex((job) => job.suite === suite && job.leg === leg)];
  const packageSuites = suites.filter((suite) => suite.kind === "package");
  const exampleSuites = suites.filter((suite) => suite.kind === "example");
  console.log(
    "\n== packages x runtimes (passed/failed/skipped; workerd []: the whole suite on dist, no compatibility flags; types: *.test-d.ts)",
  );
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
  const untagged: string[] = [];
  if (exampleSuites.length > 0) {
    console.log(
      "\n== examples x server runtimes, e2e over HTTP from Node 24 (passed/failed/skipped, by meta.runtime)",
    );
    printTable(
      ["example", ...exampleRuntimes],
      exampleSuites.map((suite) => [
        suite.id,
        ...exampleRuntimes.map((runtime) => cell(outcomeOf(suite, "node24")?.byRuntime?.[runtime])),
      ]),
    );
    for (const suite of exampleSuites) {
      const outcome = outcomeOf(suite, "node24");
      if (outcome === undefined) continue;
      const tagged = Object.values(outcome.byRuntime ?? {}).reduce(
        (sum, counts) => sum + counts.passed + counts.failed + counts.skipped,
        0,
      );
      const total = outcome.passed + outcome.failed + outcome.skipped;
      if (tagged < total) {
        untagged.push(
          `${suite.id}: ${total - tagged} of ${total} tests carry no meta.runtime; wrap each runtime's describe ` +
            "with onRuntime(runtime) from @keel/testing/example-server",
        );
      }
    }
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
  const exampleRuntimeMissing = exampleSuites.filter((suite) =>
    exampleRuntimes.some((runtime) => (outcomeOf(suite, "node24")?.byRuntime?.[runtime]?.passed ?? 0) === 0),
  );
  for (const line of untagged) console.log(`\n${line}`);
  if (exampleRuntimeMissing.length > 0) {
    const ids = exampleRuntimeMissing.map((suite) => suite.id).join(", ");
    console.log(`\nAn example ran no passing test on some runtime: ${ids}`);
  }
  if (failedSteps.length > 0) console.log(`\nFailed step(s): ${failedSteps.join(", ")} (see above).`);
  if (legsFailed > 0) console.log(`\n${legsFailed} leg(s) failed or ran no test.`);
  console.log(`\nkeel: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  const ok =
    legsFailed === 0 &&
    failedSteps.length === 0 &&
    exampleRuntimeMissing.length === 0 &&
    untagged.length === 0;
  return ok ? 0 : 1;
}

/**
 * `--busy N`: N processes that spin a CPU each for the whole run, so that a test that only passes on an idle
 * machine fails here rather than on a user's laptop that is also compiling something.
 */
function startBusyLoops(count: number): ChildProcess[] {
  if (count === 0) return [];
  console.log(`\n== busy: ${count} CPU-bound loop(s) run alongside the whole test run`);
  return Array.from({ length: count }, () =>
    spawn(binaries.node24, ["-e", "for (;;) {}"], { stdio: "ignore" }),
  );
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (process.env.CI && process.env.KEEL_SKIP_SERVICES) {
    console.error("KEEL_SKIP_SERVICES is set in CI: service-backed tests must run there. Unset it.");
    return 1;
  }
  const onlyLeg = options.leg as Leg | undefined;
  if (onlyLeg !== undefined && !legs.includes(onlyLeg)) {
    console.error(`--leg must be one of ${legs.map((leg) => JSON.stringify(leg)).join(", ")}`);
    return 1;
  }
  const selector = options.package;
  const suites = discoverSuites().filter(
    (suite) => selector === undefined || matchesPackage(selector, suite.name, suite.dir),
  );
  if (suites.length === 0) {
    console.error(`no test suite matches --package ${selector} (a folder name or an npm name)`);
    return 1;
  }

  const failedSteps: string[] = [];
  if (!options["only-matrix"]) {
    for (const step of planSteps()) {
      if (runStep(step)) continue;
      failedSteps.push(step.title);
      if (step.blocking) {
        console.log(`\n${step.title} failed: the suites would not test the current code. Stopping.`);
        console.log(`\nkeel: 0 passed, 0 failed, 0 skipped`);
        return 1;
      }
    }
  }

  console.log("\n== test matrix (passed/failed/skipped)");
  const jobs = planJobs(suites, onlyLeg);
  const outcomes = await runPool(jobs, async (job) => {
    const outcome = job.leg === "workerd []" ? await runFlagFree(job) : await runVitest(job);
    const verdict = outcome.ok ? "ok" : "FAILED";
    console.log(
      `${job.suite.id} on ${job.leg}: ${verdict} ${cell(outcome)} (${outcome.seconds.toFixed(1)} s)`,
    );
    if (!outcome.ok) console.log(lastLines(outcome.log, 80));
    return outcome;
  });

  if (!options["only-matrix"] && onlyLeg === undefined) {
    const consumer: Step = {
      title: "consumer check",
      command: binaries.node24,
      args: ["scripts/consumer-check.ts", ...(selector === undefined ? [] : ["--package", selector])],
      blocking: false,
    };
    const isPublic = suites.some((suite) => suite.id.startsWith("packages/"));
    if (isPublic && !runStep(consumer)) failedSteps.push(consumer.title);
  }
  return report(suites, jobs, outcomes, failedSteps);
}

const busy = options.busy === undefined ? 0 : Number(options.busy);
if (!Number.isSafeInteger(busy) || busy < 0 || busy > 64) {
  console.error("--busy takes a whole number of loops from 0 to 64");
  process.exit(1);
}
const loops = startBusyLoops(busy);
// The loops never end by themselves: stop them however this run ends.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const loop of loops) loop.kill("SIGKILL");
    process.exit(1);
  });
}
try {
  process.exitCode = await main();
} finally {
  for (const loop of loops) loop.kill("SIGKILL");
}
