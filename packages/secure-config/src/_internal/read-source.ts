import type { EnvReader, EnvRecord } from "../env-source.ts";
import { runtimeEnv } from "../env-source.ts";
import { refusalReason } from "./read-refusal.ts";

/** The reader for a `source` option: a function as given, an object by own keys only, else the runtime's. */
export function readerOf(source: EnvRecord | EnvReader | undefined): EnvReader | undefined {
  if (typeof source === "function") return source;
  if (source !== undefined && source !== null) {
    return (key) => (Object.hasOwn(source, key) ? source[key] : undefined);
  }
  return runtimeEnv();
}

/** One variable's raw value, or the reason it could not be read (never a message the source wrote). */
export function readKey(
  read: EnvReader,
  key: string,
): { readonly raw: unknown } | { readonly reason: string } {
  try {
    return { raw: read(key) };
  } catch (thrown) {
    return { reason: refusalReason(thrown) };
  }
}
