// Why: the vitest workerd pool (@cloudflare/vitest-plugin) always gives the Worker Buffer and process, because
// its own runner needs them, so a package that uses a Node API passes there and breaks for a user whose Worker
// has no compatibility flags. Like jose's tests, this runs each package's *whole* suite in real workerd with
// no flags ([]) or, when the package declares some (package.json "keel.workerdFlags"), with exactly those:
// test/*.test.ts are bundled with esbuild into one plain module Worker, `vitest` aliased to the small
// vitest-compatible runner in @keel/testing/vitest-shim (vitest's own expect and spies), and the package's
// `src/<entry>.ts` imports redirected to the built `dist/<entry>.js` (what users install); then
// `workerd test` runs it. Files that import a Node API the runtime lacks fail as a whole and are named. A file
// that cannot run there by design (a database driver needs TCP sockets, which a Worker only gets with
// nodejs_compat) is listed in package.json "keel.workerdSkipFiles" with the reason, and reported skipped.
//
//   node scripts/workerd-suite.ts [--package result] [--json report.json]
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runProcess } from "@keel/testing/process";
import { workerBundleOptions } from "@keel/testing/worker-bundle";
import { workerdConfig } from "@keel/testing/workerd-config";
import { build, type Plugin } from "esbuild";
import {
  binaries,
  entryPoints,
  fromRoot,
  readRuntimes,
  repoRoot,
  selectPackages,
  sourceFileOf,
  type WorkspacePackage,
} from "./lib/packages.ts";

interface TestResult {
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly error?: string;
}

/** The outcome of one package under one set of flags. */
export interface SuiteOutcome {
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly seconds: number;
  /** Failed tests and files, and any bundling or workerd error, one line each. */
  readonly problems: readonly string[];
  /** src files the tests import that are not entry points, so they ran from source, not dist. */
  readonly fromSource: readonly string[];
}

const resultMarker = "KEEL-SUITE-RESULTS ";
const shim = join(repoRoot, "internal", "testing", "src", "vitest-shim.ts");

/** `../src/index.ts` -> `dist/index.js` for every entry point; other src files stay (and are recorded). */
function distRedirect(pkg: WorkspacePackage, fromSource: Set<string>): Plugin {
  const srcToDist = new Map(
    entryPoints(pkg.manifest).flatMap((entry) =>
      entry.distFile === undefined
        ? []
        : [[resolve(pkg.dir, sourceFileOf(entry.distFile)), resolve(pkg.dir, entry.distFile)] as const],
    ),
  );
  const srcDir = join(pkg.dir, "src");
  return {
    name: "keel-dist-redirect",
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = resolve(args.resolveDir, args.path);
        const dist = srcToDist.get(target);
        if (dist !== undefined) return { path: dist };
        if (target.startsWith(`${srcDir}/`) && !args.importer.startsWith(`${srcDir}/`)) {
          fromSource.add(relative(pkg.dir, target));
        }
        return undefined;
      });
    },
  };
}

function entrySource(testFiles: readonly string[]): string {
  return `import { runCollected, startFile } from ${JSON.stringify(shim)};

export default {
  async test() {
    const results = [];
${testFiles
  .map(
    (file) => `    try {
      startFile(${JSON.stringify(file)});
      await import(${JSON.stringify(`./${file}`)});
    } catch (error) {
      results.push({ name: ${JSON.stringify(file)}, status: "failed", error: "the file did not load: " + (error && error.stack || error) });
    }`,
  )
  .join("\n")}
    results.push(...(await runCollected()));
    console.log(${JSON.stringify(resultMarker)} + JSON.stringify(results));
  },
};
`;
}

