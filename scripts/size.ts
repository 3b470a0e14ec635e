// Why: the packages promise to be small (root README, "Packages": the min+brotli column) and their READMEs
// show the sizes. This bundles each entry point on its own, as a user's bundler would (dependencies and peers
// external: the user has them anyway), measures minified, gzip and brotli bytes, and writes the table between
// the README's size markers. With --check (run by `npm test`) it writes nothing and fails, naming the package
// and `npm run size`, when a README table is not current.
//
//   node scripts/size.ts [--check] [--package result]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import {
  type EntryPoint,
  entryPoints,
  fromRoot,
  runtimeDependencies,
  selectPackages,
  type WorkspacePackage,
} from "./lib/packages.ts";
import { readBlock, writeBlock } from "./lib/readme.ts";

interface EntrySize {
  readonly specifier: string;
  readonly minified: number;
  readonly gzip: number;
  readonly brotli: number;
}

/** The built file of an entry point; throws when it has not been built. */
function distFileOf(pkg: WorkspacePackage, entry: EntryPoint): string {
  const file = join(pkg.dir, entry.distFile ?? "");
  if (entry.distFile === undefined || !existsSync(file)) {
    throw new Error(`${fromRoot(file)} (exports "${entry.subpath}") is missing: run \`npm run build\` first`);
  }
  return file;
}

/** Bundles `source` (ESM importing the package's dist files) as a user's bundler would, minified. */
async function minifiedBundle(pkg: WorkspacePackage, source: string): Promise<Uint8Array> {
  // "name/*" keeps subpath imports such as "hono/http-exception" external too.
  const external = runtimeDependencies(pkg.manifest).flatMap((name) => [name, `${name}/*`]);
  const result = await build({
    stdin: { contents: source, resolveDir: pkg.dir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: [...external, "node:*"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.contents;
}

async function measure(pkg: WorkspacePackage, label: string, source: string): Promise<EntrySize> {
  const code = await minifiedBundle(pkg, source);
  return {
    specifier: label,
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

/** "12,345 B (12.06 KiB)" */
function formatBytes(bytes: number): string {
  const grouped = String(bytes).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped} B (${(bytes / 1024).toFixed(2)} KiB)`;
}

/** A Markdown table padded the way the formatter (biome) pads it, so `npm run format` leaves it alone. */
function markdownTable(sizes: readonly EntrySize[]): string {
  const header = ["entry", "minified", "min+gzip", "min+brotli"];
  const rows = sizes.map((size) => [
    `\`${size.specifier}\``,
    formatBytes(size.minified),
    formatBytes(size.gzip),
    formatBytes(size.brotli),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  // The first column is left-aligned, the byte counts right-aligned.
  const pad = (cell: string, column: number) =>
    column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const delimiter = widths.map((width, column) =>
    column === 0 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`,
  );
  return [
    line(header),
    `| ${delimiter.join(" | ")} |`,
    ...rows.map(line),
    "",
    "Each entry point (and each `{ ... } from` import list) bundled on its own with esbuild (minified ESM,",
    "dependencies and peer dependencies external); gzip level 9, brotli quality 11. Written by `npm run size`.",
  ].join("\n");
}

function printTable(pkg: WorkspacePackage, sizes: readonly EntrySize[]): void {
  const width = Math.max(...sizes.map((size) => size.specifier.length), "entry".length);
  const column = (text: string) => text.padStart(20);
  console.log(`${"entry".padEnd(width)} ${column("minified")} ${column("min+gzip")} ${column("min+brotli")}`);
  for (const size of sizes) {
    const cells = [size.minified, size.gzip, size.brotli].map((bytes) => column(formatBytes(bytes)));
    console.log(`${size.specifier.padEnd(width)} ${cells.join(" ")}`);
  }
  if (sizes.length === 0) console.log(`${pkg.name}: no entry points in the exports map`);
}

/** Writes or checks one README; returns a finding for --check when it is not current. */
function syncReadme(pkg: WorkspacePackage, sizes: readonly EntrySize[], check: boolean): string | undefined {
  const readmePath = join(pkg.dir, "README.md");
  const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : `# ${pkg.name}\n`;
  const table = markdownTable(sizes);
  if (check) {
    const current = readBlock(readme, "size");
    if (current === table) return undefined;
    const problem =
      current === undefined
        ? "has no <!-- size:start --> ... <!-- size:end --> markers"
        : `has a stale size table:\n--- README\n${current}\n+++ measured\n${table}`;
    return `${pkg.name}: ${fromRoot(readmePath)} ${problem}\n(run \`npm run size\` and commit the README)`;
  }
  const next = writeBlock(readme, "size", table, "Size");
  if (next !== readme) {
    writeFileSync(readmePath, next);
    console.log(`wrote ${fromRoot(readmePath)}`);
  }
  return undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, package: { type: "string" } },
  });
  const findings: string[] = [];
  const packages = selectPackages(values.package);
  for (const pkg of packages) {
    const entries = entryPoints(pkg.manifest);
    const wholeEntries = entries.map((entry) => {
      const file = JSON.stringify(distFileOf(pkg, entry));
      return measure(pkg, entry.specifier, `export * from ${file};`);
    });
    // package.json "keel.sizeImports": what a service pays for typical imports, after tree-shaking.
    const main = entries.find((entry) => entry.subpath === ".");
    const imports = main === undefined ? [] : (pkg.manifest.keel?.sizeImports ?? []);
    const importSets = imports.map((names) =>
      measure(
        pkg,
        `{ ${names} } from ${pkg.name}`,
        `export { ${names} } from ${JSON.stringify(distFileOf(pkg, main!))};`,
      ),
    );
    const sizes = await Promise.all([...wholeEntries, ...importSets]);
    if (!values.check) {
      console.log(`\n${pkg.name}`);
      printTable(pkg, sizes);
    }
    const finding = syncReadme(pkg, sizes, values.check);
    if (finding !== undefined) findings.push(finding);
  }
  for (const finding of findings) console.error(`\nsize: ${finding}`);
  if (findings.length > 0) {
    console.error(`size: ${findings.length} README size table(s) stale; regenerate with \`npm run size\``);
    process.exitCode = 1;
  } else if (values.check) {
    console.log(`size: the size tables of ${packages.length} package README(s) are current`);
  }
}

main().catch((error: unknown) => {
  console.error(`size: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
