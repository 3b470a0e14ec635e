import type { ConfigIssue } from "../config-error.ts";
import type { EnvReader } from "../env-source.ts";
import { readKey } from "./read-source.ts";

/**
 * The environment name: the one given, else the source's `NODE_ENV`, else "development". An unreadable
 * `NODE_ENV` is an issue, not "development": that guess would switch off production's rules.
 */
export function resolveEnvironment(
  read: EnvReader,
  given: string | undefined,
): { readonly environment: string; readonly issue?: ConfigIssue } {
  if (given !== undefined) return { environment: given };
  const nodeEnv = readKey(read, "NODE_ENV");
  if ("reason" in nodeEnv) {
    return {
      environment: "development",
      issue: { key: "NODE_ENV", reason: `${nodeEnv.reason}, or pass \`environment\`` },
    };
  }
  return { environment: typeof nodeEnv.raw === "string" && nodeEnv.raw !== "" ? nodeEnv.raw : "development" };
}