/** Bundles and runs one package's suite in workerd with `flags`. */
export async function runSuiteInWorkerd(
  pkg: WorkspacePackage,
  flags: readonly string[],
): Promise<SuiteOutcome> {
  const started = performance.now();
  const testDir = join(pkg.dir, "test");
  const skipFiles = pkg.manifest.keel?.workerdSkipFiles ?? {};
  // test/<concern>/*.test.ts too: a package may group its tests by concern.
  const allFiles = readdirSync(testDir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => `test/${name}`);
  const testFiles = allFiles.filter((file) => !Object.hasOwn(skipFiles, file));
  const skippedFiles: TestResult[] = allFiles
    .filter((file) => Object.hasOwn(skipFiles, file))
    .map((file) => ({ name: `${file}: ${skipFiles[file]}`, status: "skipped" }));
  const scratch = mkdtempSync(join(tmpdir(), "keel-workerd-suite-"));
  const fromSource = new Set<string>();
  const finish = (outcome: Omit<SuiteOutcome, "seconds" | "fromSource">): SuiteOutcome => {
    rmSync(scratch, { recursive: true, force: true });
    return { ...outcome, seconds: (performance.now() - started) / 1000, fromSource: [...fromSource].sort() };
  };
  try {
    await build({
      ...workerBundleOptions,
      stdin: {
        contents: entrySource(testFiles),
        resolveDir: pkg.dir,
        sourcefile: "suite-entry.js",
        loader: "js",
      },
      outfile: join(scratch, "worker.js"),
      alias: { vitest: shim },
      plugins: [distRedirect(pkg, fromSource)],
      logLevel: "silent",
    });
  } catch (error) {
    return finish({
      ok: false,
      passed: 0,
      failed: 1,
      skipped: 0,
      problems: [`esbuild: ${(error as Error).message}`],
    });
  }
  const { workerdCompatibilityDate } = readRuntimes();
  const config = workerdConfig({
    mainModule: "worker.js",
    compatibilityDate: workerdCompatibilityDate,
    compatibilityFlags: flags,
  });
  writeFileSync(join(scratch, "workerd.capnp"), config);
  const run = await runProcess(binaries.workerd, ["test", "--verbose", "workerd.capnp"], {
    cwd: scratch,
    // A whole package suite: minutes on a busy machine, so a generous hang detector.
    timeoutMs: 900_000,
  });
  const line = run.output.split("\n").find((text) => text.includes(resultMarker));
  if (line === undefined) {
    const tail = run.output.trim().split("\n").slice(-15).join("\n");
    const why = run.timedOut ? "timed out after 900 s" : `workerd exited with ${run.code} and no results`;
    return finish({ ok: false, passed: 0, failed: 1, skipped: 0, problems: [`${why}:\n${tail}`] });
  }
  const results = [
    ...(JSON.parse(line.slice(line.indexOf(resultMarker) + resultMarker.length)) as TestResult[]),
    ...skippedFiles,
  ];
  const count = (status: TestResult["status"]) => results.filter((result) => result.status === status).length;
  const problems = results
    .filter((result) => result.status === "failed")
    .map((result) => `${result.name}: ${(result.error ?? "").split("\n")[0]}`);
  const passed = count("passed");
  const failed = count("failed");
  return finish({ ok: failed === 0 && passed > 0, passed, failed, skipped: count("skipped"), problems });
}

/**
 * The flag sets a package's suite runs under: none at all, or, for a package that declares the flags it
 * needs (package.json "keel.workerdFlags", e.g. tenant-context's ["nodejs_als"]), exactly those and no more.
 */
export function flagSets(pkg: WorkspacePackage): (readonly string[])[] {
  return [pkg.manifest.keel?.workerdFlags ?? []];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { package: { type: "string" }, json: { type: "string" } } });
  const report: Record<string, SuiteOutcome & { flags: readonly string[] }> = {};
  let failures = 0;
  for (const pkg of selectPackages(values.package)) {
    for (const flags of flagSets(pkg)) {
      const outcome = await runSuiteInWorkerd(pkg, flags);
      const label = `${pkg.name} flags ${JSON.stringify(flags)}`;
      report[label] = { ...outcome, flags };
      console.log(
        `${fromRoot(pkg.dir)} on workerd, compatibilityFlags ${JSON.stringify(flags)}: ${outcome.ok ? "ok" : "FAILED"} ` +
          `${outcome.passed}/${outcome.failed}/${outcome.skipped} (${outcome.seconds.toFixed(1)} s)`,
      );
      for (const problem of outcome.problems) console.log(`    ${problem}`);
      for (const [file, reason] of Object.entries(pkg.manifest.keel?.workerdSkipFiles ?? {})) {
        console.log(`    skipped ${file}: ${reason}`);
      }
      if (outcome.fromSource.length > 0) {
        console.log(`    from src, not dist (not entry points): ${outcome.fromSource.join(", ")}`);
      }
      if (!outcome.ok) failures++;
    }
  }
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(report, null, 2));
  return failures > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main();
