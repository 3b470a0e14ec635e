// Why: a package is split into entries (`@keel/http-security`, `/jwt`, `/password`...) so that a service pays,
// at start-up and in memory, only for what it imports. A stray import (jose reached from a CORS module, the
// Redis store from the rate-limit entry) still builds, passes every test and barely moves a bundle size, but
// makes every unbundled user load it. This imports each public entry's built file, unbundled, in a fresh
// Node 24 process with a module-resolve hook, prints how many modules it loads, and fails when an entry
// loads (or can load later, by a dynamic `import()` in a file it loaded) a module that only another entry may.
//
//   node scripts/check-imports.ts [--package http-security] [--list]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { binaries, entryPoints, fromRoot, repoRoot, selectPackages } from "./lib/packages.ts";

/** What one entry may load: a rule names the modules and the entries (by subpath) allowed to load them. */
interface Rule {
  readonly what: string;
  /** Whether a loaded module (its resolved URL, its source for a file of this repo) is one of them. */
  readonly matches: (url: string, source: string | undefined) => boolean;
  /** Whether the entry (its subpath: ".", "./hono", "./rate-limit/redis") may load it. */
  readonly allowedIn: (subpath: string) => boolean;
  readonly allowedWhere: string;
}

const inPackage = (url: string, name: string): boolean => url.includes(`/node_modules/${name}/`);
const isHonoEntry = (subpath: string): boolean => subpath === "./hono" || subpath.endsWith("/hono");

const rules: readonly Rule[] = [
  {
    what: "jose",
    matches: (url) => inPackage(url, "jose") || url === "jose",
    allowedIn: (subpath) => subpath === "./jwt",
    allowedWhere: "./jwt",
  },
  {
    what: "@noble/hashes",
    matches: (url) => inPackage(url, "@noble/hashes") || url.startsWith("@noble/hashes"),
    allowedIn: (subpath) => subpath === "./password",
    allowedWhere: "./password",
  },
  {
    what: "node:crypto",
    matches: (url) => url === "node:crypto" || url === "crypto",
    allowedIn: (subpath) => subpath === "./password",
    allowedWhere: "./password",
  },
  {
    what: "a Redis client or the Redis store (its Lua scripts)",
    matches: (url, source) =>
      ["ioredis", "redis", "@redis/client"].some((name) => inPackage(url, name) || url === name) ||
      (source !== undefined && /redis\.call\(/.test(source)),
    allowedIn: (subpath) => subpath.endsWith("/redis"),
    allowedWhere: "a /redis entry",
  },
  {
    what: "Durable Object code",
    matches: (url, source) =>
      url.startsWith("cloudflare:") || (source !== undefined && /\bclass RateLimiterObject\b/.test(source)),
    allowedIn: (subpath) => subpath.endsWith("/workers"),
    allowedWhere: "a /workers entry",
  },
  {
    what: "hono (or a @keel package's Hono adapter)",
    matches: (url) => inPackage(url, "hono") || /\/packages\/[^/]+\/dist\/hono\.js$/.test(url),
    allowedIn: isHonoEntry,
    allowedWhere: "a /hono entry",
  },
];

// The child: records every module resolved while the entry is imported, with the dynamic import() specifiers
// of this repo's files among them (what the entry can load later), and prints them as JSON.
const child = `
import { registerHooks } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
const entry = process.argv[1];
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
await import(entry);
const modules = [...loaded].filter((url) => url !== entry);
const sources = {};
for (const url of [entry, ...modules]) {
  if (!url.startsWith("file:") || url.includes("/node_modules/")) continue;
  sources[url] = readFileSync(fileURLToPath(url), "utf8");
}
process.stdout.write(JSON.stringify({ modules, sources }));
`;

interface Loaded {
  readonly modules: readonly string[];
  readonly sources: Readonly<Record<string, string>>;
}

function load(file: string): Loaded {
  const url = new URL(`file://${file}`).href;
  const run = spawnSync(binaries.node24, ["--input-type=module", "-e", child, url], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`importing ${fromRoot(file)} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Loaded;
}

/** The dynamic `import("x")` specifiers of a file: modules it can load after it was imported. */
const dynamicImports = (source: string): string[] =>
  [...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1] as string);

const shortName = (url: string): string => {
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  return url.startsWith("file:") ? fromRoot(new URL(url).pathname) : url;
};

function main(): number {
  const { values } = parseArgs({
    options: { package: { type: "string" }, list: { type: "boolean", default: false } },
  });
  const findings: string[] = [];
  let entries = 0;
  for (const pkg of selectPackages(values.package)) {
    for (const entry of entryPoints(pkg.manifest)) {
      if (entry.distFile === undefined) continue;
      const file = join(pkg.dir, entry.distFile);
      if (!existsSync(file)) {
        findings.push(`${entry.specifier}: ${fromRoot(file)} is missing (run \`npm run build\` first)`);
        continue;
      }
      entries++;
      const { modules, sources } = load(file);
      const byPackage = new Map<string, number>();
      for (const url of modules) byPackage.set(shortName(url), (byPackage.get(shortName(url)) ?? 0) + 1);
      const external = [...byPackage]
        .filter(([name]) => !name.startsWith("packages/"))
        .map(([name, count]) => `${name} ${count}`)
        .join(", ");
      console.log(
        `${entry.specifier.padEnd(42)} ${String(modules.length).padStart(3)} module(s)${external ? ` (${external})` : ""}`,
      );
      if (values.list) for (const url of modules) console.log(`    ${shortName(url)}`);
      const later = Object.values(sources).flatMap(dynamicImports);
      for (const rule of rules) {
        if (rule.allowedIn(entry.subpath)) continue;
        const hits = [
          ...modules.filter((url) => rule.matches(url, sources[url])).map(shortName),
          ...later.filter((specifier) => rule.matches(specifier, undefined)).map((s) => `import("${s}")`),
        ];
        if (hits.length > 0) {
          findings.push(
            `${entry.specifier} loads ${rule.what}, which only ${rule.allowedWhere} may: ${[...new Set(hits)].slice(0, 5).join(", ")}`,
          );
        }
      }
    }
  }
  for (const finding of findings) console.error(`check-imports: ${finding}`);
  if (findings.length > 0) {
    console.error(`check-imports: ${findings.length} entry problem(s); move the import behind its own entry`);
    return 1;
  }
  console.log(`check-imports: ${entries} entry point(s) load only what they may`);
  return 0;
}

process.exitCode = main();
