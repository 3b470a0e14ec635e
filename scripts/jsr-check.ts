// Why: npm and JSR publish the same packages, and JSR refuses what npm accepts (a missing licence, slow types,
// an unresolvable import, a type error under Deno's checker). This runs `deno publish --dry-run` in every
// package, as `npm test` and `npm run release:check` do, so a package that cannot be published to JSR fails
// here first. `--allow-dirty`: the working tree is usually dirty while developing; publishing itself is
// never done from this repo's machines. Then `deno doc --lint` over every entry (JSR's documentation score:
// every export documented, no reference to an unexported type) and a check that each entry's module doc has
// a description: text under a leading `@module` tag becomes the tag's name, which JSR does not show.
//
// `--publish` is the release workflow's step after `changeset publish`: it publishes for real (no
// --dry-run, a clean tree), skipping a package whose version JSR already has, so a re-run publishes only
// what is missing. JSR authenticates the workflow by its OIDC token; nothing here holds a secret.
//
//   node scripts/jsr-check.ts [--package result] [--publish]
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { lastLines, runProcess } from "@keel/testing/process";
import { binaries, fromRoot, readJson, selectPackages, type WorkspacePackage } from "./lib/packages.ts";

const { values } = parseArgs({
  options: { package: { type: "string" }, publish: { type: "boolean", default: false } },
});

/** Whether JSR already has this version of the package (its meta.json lists every published version). */
async function onJsr(name: string, version: string): Promise<boolean> {
  const response = await fetch(`https://jsr.io/${name}/meta.json`);
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`jsr.io answered ${response.status} for ${name}`);
  const meta = (await response.json()) as { versions?: Record<string, unknown> };
  return Object.hasOwn(meta.versions ?? {}, version);
}

/** Problems of the docs JSR builds from the package's entries (its jsr.json exports). */
async function docProblems(pkg: WorkspacePackage): Promise<string[]> {
  const jsr = readJson<{ exports: Record<string, string> }>(join(pkg.dir, "jsr.json"));
  const entries = [...new Set(Object.values(jsr.exports))];
  const options = { cwd: pkg.dir, env: { RUST_BACKTRACE: "0", NO_COLOR: "1" }, timeoutMs: 300_000 };
  const problems: string[] = [];
  const lint = await runProcess(binaries.deno, ["doc", "--lint", ...entries], options);
  if (lint.code !== 0) problems.push(`deno doc --lint:\n${lastLines(lint.output, 40)}`);
  const json = await runProcess(binaries.deno, ["doc", "--json", ...entries], options);
  const nodes = (JSON.parse(json.stdout) as { nodes: Record<string, { module_doc?: { doc?: string } }> })
    .nodes;
  for (const entry of entries) {
    const url = pathToFileURL(join(pkg.dir, entry)).href;
    if (!nodes[url]?.module_doc?.doc?.trim())
      problems.push(`${entry}: no module description (JSDoc text before @module)`);
  }
  return problems;
}

const failed: string[] = [];
const packages = selectPackages(values.package);
const started = performance.now();
for (const pkg of packages) {
  if (values.publish && (await onJsr(pkg.name, pkg.manifest.version))) {
    console.log(`${pkg.name.padEnd(22)} ${pkg.manifest.version} is on JSR already`);
    continue;
  }
  const args = values.publish ? ["publish"] : ["publish", "--dry-run", "--allow-dirty"];
  const env = { RUST_BACKTRACE: "0" };
  const result = await runProcess(binaries.deno, args, { cwd: pkg.dir, env, timeoutMs: 600_000 });
  const ok = result.code === 0 && !result.timedOut;
  console.log(
    `${pkg.name.padEnd(22)} deno ${args.join(" ")} ${ok ? "ok" : "FAILED"} (${result.seconds.toFixed(1)} s)`,
  );
  if (!ok) {
    failed.push(pkg.name);
    const reason = result.timedOut ? "timed out after 600 s" : lastLines(result.output, 40);
    console.log(`    in ${fromRoot(pkg.dir)}:\n${reason.replace(/^/gm, "    ")}`);
  }
  if (values.publish) continue;
  const problems = await docProblems(pkg);
  console.log(`${pkg.name.padEnd(22)} deno doc --lint ${problems.length === 0 ? "ok" : "FAILED"}`);
  if (problems.length > 0) {
    failed.push(pkg.name);
    for (const problem of problems) console.log(problem.replace(/^/gm, "    "));
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed.length > 0) {
  console.error(`jsr-check: FAILED for ${failed.join(", ")} (${seconds} s)`);
  process.exitCode = 1;
} else {
  console.log(
    `jsr-check: deno publish --dry-run and deno doc --lint passed for ${packages.length} package(s) in ${seconds} s`,
  );
}
