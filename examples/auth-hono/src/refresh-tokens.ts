/**
 * Refresh tokens: opaque random strings, stored server-side only as their SHA-256, rotated on every use.
 * Each login starts a family; a refresh token used twice means it was stolen (the thief or the user used
 * it first), so the whole family is revoked and both must log in again (OAuth 2.0 Security BCP, 4.14).
 */

/** What a presented refresh token turned out to be. */
export type RefreshOutcome =
  | { readonly kind: "rotated"; readonly userId: string; readonly token: string }
  | { readonly kind: "reused" }
  | { readonly kind: "unknown" };

interface Record {
  readonly userId: string;
  readonly family: string;
  readonly expiresAt: number;
  used: boolean;
}

const LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

const digest = async (token: string): Promise<string> =>
  toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));

/** In memory (per process, or per isolate on Workers): a real service keeps these in its database. */
export class RefreshTokens {
  readonly #records = new Map<string, Record>();
  readonly #revokedFamilies = new Set<string>();

  /** The seconds a refresh token lives, for the cookie's Max-Age. */
  readonly maxAgeSec: number = LIFETIME_MS / 1000;

  /** A new family's first token, at login. */
  async issue(userId: string, family: string = crypto.randomUUID()): Promise<string> {
    const token = toHex(crypto.getRandomValues(new Uint8Array(32)));
    this.#records.set(await digest(token), {
      userId,
      family,
      expiresAt: Date.now() + LIFETIME_MS,
      used: false,
    });
    return token;
  }

  /** Exchanges `token` for the next one of its family, or says why not (revoking the family on reuse). */
  async rotate(token: string): Promise<RefreshOutcome> {
    const record = this.#records.get(await digest(token));
    if (record === undefined || record.expiresAt <= Date.now() || this.#revokedFamilies.has(record.family)) {
      return { kind: "unknown" };
    }
    if (record.used) {
      this.#revokedFamilies.add(record.family);
      return { kind: "reused" };
    }
    record.used = true;
    return { kind: "rotated", userId: record.userId, token: await this.issue(record.userId, record.family) };
  }

  /** Logout: the family of `token` can no longer refresh. */
  async revoke(token: string): Promise<void> {
    const record = this.#records.get(await digest(token));
    if (record !== undefined) this.#revokedFamilies.add(record.family);
  }
}
