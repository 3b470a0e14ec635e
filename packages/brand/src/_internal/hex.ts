/** Bytes as lower-case hex text. */

let hexByte: readonly string[] | undefined; // built on first use: no work at import

/** Lower-case hex, two digits a byte. */
export function hex(bytes: Uint8Array): string {
  hexByte ??= Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
  let text = "";
  for (const byte of bytes) text += hexByte[byte];
  return text;
}
