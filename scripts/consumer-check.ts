// Why: inside the workspace a package is a symlink to its sources, so the tests never see what a user installs.
// This packs each package, installs the tarball with its peers into a scratch project outside the repo, and runs
// the package's test/consumer-smoke.js there on Node 24 and 20 (import and require), Bun, Deno and workerd
// with no compatibility flags beyond the ones the package declares, checks that every value its .d.ts files
// export exists at run time, type-checks its test/consumer-types.ts
// (where it has one) against the installed .d.ts files, then lints the tarball with publint and attw. A stray Buffer, process or node: import, a file left out of "files" or a broken exports map fails
// here, before a user's install does.
//
// The script is split into plan (which checks, with which commands, for which package), run (each check's
// outcome as data) and report (one line per check, the reasons, one summary line).
//
//   node scripts/consumer-check.ts [--package result | --package @keel/result] [--keep]
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { killAllStarted, lastLines, mustSucceed, runProcess } from "@keel/testing/process";
import { workerBundleOptions } from "@keel/testing/worker-bundle";
import { workerdConfig } from "@keel/testing/workerd-config";
import { build, type Metafile } from "esbuild";
import {
  binaries,
  binPath,
  type EntryPoint,
  entryPoints,
  fromRoot,
  listPublicPackages,
  readJson,
  readRuntimes,
  repoRoot,
  selectPackages,
  type WorkspacePackage,
  writeJson,
} from "./lib/packages.ts";

const { node24, node20, bun, deno, workerd } = binaries;

// Hang detectors, not speed checks: on a busy machine an install or a workerd start takes minutes.
const defaultTimeoutMs = 300_000;
const installTimeoutMs = 120_000;

const runSmokeSource = `import smoke from "./consumer-smoke.js";\nawait smoke();\n`;
const workerSource = `import smoke from "./consumer-smoke.js";\nexport default { async test() { await smoke(); } };\n`;

/** A command run in `cwd` that must exit with 0 within the timeout. */
const mustRun = (
  description: string,
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = defaultTimeoutMs,
) => mustSucceed(description, command, args, { cwd, timeoutMs });

// ---------------------------------------------------------------------------------------------------------
// Results: each check's outcome as data; report() prints them.

interface CheckResult {
  readonly subject: string;
  readonly check: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Why it failed. */
  readonly message?: string;
}

/** Runs one check, records its result (and hands it to `onResult`); returns its value, or undefined. */
async function runCheck<T>(
  results: CheckResult[],
  onResult: (result: CheckResult) => void,
  subject: string,
  check: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  const started = performance.now();
  let result: CheckResult;
  let value: T | undefined;
  try {
    value = await run();
    result = { subject, check, ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { subject, check, ok: false, ms: Math.round(performance.now() - started), message };
  }
  results.push(result);
  onResult(result);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// The checks.

/** Fails unless every runtime binary is the version runtimes.json pins. */
async function checkRuntimeVersions(): Promise<void> {
  const runtimes = readRuntimes();
  const expected: [string, string][] = [
    [node24, `v${runtimes.node}`],
    [node20, `v${runtimes.node20}`],
    [bun, runtimes.bun],
    [deno, `deno ${runtimes.deno}`],
    [workerd, `workerd ${runtimes.workerd}`],
  ];
  for (const [binary, version] of expected) {
    const { stdout } = await mustRun(`${fromRoot(binary)} --version`, binary, ["--version"], repoRoot);
    const firstLine = stdout.trim().split("\n")[0] ?? "";
    if (firstLine !== version && !firstLine.startsWith(`${version} `)) {
      throw new Error(
        `${fromRoot(binary)} reports "${firstLine}", runtimes.json expects "${version}" (run npm ci)`,
      );
    }
  }
}

/** Packs the built package into packDir and returns the tarball's path. */
async function pack(pkg: WorkspacePackage, packDir: string): Promise<string> {
  for (const entry of entryPoints(pkg.manifest)) {
    for (const file of [entry.distFile, entry.typesFile]) {
      if (file === undefined || !existsSync(join(pkg.dir, file))) {
        throw new Error(
          `exports["${entry.subpath}"]: ${file ?? "a target"} is not built: run \`npm run build\` first`,
        );
      }
    }
  }
  const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir];
  const { stdout } = await mustRun("npm pack", "npm", args, pkg.dir);
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  return join(packDir, packed.filename);
}

/** The version of `name` that the workspace installed for this package (its own node_modules first). */
function workspaceVersion(pkg: WorkspacePackage, name: string): string {
  for (let dir = pkg.dir; dir.startsWith(repoRoot); dir = dirname(dir)) {
    const manifestPath = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifestPath)) return readJson<{ version: string }>(manifestPath).version;
  }
  throw new Error(`peer dependency ${name} of ${pkg.name} is not installed in the workspace (run npm ci)`);
}

