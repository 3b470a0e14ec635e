/**
 * PHC strings (https://github.com/P-H-C/phc-string-format) for the two algorithms the password hasher
 * reads: `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (the reference implementation, node-argon2, Bun, passlib)
 * and `$scrypt$ln=…,r=…,p=…$salt$hash` (passlib). Strict: decimal numbers without sign or leading zeros,
 * each parameter once and no other (in any order: node-argon2 writes `m,p,t`), standard base64 without
 * padding and with zero trailing bits. `serializePhc` writes the canonical order (`m,t,p`; `ln,r,p`), so
 * `serializePhc(parsePhc(s))` is `s` for every accepted `s` in that order. The costs of a
 * stored hash are bounded before anything is allocated: a hostile hash cannot make a verification take
 * gigabytes or minutes. Never throws.
 *
 * @module
 */
import { err, ok, type Result } from "@keel/result";
import { type PasswordHashError, PasswordHashMalformed, PasswordHashUnsupported } from "./errors.ts";

/** A parsed Argon2id hash (version 0x13). */
export interface Argon2idPhc {
  readonly algorithm: "argon2id";
  /** `m`: memory in KiB. */
  readonly memoryCost: number;
  /** `t`: passes over the memory. */
  readonly timeCost: number;
  /** `p`: lanes. */
  readonly parallelism: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** A parsed scrypt hash. */
export interface ScryptPhc {
  readonly algorithm: "scrypt";
  /** `N` (the string holds `ln`, its base-2 logarithm). */
  readonly cost: number;
  /** `r`. */
  readonly blockSize: number;
  /** `p`. */
  readonly parallelization: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

export type Phc = Argon2idPhc | ScryptPhc;

/** What a stored hash may cost: memory, and four times that in work (memory × passes). */
export interface PhcLimits {
  readonly maxMemoryKiB: number;
}

/** No PHC string this module accepts is longer (64-byte salt and hash, ten-digit parameters: ~250). */
export const PHC_MAX_LENGTH = 512;
export const SALT_BYTES = { min: 8, max: 64 } as const;
export const HASH_BYTES = { min: 16, max: 64 } as const;
/** Lanes (Argon2 `p`) and scrypt's `p`: the widest of the mainstream defaults is 4; 16 leaves room. */
export const MAX_PARALLELISM = 16;
/** Work allowed per stored hash, as a multiple of the memory limit (memory × passes). */
export const WORK_FACTOR = 4;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = /* @__PURE__ */ (() => {
  const table = new Int16Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) table[ALPHABET.charCodeAt(index)] = index;
  return table;
})();

/** PHC "B64": standard base64, no padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const n = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const n = (bytes[index] ?? 0) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** The bytes of canonical PHC B64 text, or undefined (bad character, bad length, non-zero trailing bits). */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  // The bits left over must be zero, or two texts would decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

const malformed = (reason: string) => err(new PasswordHashMalformed({ reason }));
const unsupported = (reason: string) => err(new PasswordHashUnsupported({ reason }));

const DECIMAL = /^(?:0|[1-9][0-9]{0,9})$/;
const NAME = /^[a-z0-9-]{1,32}$/;
const PARAM = /^[a-z0-9-]{1,32}=[A-Za-z0-9/+.-]{0,64}$/;

/**
 * The values of `names` (in that order) from `m=1,t=2,p=3`, each present once and nothing else, in any
 * order: node-argon2 writes `m=…,p=…,t=…`. A string when it is something else: "malformed" (not PHC
 * parameter syntax, or a bad number) or "unsupported" (well-formed, other parameters).
 */
function readParams(text: string, names: readonly string[]): number[] | "malformed" | "unsupported" {
  const parts = text.split(",");
  if (parts.length > 8) return "malformed";
  const values: (number | undefined)[] = names.map(() => undefined);
  let sameNames = parts.length === names.length;
  for (const part of parts) {
    if (!PARAM.test(part)) return "malformed";
    const equals = part.indexOf("=");
    const index = names.indexOf(part.slice(0, equals));
    if (index < 0 || values[index] !== undefined) {
      sameNames = false;
      continue;
    }
    const value = part.slice(equals + 1);
    if (!DECIMAL.test(value)) return "malformed";
    values[index] = Number(value);
  }
  return sameNames ? (values as number[]) : "unsupported";
}

function readBytes(
  salt: string,
  hash: string,
): Result<{ salt: Uint8Array; hash: Uint8Array }, PasswordHashError> {
  const saltBytes = decodeBase64(salt);
  const hashBytes = decodeBase64(hash);
  if (saltBytes === undefined) return malformed("the salt is not canonical base64 without padding");
  if (hashBytes === undefined) return malformed("the hash is not canonical base64 without padding");
  if (saltBytes.length < SALT_BYTES.min || saltBytes.length > SALT_BYTES.max) {
    return unsupported(`the salt must be ${SALT_BYTES.min} to ${SALT_BYTES.max} bytes`);
  }
  if (hashBytes.length < HASH_BYTES.min || hashBytes.length > HASH_BYTES.max) {
    return unsupported(`the hash must be ${HASH_BYTES.min} to ${HASH_BYTES.max} bytes`);
  }
  return ok({ salt: saltBytes, hash: hashBytes });
}

/** Why Argon2id costs are invalid ("malformed") or beyond `limits` ("unsupported"); undefined if fine. */
export function argon2idCostProblem(
  cost: { memoryCost: number; timeCost: number; parallelism: number },
  limits: PhcLimits,
): { kind: "malformed" | "unsupported"; reason: string } | undefined {
  const { memoryCost: m, timeCost: t, parallelism: p } = cost;
  if (p < 1 || t < 1 || m < 8 * p) {
    return { kind: "malformed", reason: "Argon2 needs p >= 1, t >= 1 and m >= 8p" };
  }
  if (p > MAX_PARALLELISM) return { kind: "unsupported", reason: `p is over ${MAX_PARALLELISM}` };
  if (m > limits.maxMemoryKiB) return { kind: "unsupported", reason: "m is over maxMemoryKiB" };
  if (m * t > WORK_FACTOR * limits.maxMemoryKiB) {
    return { kind: "unsupported", reason: `m × t is over ${WORK_FACTOR} × maxMemoryKiB` };
  }
  return undefined;
}

/** Why scrypt costs are invalid ("malformed") or beyond `limits` ("unsupported"); undefined if fine. */
export function scryptCostProblem(
  cost: { cost: number; blockSize: number; parallelization: number },
  limits: PhcLimits,
): { kind: "malformed" | "unsupported"; reason: string } | undefined {
  const { cost: n, blockSize: r, parallelization: p } = cost;
  if (n < 2 || !Number.isInteger(Math.log2(n)) || r < 1 || p < 1 || r * p >= 2 ** 30) {
    return { kind: "malformed", reason: "scrypt needs N a power of 2 over 1, r >= 1, p >= 1, r × p < 2^30" };
  }
  if (p > MAX_PARALLELISM) return { kind: "unsupported", reason: `p is over ${MAX_PARALLELISM}` };
  const memoryKiB = (128 * n * r) / 1024;
  if (memoryKiB > limits.maxMemoryKiB) {
    return { kind: "unsupported", reason: "128 × N × r bytes is over maxMemoryKiB" };
  }
  if (memoryKiB * p > WORK_FACTOR * limits.maxMemoryKiB) {
    return { kind: "unsupported", reason: `128 × N × r × p bytes is over ${WORK_FACTOR} × maxMemoryKiB` };
  }
  return undefined;
}

function parseArgon2id(fields: readonly string[], limits: PhcLimits): Result<Phc, PasswordHashError> {
  // $argon2id$v=19$m=…,t=…,p=…$salt$hash
  if (fields.length === 5 && fields[2]?.startsWith("m=")) {
    return unsupported("Argon2 version 0x10 (no v=) is not supported: only v=19");
  }
  if (fields.length !== 6) return malformed("argon2id needs $argon2id$v=19$m=…,t=…,p=…$salt$hash");
  const version = fields[2] ?? "";
  if (version !== "v=19") {
    return /^v=(?:0|[1-9][0-9]{0,9})$/.test(version)
      ? unsupported("only Argon2 version 19 (0x13) is supported")
      : malformed("the version is not v=<number>");
  }
  const params = readParams(fields[3] ?? "", ["m", "t", "p"]);
  if (params === "malformed") return malformed("the parameters are not name=value pairs");
  if (params === "unsupported") return unsupported("argon2id parameters other than m, t and p, once each");
  const [memoryCost = 0, timeCost = 0, parallelism = 0] = params;
  const problem = argon2idCostProblem({ memoryCost, timeCost, parallelism }, limits);
  if (problem !== undefined) {
    return problem.kind === "malformed" ? malformed(problem.reason) : unsupported(problem.reason);
  }
  return readBytes(fields[4] ?? "", fields[5] ?? "").map(({ salt, hash }) => ({
    algorithm: "argon2id" as const,
    memoryCost,
    timeCost,
    parallelism,
    salt,
    hash,
  }));
}

function parseScrypt(fields: readonly string[], limits: PhcLimits): Result<Phc, PasswordHashError> {
  // $scrypt$ln=…,r=…,p=…$salt$hash
  if (fields.length !== 5) return malformed("scrypt needs $scrypt$ln=…,r=…,p=…$salt$hash");
  const params = readParams(fields[2] ?? "", ["ln", "r", "p"]);
  if (params === "malformed") return malformed("the parameters are not name=value pairs");
  if (params === "unsupported") return unsupported("scrypt parameters other than ln, r and p, once each");
  const [ln = 0, blockSize = 0, parallelization = 0] = params;
  if (ln < 1 || ln > 63) return malformed("scrypt needs 1 <= ln <= 63");
  const cost = 2 ** ln;
  const problem = scryptCostProblem({ cost, blockSize, parallelization }, limits);
  if (problem !== undefined) {
    return problem.kind === "malformed" ? malformed(problem.reason) : unsupported(problem.reason);
  }
  return readBytes(fields[3] ?? "", fields[4] ?? "").map(({ salt, hash }) => ({
    algorithm: "scrypt" as const,
    cost,
    blockSize,
    parallelization,
    salt,
    hash,
  }));
}

/** Reads a stored PHC string; a tagged error (never a throw) for anything else, whatever its size. */
export function parsePhc(text: unknown, limits: PhcLimits): Result<Phc, PasswordHashError> {
  if (typeof text !== "string") return malformed("not a string");
  if (text.length > PHC_MAX_LENGTH) return malformed(`longer than ${PHC_MAX_LENGTH} characters`);
  if (!text.startsWith("$")) return malformed("not a PHC string");
  const fields = text.split("$");
  const id = fields[1] ?? "";
  if (id === "argon2id") return parseArgon2id(fields, limits);
  if (id === "scrypt") return parseScrypt(fields, limits);
  if (id === "argon2i" || id === "argon2d")
    return unsupported("argon2i and argon2d are not supported: argon2id");
  return NAME.test(id) ? unsupported("algorithm not supported") : malformed("not a PHC string");
}

/** The PHC string of a hash (canonical: what `parsePhc` reads back to the same value). */
export function serializePhc(phc: Phc): string {
  const salt = encodeBase64(phc.salt);
  const hash = encodeBase64(phc.hash);
  if (phc.algorithm === "argon2id") {
    return `$argon2id$v=19$m=${phc.memoryCost},t=${phc.timeCost},p=${phc.parallelism}$${salt}$${hash}`;
  }
  return `$scrypt$ln=${Math.log2(phc.cost)},r=${phc.blockSize},p=${phc.parallelization}$${salt}$${hash}`;
}
