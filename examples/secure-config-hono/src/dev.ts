/**
 * Development start: `npm start` (Node), `npm run start:bun`, `npm run start:deno`. Reads `.env` when there
 * is one, else `.dev.vars.example`'s development values, and says which on the console; variables already
 * set in the environment win. Then it runs the runtime's entry (`node.ts`, `bun.ts` or `deno.ts`), which
 * validates the config as in production. Never use this in production: set real variables there.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseDotenv } from "@keel/secure-config";

const file = existsSync(".env") ? ".env" : ".dev.vars.example";
const parsed = parseDotenv(readFileSync(file, "utf8"));
if (parsed.isErr()) {
  console.error(`${file}: ${parsed.error.message}`);
  process.exit(1);
}
for (const [key, value] of Object.entries(parsed.value)) {
  if (!Object.hasOwn(process.env, key)) process.env[key] = value;
}
console.log(
  file === ".env"
    ? "development: variables from .env"
    : "development: no .env, so using the development values of .dev.vars.example (cp .dev.vars.example .env to change them)",
);

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
await import(`./${runtime}.ts`);
