/**
 * The password hasher, whatever the backends: options checked at set-up, the password's bytes (length
 * bound, NFC, no lone surrogates), PHC strings, constant-time verification, the dummy hash of
 * `verifyUser`, `needsRehash`. The entries (./index.ts, ./workerd.ts) hand it their backends.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import type { PasswordBackendName, PasswordBackendThread } from "./backend.ts";
import {
  PasswordEmpty,
  type PasswordError,
  PasswordHashingFailed,
  type PasswordInputError,
  PasswordNotWellFormed,
  PasswordTooLong,
} from "./errors.ts";
import {
  argon2idCostProblem,
  type Phc,
  type PhcLimits,
  parsePhc,
  scryptCostProblem,
  serializePhc,
} from "./phc.ts";
import type { PasswordBackends } from "./select-backends.ts";

/** The algorithms a hasher writes. */
export type PasswordAlgorithm = "argon2id" | "scrypt";

/** Argon2id costs (RFC 9106). The defaults are OWASP's: `memoryCost: 19456, timeCost: 2, parallelism: 1`. */
export interface Argon2idParams {
  /** `m`: memory in KiB. */
  readonly memoryCost?: number;
  /** `t`: passes over the memory. */
  readonly timeCost?: number;
  /** `p`: lanes. */
  readonly parallelism?: number;
}

/**
 * scrypt costs (RFC 7914). The defaults are one of OWASP's equivalent settings, `cost: 2 ** 15, blockSize: 8,
 * parallelization: 3`: 32 MiB, where OWASP's first (`2 ** 17`, `p: 1`) takes 128 MiB, a Worker's whole memory.
 */
export interface ScryptParams {
  /** `N`, a power of 2 (the PHC string holds `ln = log2(N)`). Memory is 128 × N × r bytes. */
  readonly cost?: number;
  /** `r`. */
  readonly blockSize?: number;
  /** `p`. */
  readonly parallelization?: number;
}

/** Options for `createPasswordHasher`. Every one has a safe default; an unknown key throws at set-up. */
export interface PasswordHasherOptions {
  /**
   * What `hash` writes: `"argon2id"` (the default), `"scrypt"`, or `"best"`: Argon2id where it is native
   * or WebAssembly in a worker thread (Node, Bun, Deno), scrypt where it would be pure JS (workerd).
   * `verify` reads both whatever this says. Pick one algorithm when one database serves several runtimes.
   */
  readonly algorithm?: PasswordAlgorithm | "best";
  /** Argon2id costs; OWASP's by default. */
  readonly argon2id?: Argon2idParams;
  /** scrypt costs; OWASP's by default. */
  readonly scrypt?: ScryptParams;
  /**
   * The longest password accepted, in UTF-8 bytes after normalization; 1024 by default. A longer one is a
   * `PasswordTooLong` error, found before any key stretching; it is never truncated.
   */
  readonly maxPasswordBytes?: number;
  /**
   * `"NFC"` (the default, as RFC 8265's OpaqueString profile): a password typed as `é` (U+00E9) and as
   * `e` + U+0301 is the same password. `"none"` hashes the code points as given: choose it to verify
   * hashes another library made from unnormalized text.
   */
  readonly normalization?: "NFC" | "none";
  /**
   * The most memory a stored hash may ask for, in KiB: 131072 (128 MiB, OWASP's scrypt) by default, or
   * the configured costs if more. A stored hash above it, or asking for more than 4 × it in work (memory ×
   * passes), or for over 16 lanes, is an `PasswordHashUnsupported` error before anything is allocated.
   */
  readonly maxMemoryKiB?: number;
  /**
   * Accept costs under OWASP's minimums (Argon2id: m >= 7168 KiB and m × t >= 35840; scrypt: N × r >=
   * 2^16 and N × r × p >= 655360). For tests only; off by default.
   */
  readonly allowWeakParameters?: boolean;
}

