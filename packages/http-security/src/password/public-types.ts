/**
 * What both password entries (./index.ts, and ./workerd.ts for Workers) export besides
 * `createPasswordHasher`: the tagged errors and the option and result types.
 *
 * @module
 */
export type { PasswordBackendName, PasswordBackendThread } from "./backend.ts";
export {
  PasswordEmpty,
  type PasswordError,
  type PasswordHashError,
  PasswordHashingFailed,
  PasswordHashMalformed,
  PasswordHashUnsupported,
  type PasswordInputError,
  PasswordNotWellFormed,
  PasswordTooLong,
} from "./errors.ts";

export type {
  Argon2idParams,
  PasswordAlgorithm,
  PasswordBackendInfo,
  PasswordHasher,
  PasswordHasherOptions,
  ScryptParams,
} from "./hasher.ts";
