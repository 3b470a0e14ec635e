// What an editor shows on hover over a loaded config, asked of TypeScript's language service (the same call
// an editor makes). Types cannot see their own display, so this is a runtime test; it needs the file
// system, so workerd skips it (the other four runtimes run it).
import { runtime } from "@keel/testing";
import { describe, expect, it } from "vitest";

const usage = `import { createConfigLoader, loadConfig, loadConfigOrThrow, port, secret, secretUrl, string } from "../src/index.ts";
const spec = {
  PORT: port({ default: 3000 }),
  DATABASE_URL: secretUrl(),
  JWT_SECRET: secret({ minLength: 32 }),
  REGION: string({ optional: true }),
};
const config = loadConfigOrThrow(spec);
const loaded = loadConfig(spec);
const load = createConfigLoader(spec);
`;

const plainConfig = `Readonly<{
    PORT: number;
    DATABASE_URL: Secret<URL>;
    JWT_SECRET: Secret<string>;
    REGION: string | undefined;
}>`;

async function hovers(): Promise<Record<string, string>> {
  const { default: ts } = await import("typescript");
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const file = path.join(root, "test", "__hover__.ts");
  const options: import("typescript").CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    types: [],
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  };
  const read = (name: string) =>
    name === file ? usage : fs.existsSync(name) ? fs.readFileSync(name, "utf8") : undefined;
  const service = ts.createLanguageService({
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const text = read(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (given) => ts.getDefaultLibFilePath(given),
    fileExists: (name) => name === file || fs.existsSync(name),
    readFile: read,
    directoryExists: (name) => fs.existsSync(name),
  });
  const shown: Record<string, string> = {};
  for (const name of ["config", "loaded", "load"]) {
    const info = service.getQuickInfoAtPosition(file, usage.indexOf(`const ${name} `) + "const ".length);
    shown[name] = ts.displayPartsToString(info?.displayParts);
  }
  return shown;
}

describe.skipIf(runtime === "workerd")("a loaded config's hover (TypeScript language service)", () => {
  it("shows the plain value types, as t3-env does: Readonly<{ PORT: number; ... }>", async () => {
    const shown = await hovers();
    expect(shown.config).toBe(`const config: ${plainConfig}`);
    expect(shown.loaded).toBe(`const loaded: Result<${plainConfig}, ConfigError>`);
    expect(shown.load).toBe(`const load: (env: object) => Result<${plainConfig}, ConfigError>`);
    for (const text of Object.values(shown)) expect(text).not.toMatch(/FieldFor|Config</);
  }, 300_000); // a type-checker run: a hang detector, not a speed check
});
