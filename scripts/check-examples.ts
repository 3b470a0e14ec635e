// Why: users copy code from the READMEs and from their editor's hover (JSDoc `@example`), so that code must
// compile and run against what they install. Like `deno test --doc` on Markdown, this collects every ```ts
// block of packages/*/README.md, packages/*/docs/*.md, examples/*/README.md and of the `@example`s in
// packages/*/src, and
//
//   1. type-checks each block, as its own module, the way a user's project would: strict, no
//      exactOptionalPropertyTypes, Node types, once with `moduleResolution: "bundler"` and once with
//      `"nodenext"`; `@keel/<name>` resolves to the built package (its exports map and .d.ts files);
//   2. runs each block with Node 24 from <dir>/.keel/examples/ (so `@keel/<name>` is the built dist too).
//      A throw, a non-zero exit or a failed console.assert fails the block.
//
// The info string opts a block out, greppably: ```ts no-run is type-checked only (a Workers entry, code that
// needs a server); ```ts ignore is neither (a fragment that cannot compile on its own: say why next to it).
// Each failure is reported as file:line of the block's opening fence, with the first error line.
//
//   node scripts/check-examples.ts [--package result | @keel/result | result-hono] [--no-run]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { runPool, runProcess } from "@keel/testing/process";
import {
  binaries,
  entryPoints,
  fromRoot,
  listPublicPackages,
  matchesPackage,
  readJson,
  repoRoot,
} from "./lib/packages.ts";

type Mode = "run" | "no-run" | "ignore";

interface Block {
  /** Where the block is, for messages: "packages/result/README.md:42". */
  readonly where: string;
  /** The file's 1-based line of the block's first code line. */
  readonly firstLine: number;
  readonly source: string;
  readonly mode: Mode;
  readonly code: string;
  /** The package or example folder the block is written into (so its imports resolve from there). */
  readonly dir: string;
  /** Written to dir/.keel/examples/<fileName>. */
  readonly fileName: string;
}

/** Modes for the info string after "```ts": "" (run), "no-run", "ignore"; undefined when not a ts block. */
function modeOf(info: string): Mode | undefined {
  const [language, ...flags] = info.trim().split(/\s+/);
  if (language !== "ts" && language !== "typescript") return undefined;
  if (flags.includes("ignore")) return "ignore";
  if (flags.includes("no-run")) return "no-run";
  return "run";
}

interface Fence {
  readonly info: string;
  /** Index (0-based) of the first code line in `lines`. */
  readonly start: number;
  readonly code: string;
}

/** The fenced code blocks in a list of lines (Markdown, or a JSDoc comment without its ` * `). */
function fences(lines: readonly string[]): Fence[] {
  const found: Fence[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)```(.*)$/.exec(lines[index] ?? "");
    if (open === null) continue;
    const indent = open[1]?.length ?? 0;
    const end = lines.findIndex((line, at) => at > index && /^\s*```\s*$/.test(line));
    if (end === -1) break;
    const body = lines
      .slice(index + 1, end)
      .map((line) => line.slice(Math.min(indent, /^\s*/.exec(line)![0].length)));
    found.push({ info: open[2] ?? "", start: index + 1, code: `${body.join("\n")}\n` });
    index = end;
  }
  return found;
}

function readmeBlocks(readmePath: string, dir: string): Block[] {
  // A missing README is check-packages' finding, not this script's.
  if (!existsSync(readmePath)) return [];
  const lines = readFileSync(readmePath, "utf8").split("\n");
  return fences(lines).flatMap((fence, index) => {
    const mode = modeOf(fence.info);
    if (mode === undefined) return [];
    const where = `${fromRoot(readmePath)}:${fence.start}`;
    // Named after the page too: a package's README and its docs/ pages share one scratch folder.
    const page = basename(readmePath, ".md").toLowerCase();
    const fileName = `${page}-${String(index).padStart(2, "0")}-line${fence.start}.ts`;
    return [
      {
        where,
        firstLine: fence.start + 1,
        source: fromRoot(readmePath),
        mode,
        code: fence.code,
        dir,
        fileName,
      },
    ];
  });
}

