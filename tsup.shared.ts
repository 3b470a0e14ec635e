import type { Options } from "tsup";

type Plugin = NonNullable<Options["plugins"]>[number];

/**
 * With code splitting, esbuild may list a file's imports of shared chunks in another order from one build to
 * the next (evanw/esbuild#1075), so the same sources gave different files, and bundle sizes measured from
 * them differed by a few bytes. The chunks only define things (every package declares `sideEffects: false`),
 * so their order does not matter: the imports of chunks at the head of a file are sorted by path.
 */
const sortedChunkImports: Plugin = {
  name: "sorted-chunk-imports",
  renderChunk(code) {
    const head = /^(?:import [^;]*;\n)+/.exec(code)?.[0];
    if (head === undefined) return undefined;
    const statements = head.match(/import [^;]*;\n/g) ?? [];
    const path = (statement: string) => /"([^"]*)";\n$/.exec(statement)?.[1] ?? "";
    const isChunk = (statement: string) => /(^|\/)chunk-[A-Z0-9]+\.js$/.test(path(statement));
    const chunks = statements.filter(isChunk).sort((a, b) => (path(a) < path(b) ? -1 : 1));
    const ordered = statements.map((statement) => (isChunk(statement) ? chunks.shift() : statement));
    return { code: ordered.join("") + code.slice(head.length) };
  },
};

/** The build every package shares: ESM and `.d.ts`, for any runtime (no Node built-ins assumed). */
export const packageBuild: Options = {
  format: ["esm"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  plugins: [sortedChunkImports],
};