/** A require() of every entry point through Node's require(esm), compared with what import() gives. */
function requireCheckSource(entries: readonly EntryPoint[]): string {
  return `// Written by scripts/consumer-check.ts.
const specifiers = ${JSON.stringify(entries.map((entry) => entry.specifier))};

async function main() {
  for (const specifier of specifiers) {
    const required = require(specifier);
    const imported = await import(specifier);
    const names = Object.keys(required).filter((name) => name !== "__esModule");
    if (names.length === 0) throw new Error(\`require("\${specifier}") returned no exports\`);
    const missing = Object.keys(imported).filter((name) => !(name in required));
    if (missing.length > 0) {
      throw new Error(\`require("\${specifier}") lacks what import() has: \${missing.join(", ")}\`);
    }
    const odd = names.filter((name) => typeof required[name] !== "function" && typeof required[name] !== "object");
    if (odd.length > 0) {
      const described = odd.map((name) => \`\${name} (\${typeof required[name]})\`).join(", ");
      throw new Error(\`require("\${specifier}") exports neither functions nor objects: \${described}\`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/** Keel packages this one depends on: not on the registry yet, so they are installed from their own tarballs. */
function workspaceDependencies(pkg: WorkspacePackage): WorkspacePackage[] {
  const names = new Set(Object.keys(pkg.manifest.dependencies ?? {}));
  return listPublicPackages().filter((other) => names.has(other.name));
}

/** Installs the tarball (with those of its Keel dependencies) and the peers into a fresh project, adds the smoke files. */
async function prepareConsumer(pkg: WorkspacePackage, tarball: string, project: string): Promise<string> {
  const smoke = join(pkg.dir, "test", "consumer-smoke.js");
  if (!existsSync(smoke)) throw new Error(`${fromRoot(smoke)} is missing: every package needs one`);
  writeJson(join(project, "package.json"), { name: "keel-consumer-check", private: true, type: "module" });
  const locals = workspaceDependencies(pkg);
  const localTarballs = await Promise.all(locals.map((local) => pack(local, dirname(tarball))));
  const peers = [pkg, ...locals].flatMap((owner) =>
    Object.keys(owner.manifest.peerDependencies ?? {}).map(
      (name) => `${name}@${workspaceVersion(owner, name)}`,
    ),
  );
  const flags = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"];
  const targets = [tarball, ...localTarballs, ...new Set(peers)];
  const description = `npm install ${targets.map((target) => target.replace(`${dirname(tarball)}/`, "")).join(" ")}`;
  await mustRun(description, "npm", ["install", ...flags, ...targets], project, installTimeoutMs);
  copyFileSync(smoke, join(project, "consumer-smoke.js"));
  writeFileSync(join(project, "run-smoke.mjs"), runSmokeSource);
  writeFileSync(join(project, "require-check.cjs"), requireCheckSource(entryPoints(pkg.manifest)));
  writeFileSync(join(project, "exports-check.mjs"), exportsCheckSource(entryPoints(pkg.manifest)));
  return project;
}

/**
 * Where a stack frame "worker.js:35:11" points: the bundled line and the file esbuild took it from (esbuild starts
 * each module in the bundle with a "// node_modules/..." comment).
 */
function frameOrigin(bundle: string, output: string): string[] {
  const match = /worker(?:\.js)?:(\d+):\d+/.exec(output);
  if (match === null) return [];
  const lines = bundle.split("\n");
  const lineIndex = Number(match[1]) - 1;
  const fileComment = lines
    .slice(0, lineIndex + 1)
    .reverse()
    .find((line) => /^\/\/ \S+$/.test(line));
  return [`at ${fileComment?.slice(3) ?? "worker.js"}: ${lines[lineIndex]?.trim()}`];
}

/** For workerd's 'No such module "node:x"': which bundled files import node:x. */
function missingModuleImporters(metafile: Metafile, output: string): string[] {
  return [...output.matchAll(/No such module "([^"]+)"/g)].map(([, specifier]) => {
    const importers = Object.entries(metafile.inputs)
      .filter(([, input]) => input.imports.some((imported) => imported.path === specifier))
      .map(([file]) => file);
    return `${specifier} is imported by ${importers.join(", ") || "an unknown file"}`;
  });
}

/** The lines of workerd's output that say what went wrong, and where in the package it happened. */
function workerdErrors(output: string, bundle: string, metafile: Metafile): string {
  const errors = output.split("\n").filter((line) => /Uncaught|Error|No such module|FAIL/.test(line));
  const found = [...errors, ...frameOrigin(bundle, output), ...missingModuleImporters(metafile, output)];
  return found.length > 0 ? found.join("\n") : lastLines(output);
}

/** Bundles the smoke as a plain Worker, as a user's Workers build would, into project/worker.js. */
async function bundleWorker(project: string): Promise<Metafile> {
  writeFileSync(join(project, "worker-entry.js"), workerSource);
  try {
    const { metafile } = await build({
      absWorkingDir: project,
      entryPoints: ["worker-entry.js"],
      outfile: "worker.js",
      ...workerBundleOptions,
      metafile: true,
    });
    return metafile;
  } catch (error) {
    throw new Error(`esbuild could not bundle the smoke as a Worker: ${(error as Error).message}`);
  }
}

/** Runs the smoke in workerd with only the package's declared compatibility flags (none by default). */
async function runInWorkerd(project: string, flags: readonly string[]): Promise<void> {
  const metafile = await bundleWorker(project);
  const { workerdCompatibilityDate } = readRuntimes();
  const config = workerdConfig({
    mainModule: "worker.js",
    compatibilityDate: workerdCompatibilityDate,
    compatibilityFlags: flags,
  });
  writeFileSync(join(project, "workerd.capnp"), config);
  const args = ["test", "--verbose", "workerd.capnp"];
  const result = await runProcess(workerd, args, { cwd: project, timeoutMs: defaultTimeoutMs });
  if (result.code === 0 && !result.timedOut) return;
  const bundle = readFileSync(join(project, "worker.js"), "utf8");
  const setting = `compatibilityDate ${workerdCompatibilityDate}, compatibilityFlags ${JSON.stringify(flags)}`;
  if (result.timedOut) {
    throw new Error(`the smoke in workerd (${setting}) did not finish within ${defaultTimeoutMs / 1000} s`);
  }
  throw new Error(
    `the smoke in workerd (${setting}) failed:\n${workerdErrors(result.output, bundle, metafile)}\n` +
      `A package that needs Buffer, process or a node: module on Workers must declare the flag in package.json ` +
      `("keel": { "workerdFlags": ["nodejs_compat"] }) and document it; otherwise use the Web-standard API.`,
  );
}

/**
 * The source of a script, run in the consumer project, that compares each entry's value exports in its
 * .d.ts (what TypeScript lets a user import) with what the module exports at run time: a name the .d.ts
 * offers but the JavaScript lacks type-checks and then fails on import (a type-only export that the .d.ts
 * bundler wrote as a value).
 */
function exportsCheckSource(entries: readonly EntryPoint[]): string {
  return `// Written by scripts/consumer-check.ts.
import ts from ${JSON.stringify(join(repoRoot, "node_modules", "typescript", "lib", "typescript.js"))};
import { writeFileSync } from "node:fs";

const specifiers = ${JSON.stringify(entries.filter((entry) => entry.typesFile !== undefined).map((entry) => entry.specifier))};
writeFileSync("exports-check.ts", specifiers.map((specifier, index) => \`import * as m\${index} from "\${specifier}";\`).join("\\n"));
const program = ts.createProgram(["exports-check.ts"], {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: [],
});
const checker = program.getTypeChecker();
const imports = program.getSourceFile("exports-check.ts").statements;
const isTypeOnly = (symbol) =>
  (symbol.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration?.(d) ?? d.isTypeOnly);
const missing = [];
for (const [index, specifier] of specifiers.entries()) {
  const moduleSymbol = checker.getSymbolAtLocation(imports[index].moduleSpecifier);
  if (moduleSymbol === undefined) throw new Error(\`\${specifier}: no types found\`);
  const runtime = new Set(Object.keys(await import(specifier)));
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Value && !isTypeOnly(symbol) && !runtime.has(symbol.name)) {
      missing.push(\`\${specifier}: \${symbol.name}\`);
    }
  }
}
if (missing.length > 0) throw new Error(\`in the .d.ts as values, missing at run time: \${missing.join(", ")}\`);
`;
}

/**
 * Type-checks `file` in the consumer project, as a user's strict nodenext project would: what the built
 * .d.ts files give (a module augmentation the bundler dropped, a type that only exists in src) fails here.
 */
async function typeCheck(file: string, project: string): Promise<void> {
  copyFileSync(file, join(project, "consumer-types.ts"));
  const options = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext"];
  const args = [binPath("tsc"), ...options, "--target", "es2022", "--lib", "es2022,dom", "consumer-types.ts"];
  await mustRun("tsc consumer-types.ts", node24, args, project);
}

async function runPublint(tarball: string, project: string): Promise<void> {
  const args = [binPath("publint"), "run", tarball, "--strict"];
  const { output } = await mustRun("publint --strict", node24, args, project);
  // Suggestions do not change publint's exit code even with --strict; any message is a finding here.
  if (!output.includes("All good!")) throw new Error(`publint reported suggestions:\n${lastLines(output)}`);
}

async function runAttw(tarball: string, project: string): Promise<void> {
  // --no-definitely-typed: the package ships its own types; never look for @types on the registry.
  const options = ["--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-emoji"];
  const args = [binPath("attw"), tarball, ...options];
  const result = await runProcess(node24, args, { cwd: project, timeoutMs: defaultTimeoutMs });
  if (result.timedOut) throw new Error(`attw did not finish within ${defaultTimeoutMs / 1000} s`);
  // attw exits with 0 for a package without any .d.ts; for us that is a broken build.
  if (result.code !== 0 || result.output.includes("does not contain types")) {
    throw new Error(`attw ${options.slice(0, 2).join(" ")} found problems:\n${result.output.trim()}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Plan, run, report.

/** A runtime run of the smoke in the consumer project: [check name, command, args]. */
type RuntimeRun = readonly [check: string, command: string, args: readonly string[]];

/** What will be checked for one package, decided before anything runs. */
interface PackagePlan {
  readonly pkg: WorkspacePackage;
  readonly runtimeRuns: readonly RuntimeRun[];
  /** The compatibility flags of the workerd run: the package's declared ones, none by default. */
  readonly workerdFlags: readonly string[];
}

function plan(selector: string | undefined): PackagePlan[] {
  // Deno 2 picks "manual" by itself when there is a package.json; it is explicit so that a future default
  // cannot resolve from the registry instead of the installed tarball (--cached-only: fail, never download).
  const denoArgs = ["run", "-A", "--node-modules-dir=manual", "--cached-only", "run-smoke.mjs"];
  const runtimeRuns: RuntimeRun[] = [
    ["node24 import", node24, ["run-smoke.mjs"]],
    ["node20 import", node20, ["run-smoke.mjs"]],
    ["node24 require", node24, ["require-check.cjs"]],
    ["node20 require", node20, ["require-check.cjs"]],
    ["bun", bun, ["run", "run-smoke.mjs"]],
    ["deno", deno, denoArgs],
  ];
  return selectPackages(selector).map((pkg) => ({
    pkg,
    runtimeRuns,
    workerdFlags: pkg.manifest.keel?.workerdFlags ?? [],
  }));
}

async function runPackage(
  { pkg, runtimeRuns, workerdFlags }: PackagePlan,
  check: <T>(subject: string, name: string, run: () => Promise<T>) => Promise<T | undefined>,
  makeTempDir: (prefix: string) => string,
): Promise<void> {
  const tarball = await check(pkg.name, "npm pack", () => pack(pkg, makeTempDir("keel-pack-")));
  if (tarball === undefined) return;
  const project = await check(pkg.name, "npm install", () =>
    prepareConsumer(pkg, tarball, makeTempDir("keel-consumer-")),
  );
  if (project === undefined) return;
  for (const [name, command, args] of runtimeRuns) {
    const description = `${fromRoot(command)} ${args.join(" ")}`;
    await check(pkg.name, name, () => mustRun(description, command, args, project));
  }
  await check(pkg.name, "workerd", () => runInWorkerd(project, workerdFlags));
  await check(pkg.name, ".d.ts exports", () =>
    mustRun("exports-check", node24, ["exports-check.mjs"], project),
  );
  const types = join(pkg.dir, "test", "consumer-types.ts");
  if (existsSync(types)) await check(pkg.name, "tsc", () => typeCheck(types, project));
  await check(pkg.name, "publint", () => runPublint(tarball, project));
  await check(pkg.name, "attw", () => runAttw(tarball, project));
}

/** One line per check, with the reason under a failed one. */
function reportLine(result: CheckResult): void {
  const status = result.ok ? "ok" : "FAILED";
  console.log(
    `${result.subject.padEnd(22)} ${result.check.padEnd(16)} ${status.padEnd(6)} ${String(result.ms).padStart(6)} ms`,
  );
  if (result.message !== undefined) console.log(result.message.replace(/^/gm, "    "));
}

/** The summary line; returns the exit code. */
function report(results: readonly CheckResult[], packageCount: number, seconds: string): number {
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const names = failed.map((result) => `${result.subject} ${result.check}`).join(", ");
    console.error(`consumer-check: ${failed.length} check(s) FAILED in ${seconds} s: ${names}`);
    return 1;
  }
  console.log(
    `consumer-check: all ${results.length} checks passed for ${packageCount} package(s) in ${seconds} s`,
  );
  return 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { package: { type: "string" }, keep: { type: "boolean", default: false } },
  });
  const plans = plan(values.package);
  const tempDirs: string[] = [];
  const makeTempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    tempDirs.push(dir);
    return dir;
  };
  const cleanUp = () => {
    if (values.keep) console.log(`kept: ${tempDirs.join(" ")}`);
    else for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      killAllStarted();
      cleanUp();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  const results: CheckResult[] = [];
  const check = <T>(subject: string, name: string, run: () => Promise<T>) =>
    runCheck(results, reportLine, subject, name, run);
  const started = performance.now();
  try {
    await check("(toolchain)", "runtime versions", checkRuntimeVersions);
    for (const packagePlan of plans) await runPackage(packagePlan, check, makeTempDir);
  } finally {
    cleanUp();
  }
  return report(results, plans.length, ((performance.now() - started) / 1000).toFixed(1));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`consumer-check: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
