/**
 * @module
 * An email address brand with a documented normalisation.
 */
import type { Brand } from "./brand.ts";
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

// The common "dot-atom" form (RFC 5322 3.2.3) that mail providers accept; quoted local parts and IP
// literals are refused on purpose: they are legal, rare, and a frequent vector for injection bugs.
const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
// Letter-digit-hyphen labels of up to 63 characters, then a top level that starts with a letter. Every label
// ends at a dot, so the repetition cannot backtrack across labels (linear time on hostile input).
const domainPattern = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])$/;

function normaliseEmail(input: unknown): string | undefined {
  if (typeof input !== "string" || input.length > 320) return undefined;
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 1 || trimmed.length > 254) return undefined;
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (local.length > 64 || !localPart.test(local) || !domainPattern.test(domain)) return undefined;
  return `${local}@${domain}`;
}

/**
 * An email address. Normalisation: surrounding whitespace is trimmed and the domain is lower-cased; the
 * local part keeps its case (RFC 5321 lets a server treat it case-sensitively). Accepted: dot-atom local
 * parts up to 64 characters, a domain of at least two LDH labels with a non-numeric top level, 254
 * characters in all. Refused: quoted local parts, IP literals, internationalised (non-ASCII) addresses.
 *
 * @example
 * ```ts
 * import { Email } from "@keel/brand";
 * console.assert(Email.parse("  Ada.Lovelace@Example.COM ")._unsafeUnwrap() === "Ada.Lovelace@example.com");
 * console.assert(Email.parse("ada@localhost").isErr());
 * ```
 */
export const Email: BrandType<"Email", string> = defineBrand(
  "Email",
  simpleSchema("Expected an email address", normaliseEmail),
);

/** The branded type of `Email` values. */
export type Email = Brand<string, "Email">;
