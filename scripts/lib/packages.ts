// Shared by the repo scripts so that they agree on where the workspace is, which packages it publishes and
// what their manifests look like.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { repoRoot } from "@keel/testing/binaries";

// Binaries and runtimes.json are located in one place, @keel/testing/binaries.
export { binaries, binPath, node20Dir, type Runtimes, readRuntimes, repoRoot } from "@keel/testing/binaries";

/** The fields of package.json that the scripts read. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly homepage?: string;
  readonly repository?: { readonly type: string; readonly url: string; readonly directory?: string };
  readonly bugs?: { readonly url: string };
  readonly publishConfig?: Readonly<Record<string, string | boolean>>;
  readonly license?: string;
  readonly type?: string;
  readonly sideEffects?: boolean | readonly string[];
  readonly files?: readonly string[];
  readonly engines?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly scripts?: Readonly<Record<string, string>>;
  /** Repo-specific settings, e.g. `workerdFlags`: the compatibility flags a package needs on Workers. */
  readonly keel?: {
    readonly workerdFlags?: readonly string[];
    /** Test files the flag-free workerd leg leaves out, each with the reason (scripts/workerd-suite.ts). */
    readonly workerdSkipFiles?: Readonly<Record<string, string>>;
    /** Import lists (e.g. "defineBrand, Email") whose tree-shaken size `npm run size` also reports. */
    readonly sizeImports?: readonly string[];
    /**
     * The Node modules (e.g. ["async_hooks"]) the package's src may import as `node:<name>`; their types come
     * from `@types/node/<name>.d.ts` alone, never the whole of @types/node (checked by check-packages).
     */
    readonly nodeModules?: readonly string[];
    /** Legs of the test matrix the package's suite does not run on, each with the reason shown. */
    readonly skipLegs?: Readonly<Record<string, string>>;
  };
}

/** A publishable package under packages/. */
export interface WorkspacePackage {
  readonly name: string;
  /** Absolute path of the package folder. */
  readonly dir: string;
  readonly manifest: PackageJson;
}

/** One subpath of an exports map, e.g. "./hono" of @keel/result. */
export interface EntryPoint {
  /** The key in the exports map: ".", "./hono". */
  readonly subpath: string;
  /** What a user imports: "@keel/result", "@keel/result/hono". */
  readonly specifier: string;
  /** The "default" target ("./dist/hono.js"), or undefined when the entry has none. */
  readonly distFile: string | undefined;
  /** The "types" target, or undefined when the entry has none. */
  readonly typesFile: string | undefined;
}

export function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new Error(`cannot read ${fromRoot(path)}: ${(error as Error).message}`);
  }
}

/** Writes JSON the way the formatter leaves it: 2-space indent and a final newline. */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** A path relative to the repo root, for messages. */
export function fromRoot(path: string): string {
  return relative(repoRoot, path);
}

/** Every non-private package in packages/*, sorted by folder name. */
export function listPublicPackages(): WorkspacePackage[] {
  const packagesDir = join(repoRoot, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = readJson<PackageJson>(join(dir, "package.json"));
      return { name: manifest.name, dir, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * Whether `--package <selector>` names this package: its npm name ("@keel/result"), its folder name
 * ("result") or its folder path ("packages/result"). Every script's `--package` goes through this.
 */
export function matchesPackage(selector: string, name: string, dir: string): boolean {
  const wanted = selector.replace(/\/+$/, "");
  return wanted === name || wanted === basename(dir) || wanted === relative(repoRoot, dir);
}

/** The public packages, or only the one named by `--package` (npm or folder name); throws on an unknown name. */
export function selectPackages(selector: string | undefined): WorkspacePackage[] {
  const packages = listPublicPackages();
  if (selector === undefined) return packages;
  const selected = packages.filter((pkg) => matchesPackage(selector, pkg.name, pkg.dir));
  if (selected.length === 0) {
    const known = packages.map((pkg) => `${pkg.name} (${basename(pkg.dir)})`).join(", ") || "none";
    throw new Error(`no public package ${selector} in packages/* (known: ${known})`);
  }
  return selected;
}

/** The entry points of a package's exports map, without "./package.json". */
export function entryPoints(manifest: PackageJson): EntryPoint[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => ({
      subpath,
      specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      distFile: typeof target === "string" ? target : target.default,
      typesFile: typeof target === "string" ? undefined : target.types,
    }));
}

/** The source file a built file comes from: "./dist/hono.js" -> "./src/hono.ts". */
export function sourceFileOf(distFile: string): string {
  return distFile.replace(/^\.\/dist\//, "./src/").replace(/\.js$/, ".ts");
}

/** The names a package needs at run time from the user's install: dependencies and peers. */
export function runtimeDependencies(manifest: PackageJson): string[] {
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
}
