// The HS256 issuer both JWT suites sign and verify with.
export const SECRET = "a-secret-of-at-least-32-bytes-for-hs256!";
export const ISS = "https://auth.example";
export const AUD = "api";
