/**
 * @module
 * An email address brand with a documented normalisation.
 */
import { type BrandType, defineBrand } from "./define-brand.ts";
import { simpleSchema } from "./simple-schema.ts";

// The common "dot-atom" form (RFC 5322 3.2.3) that mail providers accept; quoted local parts and IP
// literals are refused on purpose: they are legal, rare, and a frequent vector for injection bugs.
const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const topLevel = /^[a-z][a-z0-9-]*[a-z0-9]$/;

function normaliseEmail(input: unknown): string | undefined {
  if (typeof input !== "string" || input.length > 320) return undefined;
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 1 || trimmed.length > 254) return undefined;
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (local.length > 64 || !localPart.test(local)) return undefined;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => domainLabel.test(label))) return undefined;
  if (!topLevel.test(labels[labels.length - 1]!)) return undefined;
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
