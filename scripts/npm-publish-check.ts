// Why: `changeset publish` runs `npm publish` for each package in the release workflow, where a refusal
// (a bad manifest field, a missing file, a name npm rejects) would stop a release half-way. This runs
// `npm publish --dry-run` in every package first, as `npm run release:check` does, and fails on any
// warning but the one a dry run always prints here (not logged in to the registry). A version npm already
// has is skipped: npm refuses to publish over it even in a dry run, and `changeset publish` skips it too.
//
//   node scripts/npm-publish-check.ts [--package result]
import { parseArgs } from "node:util";
import { lastLines, runProcess } from "@keel/testing/process";
import { fromRoot, selectPackages } from "./lib/packages.ts";

const { values } = parseArgs({ options: { package: { type: "string" } } });

/** Whether npm already has this version of the package. */
async function onNpm(name: string, version: string): Promise<boolean> {
  const response = await fetch(`https://registry.npmjs.org/${encodeURIComponent(name)}/${version}`);
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`the npm registry answered ${response.status} for ${name}@${version}`);
  return true;
}

const failed: string[] = [];
const packages = selectPackages(values.package);
for (const pkg of packages) {
  if (await onNpm(pkg.name, pkg.manifest.version)) {
    console.log(`${pkg.name.padEnd(22)} ${pkg.manifest.version} is on npm already`);
    continue;
  }
  const result = await runProcess("npm", ["publish", "--dry-run"], { cwd: pkg.dir, timeoutMs: 120_000 });
  const warnings = result.output
    .split("\n")
    .filter((line) => /^npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
  const ok = result.code === 0 && !result.timedOut && warnings.length === 0;
  const tarball = /npm notice package size: (.+)/.exec(result.output)?.[1] ?? "?";
  console.log(`${pkg.name.padEnd(22)} npm publish --dry-run ${ok ? "ok" : "FAILED"} (${tarball})`);
  if (!ok) {
    failed.push(pkg.name);
    console.log(`    in ${fromRoot(pkg.dir)}:\n${lastLines(result.output, 30).replace(/^/gm, "    ")}`);
  }
}
if (failed.length > 0) {
  console.error(`npm-publish-check: FAILED for ${failed.join(", ")}`);
  process.exitCode = 1;
} else {
  console.log(`npm-publish-check: npm publish --dry-run passed for ${packages.length} package(s)`);
}
