/** 16 bytes as UUID text: 8-4-4-4-12 lower-case hex digits. */
import { hex } from "./hex.ts";

export function uuidText(bytes: Uint8Array): string {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
