// Why: npm and JSR publish the same packages, and JSR refuses what npm accepts (a missing licence, slow types,
// an unresolvable import, a type error under Deno's checker). This runs `deno publish --dry-run` in every
// package, as `npm test` and `npm run release:check` do, so a package that cannot be published to JSR fails
// here first. `--allow-dirty`: the working tree is usually dirty while developing; publishing itself is
// never done from this repo's machines.
//
// `--publish` is the release workflow's step after `changeset publish`: it publishes for real (no
// --dry-run, a clean tree), skipping a package whose version JSR already has, so a re-run publishes only
// what is missing. JSR authenticates the workflow by its OIDC token; nothing here holds a secret.
//
//   node scripts/jsr-check.ts [--package result] [--publish]
import { parseArgs } from "node:util";
import { lastLines, runProcess } from "@keel/testing/process";
import { binaries, fromRoot, selectPackages } from "./lib/packages.ts";

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
    const reason = result.timedOut ? "timed out after 120 s" : lastLines(result.output, 40);
    console.log(`    in ${fromRoot(pkg.dir)}:\n${reason.replace(/^/gm, "    ")}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed.length > 0) {
  console.error(`jsr-check: deno publish --dry-run FAILED for ${failed.join(", ")} (${seconds} s)`);
  process.exitCode = 1;
} else {
  console.log(`jsr-check: deno publish --dry-run passed for ${packages.length} package(s) in ${seconds} s`);
}
