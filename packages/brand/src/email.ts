/**
 * An email address brand with a documented normalisation.
 *
 * @module
 */
import { checkSchema, type Refusal, refusalsOf } from "./_internal/check-schema.ts";
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";

// The common "dot-atom" form (RFC 5322 3.2.3) that mail providers accept; quoted local parts and IP
// literals are refused on purpose: they are legal, rare, and a frequent vector for injection bugs. The
// classes are spelt out in ASCII, with no `i` flag: no non-ASCII letter can match one by case folding.
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ldhLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const topLevel = /^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;
// The same domain rules in one expression, for the fast path. Every label ends at a dot, so the repetition
// cannot backtrack across labels (linear time on hostile input).
const domainPattern =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;

const refusals = refusalsOf("Expected an email address", {
  empty: "got an empty string",
  tooLong: "it is longer than 254 characters",
  inner: "it has whitespace or a control character inside",
  nonAscii: "it has a non-ASCII character (internationalised addresses are not supported)",
  noAt: "it has no @",
  quoted: "it has a quoted part or more than one @ (not supported)",
  noLocal: "it has nothing before the @",
  localTooLong: "the part before the @ is longer than 64 characters",
  localDots: "the part before the @ starts or ends with a dot, or has two in a row",
  localChar: "the part before the @ has a character that is not allowed there",
  noDomain: "it has nothing after the @",
  ipLiteral: "its domain is an IP address literal (not supported)",
  oneLabel: "its domain has a single label (like localhost), not two or more",
  emptyLabel: "its domain starts or ends with a dot, or has two in a row",
  label: "a domain label is not 1 to 63 letters, digits and inner hyphens",
  topLevel: "its top-level domain does not start with a letter or is a single character",
});

/** Space, tab, LF, VT, FF, CR: the ASCII characters `String#trim` removes. Nothing else is trimmed. */
function isAsciiWhitespace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function checkDomain(domain: string): Refusal | undefined {
  if (domain.length === 0) return refusals.noDomain;
  if (domain.startsWith("[")) return refusals.ipLiteral;
  const labels = domain.split(".");
  if (labels.length < 2) return refusals.oneLabel;
  if (labels.includes("")) return refusals.emptyLabel;
  const last = labels.length - 1;
  for (let i = 0; i < last; i++) if (!ldhLabel.test(labels[i]!)) return refusals.label;
  if (!ldhLabel.test(labels[last]!)) return refusals.label;
  return topLevel.test(labels[last]!) ? undefined : refusals.topLevel;
}

/** Why `address` (ASCII-trimmed, 1 to 254 characters) is not valid: the slow path, for refusals only. */
function explain(address: string): Refusal {
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return refusals.inner;
    if (code > 0x7f) return refusals.nonAscii;
  }
  const at = address.lastIndexOf("@");
  if (at === -1) return refusals.noAt;
  if (address.indexOf("@") !== at || address.includes('"')) return refusals.quoted;
  if (at === 0) return refusals.noLocal;
  const local = address.slice(0, at);
  if (local.length > 64) return refusals.localTooLong;
  if (!localPart.test(local)) {
    return local.startsWith(".") || local.endsWith(".") || local.includes("..")
      ? refusals.localDots
      : refusals.localChar;
  }
  return checkDomain(address.slice(at + 1)) ?? refusals.label;
}

// Validate first, normalise after: the address is checked as given, with ASCII-only rules, and only a
// valid one is trimmed and has its domain lower-cased. Lower-casing first would fold non-ASCII letters into
// ASCII ones (KELVIN SIGN U+212A becomes "k"), so two different inputs would be one account.
function checkEmail(input: unknown): string | Refusal {
  if (typeof input !== "string") return refusals.wrongKind(input);
  let start = 0;
  let end = input.length;
  while (start < end && isAsciiWhitespace(input.charCodeAt(start))) start++;
  while (end > start && isAsciiWhitespace(input.charCodeAt(end - 1))) end--;
  if (start === end) return refusals.empty;
  if (end - start > 254) return refusals.tooLong;
  const address = start === 0 && end === input.length ? input : input.slice(start, end);
  const at = address.lastIndexOf("@");
  if (at < 1 || at > 64) return explain(address);
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  // Both expressions are ASCII-only: a non-ASCII, whitespace or control character anywhere fails them.
  if (!localPart.test(local) || !domainPattern.test(domain)) return explain(address);
  const lower = domain.toLowerCase(); // ASCII only, known by now: no character folds into another
  return lower === domain ? address : `${local}@${lower}`;
}

/**
 * An email address.
 *
 * Accepted: a dot-atom local part of up to 64 characters, `@`, a domain of at least two letter-digit-hyphen
 * labels (up to 63 characters each) with a top level that starts with a letter, 254 characters in all.
 * Refused: quoted local parts, IP literals, any non-ASCII character (internationalised addresses), and
 * whitespace or control characters inside. Each refusal says which rule failed, never quoting the address.
 *
 * Normalisation, applied only to an address already found valid: surrounding ASCII whitespace (space, tab,
 * CR, LF, VT, FF) is removed and the domain is lower-cased. Other whitespace (NBSP, U+2028, U+3000, a BOM)
 * is not removed: it is non-ASCII, so the address is refused. The local part keeps its case (RFC 5321
 * lets a server treat it case-sensitively).
 *
 * @example
 * ```ts
 * import { Email } from "@keel/brand";
 * console.assert(Email.parse("  Ada.Lovelace@Example.COM ").unwrapOr("") === "Ada.Lovelace@example.com");
 * console.assert(Email.parse("ada@localhost").isErr());
 * console.assert(Email.parse("ada@\u212Aeel.com").isErr()); // KELVIN SIGN is not a K
 * ```
 */
export const Email: BrandType<"Email", string> = /* @__PURE__ */ defineBrand(
  "Email",
  checkSchema(checkEmail),
);

/** The branded type of `Email` values. */
export type Email = Brand<string, "Email">;
