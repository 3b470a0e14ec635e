import type { Result } from "@keel/result";
import type { Field, FieldFor, FieldOptions } from "../field.ts";
import { frozenCopy } from "./deep-freeze.ts";
import { own } from "./own.ts";
import { ok } from "./result.ts";

/** What a coercer adds to a plain field. */
export interface FieldParts<T> {
  readonly secret?: boolean;
  readonly production?: (raw: string) => string | undefined;
  /** Checks a default given as a value (not as raw text); returns the value to use. */
  readonly checkValue?: (value: T) => Result<T, string>;
}

/**
 * Builds a field and checks its default once, here, at set-up: a raw-text default goes through `parse`, a
 * value through `checkValue`. A default the field would refuse throws a `TypeError` naming the factory and
 * the reason (never the default: it may be a development secret).
 */
export function makeField<T, O extends FieldOptions<T>>(
  name: string,
  parse: (raw: string) => Result<T, string>,
  options: O | undefined,
  parts: FieldParts<T> = {},
): FieldFor<T, O> {
  const settings: FieldOptions<T> = {
    ...(options !== undefined && Object.hasOwn(options, "default") ? { default: options.default } : {}),
    ...(own(options, "optional") === true ? { optional: true } : {}),
    ...(own(options, "allowEmpty") === true ? { allowEmpty: true } : {}),
    ...(own(options, "requiredIn") !== undefined
      ? { requiredIn: [...(own(options, "requiredIn") ?? [])] }
      : {}),
  };
  const built: { -readonly [K in keyof Field<T>]: Field<T>[K] } = {
    parse,
    secret: parts.secret ?? false,
    options: Object.freeze(settings),
  };
  if (parts.production !== undefined) built.production = parts.production;
  if (Object.hasOwn(settings, "default")) {
    const given = settings.default as T | string;
    let checked: Result<T, string>;
    if (typeof given === "string") checked = parse(given);
    else checked = parts.checkValue === undefined ? ok(given) : parts.checkValue(given);
    if (checked.isErr()) throw new TypeError(`${name}: its default is refused: ${checked.error}`);
    built.fallback = Object.freeze({ value: frozenCopy(checked.value) });
  }
  return Object.freeze(built) as FieldFor<T, O>;
}
