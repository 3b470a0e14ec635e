/** Crockford base32, lower case: no i, l, o, u, so ids survive being read aloud or retyped. */

/** The 32 digits, in value order. */
export const crockfordAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** 128 bits as 26 base32 digits (two zero bits in front make 130), so string order is numeric order. */
export function crockfordBase32(bytes: Uint8Array): string {
  let text = "";
  let buffer = 0;
  let bits = 2;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += crockfordAlphabet[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return text;
}