/** Which backend does the work on this runtime, where it runs, and what `hash` writes here. */
export interface PasswordBackendInfo {
  /** The algorithm `hash` writes here: the configured one, or what `"best"` chose on this runtime. */
  readonly algorithm: PasswordAlgorithm;
  /** What derives Argon2id keys here: native code, WebAssembly or pure JS (the slowest). */
  readonly argon2id: PasswordBackendName;
  /** What derives scrypt keys here. */
  readonly scrypt: PasswordBackendName;
  /** `"thread pool"` (native), `"worker"` (a worker thread of this package) or `"main thread"` (workerd). */
  readonly argon2idRunsOn: PasswordBackendThread;
  /** Where scrypt runs, in the same terms as `argon2idRunsOn`. */
  readonly scryptRunsOn: PasswordBackendThread;
}

/** A password hasher, built once by `createPasswordHasher`. */
export interface PasswordHasher {
  /** The PHC string of `password`, with a fresh random salt. */
  hash(password: string): Promise<Result<string, PasswordInputError | PasswordHashingFailed>>;
  /**
   * Whether `password` matches the stored PHC string `phc` (Argon2id or scrypt, whatever the hasher
   * writes): the bytes derived with the stored salt and costs are compared in constant time.
   */
  verify(phc: string, password: string): Promise<Result<boolean, PasswordError>>;
  /**
   * `verify` for a login, where the account may not exist: with no stored hash (`undefined` or `null`)
   * it spends the same time on a dummy hash with the current costs and answers `false`, so the answer's
   * timing does not tell an attacker which accounts exist.
   */
  verifyUser(phc: string | null | undefined, password: string): Promise<Result<boolean, PasswordError>>;
  /**
   * Whether `phc` should be replaced by a new hash after a successful `verify`: another algorithm, other
   * costs, a salt under 16 bytes or a hash under 32, or a string `verify` cannot read. With `"best"`,
   * either algorithm at its configured costs is current (no back-and-forth across runtimes).
   */
  needsRehash(phc: string): boolean;
  /** Which backend each algorithm uses on this runtime, and on which thread (detected on first use). */
  backends(): Promise<PasswordBackendInfo>;
}

const DEFAULT_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const DEFAULT_SCRYPT = { cost: 2 ** 15, blockSize: 8, parallelization: 3 } as const;
const DEFAULT_MAX_PASSWORD_BYTES = 1024;
const DEFAULT_MAX_MEMORY_KIB = 131_072;
const MIN_SALT_BYTES = 16;
const MIN_HASH_BYTES = 32;
// NFC turns at most a few code units into one (U+1F87 from four); a password longer than this many code
// units per allowed byte cannot fit, and is refused before it is normalized or encoded.
const UNITS_PER_BYTE_BOUND = 8;
const LONE_SURROGATE = /\p{Cs}/u;

const encoder = /* @__PURE__ */ new TextEncoder();

const WHERE = "createPasswordHasher";
const OPTION_KEYS: readonly (keyof PasswordHasherOptions)[] = [
  "algorithm",
  "argon2id",
  "scrypt",
  "maxPasswordBytes",
  "normalization",
  "maxMemoryKiB",
  "allowWeakParameters",
];
const ARGON2ID_KEYS: readonly (keyof Argon2idParams)[] = ["memoryCost", "timeCost", "parallelism"];
const SCRYPT_KEYS: readonly (keyof ScryptParams)[] = ["cost", "blockSize", "parallelization"];

const fail: (option: string, reason: string) => never = optionChecker(WHERE);

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return fail(option, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) return fail(option, `must be one of ${allowed.join(", ")}`);
  return value as T;
}

function costObject(option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) return fail(option, "must be an object");
  return value as Record<string, unknown>;
}

function checkCost(option: string, problem: { reason: string } | undefined): void {
  if (problem !== undefined) fail(option, `is refused: ${problem.reason}`);
}

/**
 * The hasher of `createPasswordHasher`, deriving on the backends `load` gives: every entry's factory
 * (./index.ts: detected per runtime; ./workerd.ts: the main thread only) is this with its own `load`.
 */
