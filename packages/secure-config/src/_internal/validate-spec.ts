import type { Result } from "@keel/result";
import { ConfigError, type ConfigIssue } from "../config-error.ts";
import type { EnvReader } from "../env-source.ts";
import type { FieldLike } from "../field.ts";
import type { Config, ConfigSpec } from "../load-config.ts";
import { checkKey } from "./check-key.ts";
import { resolveEnvironment } from "./environment.ts";
import { setOwn } from "./own.ts";
import { readKey } from "./read-source.ts";
import { err, ok } from "./result.ts";
import { fieldOf } from "./spec-field.ts";

/**
 * Every key of the spec, read and checked: one frozen config, or one `ConfigError` with every issue, in
 * spec order. `known` holds issues found before (a failed provider, an invalid option): a key in it is not
 * read, and its issue takes its place; one that names no key of the spec comes first.
 */
export function validateSpec<S extends ConfigSpec>(
  spec: S,
  read: EnvReader,
  environment: string | undefined,
  known: readonly ConfigIssue[] = [],
): Result<Config<S>, ConfigError> {
  const keys = Object.keys(spec);
  const issues: ConfigIssue[] = known.filter((issue) => !Object.hasOwn(spec, issue.key));
  const knownReasons = new Map<string, string[]>();
  for (const issue of known)
    knownReasons.set(issue.key, [...(knownReasons.get(issue.key) ?? []), issue.reason]);
  const resolved = resolveEnvironment(read, environment);
  if (resolved.issue !== undefined) issues.push(resolved.issue);
  const context = {
    environment: resolved.environment,
    secretOwners: new Map<string, string>(),
  };
  // Own properties only, and set with setOwn: a "__proto__" key is data, never the config's prototype.
  const config: Record<string, unknown> = {};
  for (const key of keys) {
    const outcome = knownReasons.has(key) ? { reasons: knownReasons.get(key) ?? [] } : check(key);
    if ("reasons" in outcome) for (const reason of outcome.reasons) issues.push({ key, reason });
    else setOwn(config, key, outcome.value);
  }
  function check(key: string) {
    const field = fieldOf(spec[key] as FieldLike);
    const value = readKey(read, key);
    return "reason" in value ? { reasons: [value.reason] } : checkKey(key, field, value.raw, context);
  }
  if (issues.length > 0) return err(new ConfigError({ issues }));
  return ok(Object.freeze(config) as Config<S>);
}