/** The ```ts blocks under `@example` tags of a source file, with the JSDoc ` * ` prefixes removed. */
function jsdocBlocks(file: string, dir: string): Block[] {
  const text = readFileSync(file, "utf8");
  const blocks: Block[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = text.slice(0, comment.index).split("\n").length; // 1-based line of "/**"
    const lines = comment[0]
      .split("\n")
      .map((line) => line.replace(/^\s*\/?\*+\/? ?/, "").replace(/\*\/$/, ""));
    const exampleAt = lines.findIndex((line) => line.trimStart().startsWith("@example"));
    if (exampleAt === -1) continue;
    for (const fence of fences(lines.slice(exampleAt))) {
      const mode = modeOf(fence.info);
      if (mode === undefined) continue;
      const fenceLine = startLine + exampleAt + fence.start - 1;
      const fileName = `${basename(file, ".ts")}-line${fenceLine}.ts`;
      const where = `${fromRoot(file)}:${fenceLine}`;
      blocks.push({
        where,
        firstLine: fenceLine + 1,
        source: fromRoot(file),
        mode,
        code: fence.code,
        dir,
        fileName,
      });
    }
  }
  return blocks;
}

/** Packages whose blocks were not checked because their dist is missing (`npm run build` first). */
const notBuilt: string[] = [];

/** Every folder whose docs are checked: the public packages (README, docs/, src) and the examples (README). */
function collect(selector: string | undefined): Block[] {
  const blocks: Block[] = [];
  for (const pkg of listPublicPackages()) {
    if (selector !== undefined && !matchesPackage(selector, pkg.name, pkg.dir)) continue;
    const unbuilt = entryPoints(pkg.manifest).filter(
      (entry) => entry.distFile === undefined || !existsSync(join(pkg.dir, entry.distFile)),
    );
    if (unbuilt.length > 0) {
      notBuilt.push(`${fromRoot(pkg.dir)}: ${unbuilt.map((entry) => entry.distFile).join(", ")} not built`);
      continue;
    }
    blocks.push(...readmeBlocks(join(pkg.dir, "README.md"), pkg.dir));
    // A package with several concerns documents each in docs/<concern>.md: those blocks are users' code too.
    const docsDir = join(pkg.dir, "docs");
    const pages = existsSync(docsDir) ? readdirSync(docsDir).filter((name) => name.endsWith(".md")) : [];
    for (const page of pages.sort()) blocks.push(...readmeBlocks(join(docsDir, page), pkg.dir));
    const srcDir = join(pkg.dir, "src");
    const sources = readdirSync(srcDir, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
      .sort();
    for (const name of sources) blocks.push(...jsdocBlocks(join(srcDir, name), pkg.dir));
  }
  const examplesDir = join(repoRoot, "examples");
  for (const name of readdirSync(examplesDir).sort()) {
    const dir = join(examplesDir, name);
    let manifestName = name;
    try {
      manifestName = readJson<{ name: string }>(join(dir, "package.json")).name;
    } catch {
      continue;
    }
    if (selector !== undefined && !matchesPackage(selector, manifestName, dir)) continue;
    try {
      blocks.push(...readmeBlocks(join(dir, "README.md"), dir));
    } catch {
      // An example without a README has no blocks.
    }
  }
  return blocks;
}

/** The compiler options of a typical user project; only moduleResolution (and module) differ. */
const userProjects = {
  bundler: { module: "preserve", moduleResolution: "bundler" },
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
} as const;
type Resolution = keyof typeof userProjects;

/** Type-checks every block under one moduleResolution; returns the first error line per failing block. */
async function typecheck(
  blocks: readonly Block[],
  resolution: Resolution,
  elsewhere: string[],
): Promise<Map<Block, string>> {
  const configDir = join(repoRoot, ".keel");
  mkdirSync(configDir, { recursive: true });
  const configPath = join(configDir, `tsconfig.examples.${resolution}.json`);
  const files = blocks.map((block) =>
    relative(configDir, join(block.dir, ".keel", "examples", block.fileName)),
  );
  writeFileSync(
    configPath,
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        lib: ["es2023", "dom", "dom.iterable"],
        ...userProjects[resolution],
        moduleDetection: "force",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        types: ["node"],
        // Resolve @types/node from the repo root whichever folder a block is in.
        typeRoots: [join(repoRoot, "node_modules", "@types")],
      },
      files,
    }),
  );
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = await runProcess(binaries.node24, [tsc, "-p", configPath, "--pretty", "false"], {
    cwd: configDir,
    timeoutMs: 900_000,
  });
  const errors = new Map<Block, string>();
  if (result.timedOut) throw new Error(`tsc (${resolution}) did not finish within 900 s`);
  const byPath = new Map(
    blocks.map((block) => [join(block.dir, ".keel", "examples", block.fileName), block]),
  );
  for (const line of result.stdout.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line);
    if (match === null) continue;
    const block = byPath.get(join(configDir, match[1] ?? ""));
    if (block === undefined) {
      // An error outside the blocks (in a .d.ts a block pulled in): report it under the file tsc names.
      elsewhere.push(
        `tsc (${resolution}) ${relative(repoRoot, join(configDir, match[1] ?? ""))}: ${match[4]}`,
      );
      continue;
    }
    if (errors.has(block)) continue;
    const sourceLine = block.firstLine + Number(match[2]) - 1;
    errors.set(block, `line ${sourceLine}: ${match[4]}`);
  }
  if (result.code !== 0 && errors.size === 0 && elsewhere.length === 0) {
    throw new Error(`tsc (${resolution}) failed without a block error:\n${result.output.slice(-2000)}`);
  }
  return errors;
}

