// `npm run bench`: runs each package's bench/*.bench.ts (cases registered with scripts/lib/bench.ts),
// prints ops/s and the ratio to the anchor, and writes the table into the package README between
// <!-- bench:start --> and <!-- bench:end -->. Not part of `npm test`: no test asserts a time.
//
//   node scripts/bench.ts                    every package
//   node scripts/bench.ts --package result   one package (folder or npm name)
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type BenchRow, runCases } from "./lib/bench.ts";
import { selectPackages } from "./lib/packages.ts";
import { writeBlock } from "./lib/readme.ts";

const { values: options } = parseArgs({ options: { package: { type: "string" } } });

const opsPerSecond = (ns: number): string => Math.round(1e9 / ns).toLocaleString("en-US");

function markdown(rows: BenchRow[]): string {
  const machine = `${process.release.name} ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, ${new Date().toISOString().slice(0, 10)}`;
  return [
    `Measured by \`npm run bench\` (${machine}), both sides in the same process. Speed = Keel's ops/s ÷ the anchor's: above 1x Keel is faster.`,
    "",
    "| case | anchor | anchor ops/s | Keel | Keel ops/s | speed |",
    "|---|---|---:|---|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.anchorLabel} | ${opsPerSecond(row.anchorNs)} | ${row.keelLabel} | ${opsPerSecond(row.keelNs)} | ${row.speed < 0.01 ? "<0.01" : row.speed.toFixed(2)}x |`,
    ),
  ].join("\n");
}

for (const pkg of selectPackages(options.package)) {
  const benchDir = join(pkg.dir, "bench");
  const files = existsSync(benchDir)
    ? readdirSync(benchDir).filter((file) => file.endsWith(".bench.ts"))
    : [];
  if (files.length === 0) {
    console.log(`${pkg.name}: no bench/*.bench.ts`);
    continue;
  }
  for (const file of files.sort()) await import(pathToFileURL(join(benchDir, file)).href);
  const rows = await runCases();
  const table = markdown(rows);
  console.log(`\n${pkg.name}\n${table}`);
  const readmePath = join(pkg.dir, "README.md");
  writeFileSync(readmePath, writeBlock(readFileSync(readmePath, "utf8"), "bench", table, "Benchmarks"));
}
