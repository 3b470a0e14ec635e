import type { Field } from "../field.ts";
import { deepFreeze } from "./deep-freeze.ts";
import { own } from "./own.ts";

/** The rules of one load that are the same for every key. */
export interface CheckContext {
  readonly environment: string;
  /** Secret values seen so far, to report one value under two keys (production). */
  readonly secretOwners: Map<string, string>;
}

/** A key's value for the config, or the reasons it is refused. */
export type KeyOutcome = { readonly value: unknown } | { readonly reasons: readonly string[] };

/** One variable through its field: missing/empty rules, default, parse, and production's checks. */
export function checkKey(
  key: string,
  field: Field<unknown>,
  raw: unknown,
  context: CheckContext,
): KeyOutcome {
  if (raw !== undefined && typeof raw !== "string") return { reasons: ["is a binding, not a text variable"] };
  // Own properties only, here as everywhere: a polluted Object.prototype must not make a field optional.
  const options = own(field, "options");
  if (raw === undefined || (raw === "" && own(options, "allowEmpty") !== true)) {
    return missing(field, options, raw, context);
  }
  const parsed = field.parse(raw);
  if (parsed.isErr()) return { reasons: [parsed.error] };
  const reasons: string[] = [];
  const inProduction = context.environment === "production";
  const production = own(field, "production");
  if (inProduction && production !== undefined) {
    const weakness = production(raw);
    if (weakness !== undefined) reasons.push(`${weakness} (production)`);
  }
  if (inProduction && own(field, "secret") === true) {
    const owner = context.secretOwners.get(raw);
    if (owner !== undefined) reasons.push(`has the same value as ${owner} (production)`);
    else context.secretOwners.set(raw, key);
  }
  return reasons.length > 0 ? { reasons } : { value: deepFreeze(parsed.value) };
}

function missing(
  field: Field<unknown>,
  options: Field<unknown>["options"] | undefined,
  raw: "" | undefined,
  context: CheckContext,
): KeyOutcome {
  const fallback = own(field, "fallback");
  if (fallback !== undefined) return { value: own(fallback, "value") };
  const requiredIn = own(options, "requiredIn");
  if (
    own(options, "optional") === true ||
    (requiredIn !== undefined && !requiredIn.includes(context.environment))
  ) {
    return { value: undefined };
  }
  return { reasons: [raw === "" ? "empty" : "missing"] };
}
