// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// flag-free workerd. It imports the public specifiers only, exercises every entry point, and throws on failure.
import { definePrefixedId, Email, UuidV7 } from "@keel/brand";
import { toZod } from "@keel/brand/zod";
import * as z from "zod";

export default async function smoke() {
  const email = Email.parse(" Ada@Example.COM");
  if (!email.isOk() || email.value !== "Ada@example.com") throw new Error("Email.parse failed");
  const refused = Email.parse("nope");
  if (!refused.isErr() || refused.error._tag !== "BrandError") throw new Error("BrandError missing");

  const first = UuidV7.generate();
  const second = UuidV7.generate();
  if (!(UuidV7.is(first) && first < second)) throw new Error("UuidV7 generation failed");

  const UserId = definePrefixedId("UserId", "usr");
  const User = z.object({ id: toZod(UserId), email: toZod(Email) });
  const user = User.parse({ id: UserId.generate(), email: "grace@example.com" });
  if (!UserId.is(user.id)) throw new Error("toZod failed");
  return "ok";
}
