// The text encodings a generated key arrives in (hex, base64, base64url), for the tests of secret().
type Encode = (bytes: Uint8Array) => string;

const toBase64: Encode = (bytes) => btoa(String.fromCharCode(...bytes));

export const keyEncodings: { readonly hex: Encode; readonly base64: Encode; readonly base64url: Encode } = {
  hex: (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(""),
  base64: toBase64,
  base64url: (bytes) => toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""),
};