export function buildPasswordHasher(
  options: PasswordHasherOptions,
  load: () => Promise<PasswordBackends>,
): PasswordHasher {
  refuseUnknownKeys(WHERE, options, OPTION_KEYS);
  refuseUnknownKeys(WHERE, options.argon2id, ARGON2ID_KEYS, "argon2id");
  refuseUnknownKeys(WHERE, options.scrypt, SCRYPT_KEYS, "scrypt");
  const algorithm = oneOf("algorithm", options.algorithm, ["argon2id", "scrypt", "best"], "argon2id");
  const normalization = oneOf("normalization", options.normalization, ["NFC", "none"], "NFC");
  const maxPasswordBytes = integer(
    "maxPasswordBytes",
    options.maxPasswordBytes,
    DEFAULT_MAX_PASSWORD_BYTES,
    1,
    65_536,
  );
  const allowWeak = options.allowWeakParameters ?? false;
  if (typeof allowWeak !== "boolean") fail("allowWeakParameters", "must be true or false");

  const argonOptions = costObject("argon2id", options.argon2id);
  const argon2id = {
    memoryCost: integer(
      "argon2id.memoryCost",
      argonOptions.memoryCost,
      DEFAULT_ARGON2ID.memoryCost,
      8,
      2 ** 32 - 1,
    ),
    timeCost: integer("argon2id.timeCost", argonOptions.timeCost, DEFAULT_ARGON2ID.timeCost, 1, 2 ** 32 - 1),
    parallelism: integer(
      "argon2id.parallelism",
      argonOptions.parallelism,
      DEFAULT_ARGON2ID.parallelism,
      1,
      16,
    ),
  };
  const scryptOptions = costObject("scrypt", options.scrypt);
  const scrypt = {
    cost: integer("scrypt.cost", scryptOptions.cost, DEFAULT_SCRYPT.cost, 2, 2 ** 32),
    blockSize: integer("scrypt.blockSize", scryptOptions.blockSize, DEFAULT_SCRYPT.blockSize, 1, 1024),
    parallelization: integer(
      "scrypt.parallelization",
      scryptOptions.parallelization,
      DEFAULT_SCRYPT.parallelization,
      1,
      16,
    ),
  };
  const scryptMemoryKiB = (128 * scrypt.cost * scrypt.blockSize) / 1024;
  const neededMemoryKiB = Math.max(argon2id.memoryCost, scryptMemoryKiB);
  const maxMemoryKiB = integer(
    "maxMemoryKiB",
    options.maxMemoryKiB,
    Math.max(DEFAULT_MAX_MEMORY_KIB, neededMemoryKiB),
    8,
    2 ** 32 - 1,
  );
  const limits: PhcLimits = { maxMemoryKiB };
  checkCost("argon2id", argon2idCostProblem(argon2id, limits));
  checkCost("scrypt", scryptCostProblem(scrypt, limits));
  if (!allowWeak) {
    if (argon2id.memoryCost < 7168 || argon2id.memoryCost * argon2id.timeCost < 35_840) {
      fail("argon2id", "is under OWASP's minimum (m >= 7168 KiB and m × t >= 35840)");
    }
    const work = scrypt.cost * scrypt.blockSize;
    if (work < 2 ** 16 || work * scrypt.parallelization < 655_360) {
      fail("scrypt", "is under OWASP's minimum (N × r >= 2^16 and N × r × p >= 655360)");
    }
  }

  /** The password's bytes, or why it is refused. Cheap checks first: a 1 MB password costs nothing. */
  const prepare = (password: string): Result<Uint8Array, PasswordInputError> => {
    if (typeof password !== "string") throw new TypeError("PasswordHasher: the password must be a string");
    if (password.length === 0) return err(new PasswordEmpty());
    if (password.length > UNITS_PER_BYTE_BOUND * maxPasswordBytes) {
      return err(new PasswordTooLong({ maxBytes: maxPasswordBytes }));
    }
    if (LONE_SURROGATE.test(password)) return err(new PasswordNotWellFormed());
    const bytes = encoder.encode(normalization === "NFC" ? password.normalize("NFC") : password);
    if (bytes.length > maxPasswordBytes) return err(new PasswordTooLong({ maxBytes: maxPasswordBytes }));
    return ok(bytes);
  };

  const writes = (backends: PasswordBackends): PasswordAlgorithm =>
    algorithm !== "best" ? algorithm : backends.argon2id.name === "@noble/hashes" ? "scrypt" : "argon2id";

  const check = async (stored: Phc, password: Uint8Array): Promise<Result<boolean, PasswordError>> => {
    const backends = await load();
    try {
      return ok(
        stored.algorithm === "argon2id"
          ? await backends.argon2id.verify(password, stored)
          : await backends.scrypt.verify(password, stored),
      );
    } catch (cause) {
      return err(new PasswordHashingFailed({ cause }));
    } finally {
      password.fill(0);
    }
  };

  let dummy: Promise<Phc> | undefined;
  /** A stored hash no password matches (random salt and output) at the current costs, made once. */
  const dummyHash = (): Promise<Phc> => {
    dummy ??= load().then((backends): Phc => {
      const salt = crypto.getRandomValues(new Uint8Array(MIN_SALT_BYTES));
      const hash = crypto.getRandomValues(new Uint8Array(MIN_HASH_BYTES));
      return writes(backends) === "argon2id"
        ? { algorithm: "argon2id", ...argon2id, salt, hash }
        : { algorithm: "scrypt", ...scrypt, salt, hash };
    });
    return dummy;
  };

  const verify = async (phc: string, password: string): Promise<Result<boolean, PasswordError>> => {
    const bytes = prepare(password);
    if (bytes.isErr()) return err(bytes.error);
    const stored = parsePhc(phc, limits);
    if (stored.isErr()) return err(stored.error);
    return check(stored.value, bytes.value);
  };

  const current = (stored: Phc): boolean => {
    if (stored.salt.length < MIN_SALT_BYTES || stored.hash.length < MIN_HASH_BYTES) return false;
    if (stored.algorithm === "argon2id") {
      return (
        algorithm !== "scrypt" &&
        stored.memoryCost === argon2id.memoryCost &&
        stored.timeCost === argon2id.timeCost &&
        stored.parallelism === argon2id.parallelism
      );
    }
    return (
      algorithm !== "argon2id" &&
      stored.cost === scrypt.cost &&
      stored.blockSize === scrypt.blockSize &&
      stored.parallelization === scrypt.parallelization
    );
  };

  return {
    async hash(password) {
      const bytes = prepare(password);
      if (bytes.isErr()) return err(bytes.error);
      const backends = await load();
      try {
        const stored =
          writes(backends) === "argon2id"
            ? await backends.argon2id.hash(bytes.value, argon2id)
            : await backends.scrypt.hash(bytes.value, scrypt);
        return ok(serializePhc(stored));
      } catch (cause) {
        return err(new PasswordHashingFailed({ cause }));
      } finally {
        bytes.value.fill(0);
      }
    },
    verify,
    async verifyUser(phc, password) {
      if (phc !== undefined && phc !== null) return verify(phc, password);
      const bytes = prepare(password);
      if (bytes.isErr()) return err(bytes.error);
      const spent = await check(await dummyHash(), bytes.value);
      return spent.isErr() ? spent : ok(false);
    },
    needsRehash(phc) {
      const stored = parsePhc(phc, limits);
      return stored.isErr() || !current(stored.value);
    },
    async backends() {
      const backends = await load();
      return {
        algorithm: writes(backends),
        argon2id: backends.argon2id.name,
        scrypt: backends.scrypt.name,
        argon2idRunsOn: backends.argon2id.runsOn,
        scryptRunsOn: backends.scrypt.runsOn,
      };
    },
  };
}
