/**
 * The expected failures of password hashing, as tagged errors. None repeats the password or the stored
 * hash: a log line or a problem built from them carries neither.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ PasswordEmptyBase: TaggedErrorClass<"PasswordEmpty"> =
    /* @__PURE__ */ TaggedError("PasswordEmpty");
const /** @ignore */ PasswordTooLongBase: TaggedErrorClass<"PasswordTooLong"> =
    /* @__PURE__ */ TaggedError("PasswordTooLong");
const /** @ignore */ PasswordNotWellFormedBase: TaggedErrorClass<"PasswordNotWellFormed"> =
    /* @__PURE__ */ TaggedError("PasswordNotWellFormed");
const /** @ignore */ PasswordHashMalformedBase: TaggedErrorClass<"PasswordHashMalformed"> =
    /* @__PURE__ */ TaggedError("PasswordHashMalformed");
const /** @ignore */ PasswordHashUnsupportedBase: TaggedErrorClass<"PasswordHashUnsupported"> =
    /* @__PURE__ */ TaggedError("PasswordHashUnsupported");
const /** @ignore */ PasswordHashingFailedBase: TaggedErrorClass<"PasswordHashingFailed"> =
    /* @__PURE__ */ TaggedError("PasswordHashingFailed");

/**
 * An empty password: refused when hashing and when verifying, so no account can have one.
 *
 * @example
 * ```ts
 * import { PasswordEmpty } from "@keel/http-security/password";
 * console.assert(new PasswordEmpty()._tag === "PasswordEmpty");
 * ```
 */
export class PasswordEmpty extends PasswordEmptyBase {
  constructor() {
    super({ message: "The password is empty" });
  }
}

/**
 * A password longer than the hasher's `maxPasswordBytes` (UTF-8 bytes after normalization): refused
 * before any key stretching, so a megabyte password costs nothing. Never truncated.
 *
 * @example
 * ```ts
 * import { PasswordTooLong } from "@keel/http-security/password";
 * const error = new PasswordTooLong({ maxBytes: 1024 });
 * console.assert(error._tag === "PasswordTooLong" && error.maxBytes === 1024);
 * ```
 */
export class PasswordTooLong extends PasswordTooLongBase<{ readonly maxBytes: number }> {
  /** Builds the error for the hasher's byte limit, which the message names (never the password). */
  constructor(fields: { maxBytes: number }) {
    super({ message: `The password is longer than ${fields.maxBytes} bytes`, maxBytes: fields.maxBytes });
  }
}

/**
 * A password holding a lone UTF-16 surrogate (possible from JSON `"\ud800"` escapes): it has no UTF-8
 * form, and encoding it would replace it with U+FFFD, so two different passwords would hash alike.
 *
 * @example
 * ```ts
 * import { PasswordNotWellFormed } from "@keel/http-security/password";
 * console.assert(new PasswordNotWellFormed()._tag === "PasswordNotWellFormed");
 * ```
 */
export class PasswordNotWellFormed extends PasswordNotWellFormedBase {
  constructor() {
    super({ message: "The password is not well-formed Unicode (lone surrogate)" });
  }
}

/**
 * A stored hash that is not a PHC string this package reads: wrong syntax, bad base64, salt or hash of
 * an unusable length. `reason` says which, in fixed words (the stored text is never quoted). A server-side
 * data problem: not in `httpSecurityProblemStatuses`, so a problem mapper answers it 500.
 *
 * @example
 * ```ts
 * import { PasswordHashMalformed } from "@keel/http-security/password";
 * const error = new PasswordHashMalformed({ reason: "not a PHC string" });
 * console.assert(error._tag === "PasswordHashMalformed" && error.reason === "not a PHC string");
 * ```
 */
export class PasswordHashMalformed extends PasswordHashMalformedBase<{ readonly reason: string }> {
  /** Builds the error with a fixed-word `reason`, also put in the message; never pass the stored text. */
  constructor(fields: { reason: string }) {
    super({ message: `Malformed password hash: ${fields.reason}`, reason: fields.reason });
  }
}

/**
 * A well-formed PHC string this package will not verify: another algorithm (`$2b$` bcrypt, `argon2i`,
 * `argon2d`), another Argon2 version, extra parameters (`data=`, `keyid=`), or costs beyond the
 * hasher's limits (`maxMemoryKiB`), which protect the server from a hostile stored hash. Answered 500.
 *
 * @example
 * ```ts
 * import { PasswordHashUnsupported } from "@keel/http-security/password";
 * const error = new PasswordHashUnsupported({ reason: "algorithm not supported" });
 * console.assert(error._tag === "PasswordHashUnsupported");
 * ```
 */
export class PasswordHashUnsupported extends PasswordHashUnsupportedBase<{ readonly reason: string }> {
  /** Builds the error with a fixed-word `reason` (which algorithm or limit), also put in the message. */
  constructor(fields: { reason: string }) {
    super({ message: `Unsupported password hash: ${fields.reason}`, reason: fields.reason });
  }
}

/**
 * The key-derivation function itself failed (the runtime refused the memory, a native error); the
 * underlying error is kept as `cause` for logs. Answered 500.
 *
 * @example
 * ```ts
 * import { PasswordHashingFailed } from "@keel/http-security/password";
 * const error = new PasswordHashingFailed({ cause: new RangeError("out of memory") });
 * console.assert(error._tag === "PasswordHashingFailed" && error.cause instanceof RangeError);
 * ```
 */
export class PasswordHashingFailed extends PasswordHashingFailedBase {
  /** Builds the error around the key-derivation failure, kept as `cause` for logs (never sent). */
  constructor(fields: { cause: unknown }) {
    super({ message: "Password hashing failed", cause: fields.cause });
  }
}

/** A password refused before hashing: empty, too long, or not well-formed. The client's fault (400). */
export type PasswordInputError = PasswordEmpty | PasswordTooLong | PasswordNotWellFormed;

/** A stored hash that cannot be verified: malformed, or unsupported. The server's data (500). */
export type PasswordHashError = PasswordHashMalformed | PasswordHashUnsupported;

/** Every error password hashing and verification can end with. */
export type PasswordError = PasswordInputError | PasswordHashError | PasswordHashingFailed;