/** Runs one block with Node 24; returns a failure message, or undefined when it ran clean. */
async function run(block: Block): Promise<string | undefined> {
  const path = join(block.dir, ".keel", "examples", block.fileName);
  // A hang detector, not a speed check: a block that starts PGlite takes most of a minute on a busy machine.
  const result = await runProcess(binaries.node24, [path], { cwd: block.dir, timeoutMs: 180_000 });
  const output = result.output.trim();
  if (result.timedOut) return "did not finish within 180 s";
  if (result.code !== 0 || output.includes("Assertion failed")) {
    const lines = output.split("\n");
    const first =
      lines.find((line) => /Assertion failed|Error|error/.test(line) && !line.startsWith("    at ")) ??
      lines[0];
    return `exit ${result.code}: ${first ?? "(no output)"}`;
  }
  return undefined;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { package: { type: "string" }, "no-run": { type: "boolean", default: false } },
  });
  const blocks = collect(values.package);
  if (blocks.length === 0) {
    console.error(`check-examples: no ts blocks found${values.package ? ` for ${values.package}` : ""}`);
    return 1;
  }
  const dirs = [...new Set(blocks.map((block) => block.dir))];
  for (const dir of dirs) {
    rmSync(join(dir, ".keel", "examples"), { recursive: true, force: true });
    mkdirSync(join(dir, ".keel", "examples"), { recursive: true });
  }
  const checked = blocks.filter((block) => block.mode !== "ignore");
  for (const block of checked)
    writeFileSync(join(block.dir, ".keel", "examples", block.fileName), block.code);

  const failures = new Map<string, string[]>();
  const fail = (where: string, message: string) =>
    failures.set(where, [...(failures.get(where) ?? []), message]);
  for (const resolution of Object.keys(userProjects) as Resolution[]) {
    const elsewhere: string[] = [];
    for (const [block, message] of await typecheck(checked, resolution, elsewhere)) {
      fail(block.where, `tsc (${resolution}) ${message}`);
    }
    for (const message of new Set(elsewhere)) fail("(outside the blocks)", message);
  }
  const runnable = values["no-run"] ? [] : checked.filter((block) => block.mode === "run");
  const runs = await runPool(runnable, run);
  runnable.forEach((block, index) => {
    const message = runs[index];
    if (message !== undefined) fail(block.where, `node24 ${message}`);
  });
  for (const dir of dirs) rmSync(join(dir, ".keel"), { recursive: true, force: true });
  rmSync(join(repoRoot, ".keel"), { recursive: true, force: true });

  const sorted = [...failures.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  for (const where of sorted) {
    console.error(`${where}`);
    for (const message of failures.get(where) ?? []) console.error(`    ${message}`);
  }
  for (const line of notBuilt)
    console.error(`${line}: its blocks were NOT checked; run \`npm run build\` first`);
  const count = (mode: Mode) => blocks.filter((block) => block.mode === mode).length;
  const readme = blocks.filter((block) => block.source.endsWith(".md")).length;
  console.log(
    `check-examples: ${blocks.length - failures.size - count("ignore")} of ${checked.length} ts blocks clean ` +
      `(${readme} in READMEs, ${blocks.length - readme} JSDoc @example; type-checked with bundler and nodenext, ` +
      `${runnable.length} run on Node 24, ${count("no-run")} no-run, ${count("ignore")} ignore)` +
      (failures.size > 0 ? `; ${failures.size} FAILED` : ""),
  );
  return failures.size > 0 || notBuilt.length > 0 ? 1 : 0;
}

process.exitCode = await main();
