/**
 * Error classes with a literal `_tag`, so that a union of errors can be matched exhaustively.
 *
 * @module
 */
import { defineField } from "./_internal/define-field.ts";

/** Anything with a string `_tag`: what `matchError`, `catchTags` and the problem mapper work on. */
export interface Tagged<Tag extends string = string> {
  /** The literal that tells the members of an error union apart, as `"NotFound"` in `NotFound | Conflict`. */
  readonly _tag: Tag;
}

/** Options every tagged error accepts beside its own fields. */
export interface TaggedErrorOptions {
  /** Human-readable message; defaults to the tag. */
  readonly message?: string;
  /** The underlying error, kept for logs (never serialised or sent to clients). */
  readonly cause?: unknown;
}

/** An instance of a class made by {@link TaggedError}: a real `Error` with a literal `_tag`. */
export interface TaggedErrorInstance<Tag extends string> extends Error, Tagged<Tag> {
  /** The tag again, so stack traces and `console.error` name the error by its tag. */
  readonly name: Tag;
}

/** Field names a tagged error may not declare, because `Error` or Keel already uses them. */
export type ReservedField = "_tag" | "name" | "message" | "stack" | "cause" | "constructor";

/**
 * The constructor parameters of a tagged error class with `Fields`: an optional fields object when every
 * field is optional, a required one otherwise. A field named after a {@link ReservedField} makes the only
 * parameter that name, so the mistake shows at the class declaration instead of being silently dropped.
 */
export type ConstructorArgs<Fields> = [Extract<keyof Fields, ReservedField>] extends [never]
  ? Record<never, never> extends Fields
    ? [fields?: Fields & TaggedErrorOptions]
    : [fields: Fields & TaggedErrorOptions]
  : [reservedFieldNames: Extract<keyof Fields, ReservedField>];

/** The class {@link TaggedError} returns: extend it with the error's fields as a type argument. */
export interface TaggedErrorClass<Tag extends string> {
  /**
   * Builds the error from its fields plus the {@link TaggedErrorOptions} (`message`, `cause`). Reached
   * through `super(...)` in the class that extends it, or directly with `new` when there are no fields.
   */
  new <Fields extends object = Record<never, never>>(
    ...args: ConstructorArgs<Fields>
  ): TaggedErrorInstance<Tag> & Readonly<Fields>;
  /** The tag every instance carries; used by registries and `isTagged`. */
  readonly tag: Tag;
}

// `constructor` and `__proto__` would shadow or replace what every object inherits.
const reserved: ReadonlySet<string> = new Set([
  "_tag",
  "name",
  "message",
  "stack",
  "cause",
  "__proto__",
  "constructor",
]);

/**
 * Declares an error class whose instances carry the literal `_tag` and typed fields. Instances are real
 * `Error`s: `instanceof Error`, `name` (the tag), `stack` and `cause` all work.
 *
 * @param tag The literal tag; also the error's `name`.
 * @returns A class to extend, taking the fields as its type argument.
 *
 * @example
 * ```ts
 * import { TaggedError } from "@keel/result";
 *
 * class NotFound extends TaggedError("NotFound")<{ resource: string; id: string }> {}
 *
 * const error = new NotFound({ resource: "user", id: "42", message: "no such user" });
 * console.assert(error._tag === "NotFound" && error.id === "42" && error instanceof Error);
 * ```
 */
export function TaggedError<const Tag extends string>(tag: Tag): TaggedErrorClass<Tag> {
  class Base extends Error {
    static readonly tag: Tag = tag;
    readonly _tag: Tag = tag;

    constructor(fields?: Record<string, unknown> & TaggedErrorOptions) {
      super(
        fields?.message ?? tag,
        fields !== undefined && "cause" in fields ? { cause: fields.cause } : undefined,
      );
      if (fields === undefined) return;
      for (const key of Object.keys(fields)) {
        if (!reserved.has(key)) defineField(this, key, fields[key], false);
      }
    }
  }
  Object.defineProperty(Base.prototype, "name", { value: tag, writable: true, configurable: true });
  return Base as unknown as TaggedErrorClass<Tag>;
}

/**
 * The fields a tagged error was built with: its own enumerable properties minus `_tag` and `Error`'s.
 *
 * @example
 * ```ts
 * import { TaggedError, errorFields } from "@keel/result";
 * class Conflict extends TaggedError("Conflict")<{ key: string }> {}
 * console.assert(errorFields(new Conflict({ key: "email" })).key === "email");
 * ```
 */
export function errorFields(error: Tagged): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (!reserved.has(key)) fields[key] = (error as unknown as Record<string, unknown>)[key];
  }
  return fields;
}

/**
 * Type guard for a value with a string `_tag`, optionally a given one.
 *
 * @example
 * ```ts
 * import { isTagged } from "@keel/result";
 * const value: unknown = { _tag: "NotFound" };
 * console.assert(isTagged(value, "NotFound") && !isTagged(new Error("x")));
 * ```
 */
export function isTagged<Tag extends string = string>(value: unknown, tag?: Tag): value is Tagged<Tag> {
  if (typeof value !== "object" || value === null) return false;
  const actual = (value as { _tag?: unknown })._tag;
  return tag === undefined ? typeof actual === "string" : actual === tag;
}
