// Why: changesets bumps package.json versions but knows nothing of jsr.json, so the two registries would get
// different versions of the same release. `--write` (run by `npm run version-packages`) copies each
// package.json version into its jsr.json; without it, this only checks and fails on any difference.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fromRoot, listPublicPackages, readJson, type WorkspacePackage, writeJson } from "./lib/packages.ts";

interface JsrJson {
  readonly name: string;
  readonly version: string;
  readonly [field: string]: unknown;
}

/** Returns a finding when the package's jsr.json version differs (after fixing it, with `write`). */
function syncVersion(pkg: WorkspacePackage, write: boolean): string | undefined {
  const jsrPath = join(pkg.dir, "jsr.json");
  if (!existsSync(jsrPath)) return `${fromRoot(jsrPath)} is missing`;
  const jsr = readJson<JsrJson>(jsrPath);
  if (jsr.version === pkg.manifest.version) return undefined;
  if (!write) {
    return `${fromRoot(jsrPath)} has version ${jsr.version} but package.json has ${pkg.manifest.version} (run node scripts/sync-jsr.ts --write)`;
  }
  writeJson(jsrPath, { ...jsr, version: pkg.manifest.version });
  console.log(`${fromRoot(jsrPath)}: ${jsr.version} -> ${pkg.manifest.version}`);
  return undefined;
}

const { values } = parseArgs({ options: { write: { type: "boolean", default: false } } });
const findings = listPublicPackages()
  .map((pkg) => syncVersion(pkg, values.write))
  .filter((finding) => finding !== undefined);
for (const finding of findings) console.error(`sync-jsr: ${finding}`);
if (findings.length > 0) process.exitCode = 1;
else if (!values.write) console.log("sync-jsr: every jsr.json version matches its package.json");
