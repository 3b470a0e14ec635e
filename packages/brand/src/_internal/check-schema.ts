/**
 * A Standard Schema from a check function that answers the (possibly normalised) value or a {@link Refusal}
 * saying what is wrong. The built-in brands use it so that they need no validator library, and so that each
 * refusal names its reason without quoting the value.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";

/** Why a value was refused: one issue message, which must never quote the value (ids and emails are PII). */
export class Refusal {
  readonly issues: readonly StandardSchemaV1.Issue[];
  constructor(message: string) {
    this.issues = [{ message }];
  }
}

/**
 * A {@link Refusal}. Build refusals with this, not `new`: a bundler may drop a call to a function marked free
 * of side effects when its result is unused, but not a `new` (module-level refusals must tree-shake away).
 */
/* @__NO_SIDE_EFFECTS__ */
export function refuse(message: string): Refusal {
  return new Refusal(message);
}

/** The refusals of one brand: each reason as `${expected}, but ${reason}`, and one for a value of another type. */
export type Refusals<Reason extends string> = { readonly [K in Reason]: Refusal } & {
  /** `${expected}, but got a number` (or whatever kind `input` is). */
  wrongKind(input: unknown): Refusal;
};

/**
 * A brand's refusals, built once at module load (so a refusal allocates nothing per check), with the
 * message of each in one form: what was expected, then what is wrong.
 */
/* @__NO_SIDE_EFFECTS__ */
export function refusalsOf<Reason extends string>(
  expected: string,
  reasons: { readonly [K in Reason]: string },
): Refusals<Reason> {
  const refusals: Record<string, Refusal> = {};
  for (const [key, reason] of Object.entries<string>(reasons))
    refusals[key] = refuse(`${expected}, but ${reason}`);
  return {
    ...(refusals as { [K in Reason]: Refusal }),
    wrongKind: (input) => refuse(`${expected}, but got ${kindOf(input)}`),
  };
}

/** A check's answer: the value, or why not. */
export type Checked<T> = T | Refusal;

/** The Standard Schema that runs `check`. */
/* @__NO_SIDE_EFFECTS__ */
export function checkSchema<T>(check: (input: unknown) => Checked<T>): StandardSchemaV1<unknown, T> {
  return {
    "~standard": {
      version: 1,
      vendor: "keel",
      validate: (input) => {
        const checked = check(input);
        return checked instanceof Refusal ? { issues: checked.issues } : { value: checked };
      },
    },
  };
}

/** "a number", "an object", "null": what a value is, never what it holds. */
export function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  const type = typeof input;
  return type === "undefined" ? "undefined" : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
