// Runs every JSDoc `@example` of the packages' sources, so the examples users copy from the docs (and from
// their editor's hover) are known to work. Each ```ts block under an `@example` in a
// package's src/ is written to <package>/.keel/examples/ (so "@keel/<name>" resolves to the package itself,
// built) and run with Node 24. A throw, a non-zero exit or a failed console.assert fails the check.
//
//   node scripts/check-examples.ts [--package @keel/result]
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { binPath, fromRoot, selectPackages } from "./lib/packages.ts";

interface Example {
  readonly source: string;
  readonly index: number;
  readonly code: string;
}

/** The ```ts blocks of every `@example` tag in a file, with the JSDoc ` * ` prefixes removed. */
function examplesIn(file: string, text: string): Example[] {
  const examples: Example[] = [];
  for (const [, body] of text.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\//g)) {
    const lines = (body ?? "").split("\n").map((line) => line.replace(/^\s*\* ?/, ""));
    const block = lines.join("\n").match(/```ts\n([\s\S]*?)```/);
    if (block?.[1] !== undefined) examples.push({ source: file, index: examples.length, code: block[1] });
  }
  return examples;
}

const { values } = parseArgs({ options: { package: { type: "string" } } });
const failures: string[] = [];
let ran = 0;

for (const pkg of selectPackages(values.package)) {
  const scratch = join(pkg.dir, ".keel", "examples");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const srcDir = join(pkg.dir, "src");
  for (const file of readdirSync(srcDir).filter((name) => name.endsWith(".ts"))) {
    for (const example of examplesIn(file, readFileSync(join(srcDir, file), "utf8"))) {
      const path = join(scratch, `${file.replace(/\.ts$/, "")}-${example.index}.ts`);
      writeFileSync(path, example.code);
      const run = spawnSync(binPath("node"), [path], { cwd: pkg.dir, encoding: "utf8", timeout: 20_000 });
      ran++;
      const output = `${run.stdout}${run.stderr}`;
      if (run.status !== 0 || output.includes("Assertion failed")) {
        failures.push(
          `${fromRoot(join(srcDir, file))} example ${example.index + 1} failed:\n${output.trim()}`,
        );
      }
    }
  }
  rmSync(join(pkg.dir, ".keel"), { recursive: true, force: true });
}

for (const failure of failures) console.error(`\n${failure}`);
console.log(`check-examples: ${ran - failures.length} of ${ran} JSDoc examples ran clean`);
if (ran === 0 || failures.length > 0) process.exitCode = 1;
