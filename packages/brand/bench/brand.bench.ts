// Brand constructors and generators against the raw validator (Zod 4) and crypto.randomUUID, same process.
// See scripts/lib/bench.ts.
import { defineBrand, definePrefixedId, Email, UuidV7 } from "@keel/brand";
import * as z from "zod";
import { compare } from "../../../scripts/lib/bench.ts";

// Every schema and brand is built once at set-up, as a service would. Each side gets its own function
// literal (and each case its own Zod instance), so that neither side runs on JIT feedback the other left.
const validEmail = "ada.lovelace@example.com";
const invalidEmail = "ada.lovelace-at-example.com";
const uuid = "0190b6a4-6f3b-7cc4-8b2e-5e3bd0b1a9f1";

const zodEmailValid = z.email();
compare({
  name: "email, valid input",
  anchor: { label: "z.email().safeParse()", run: () => zodEmailValid.safeParse(validEmail) },
  keel: { label: "Email.parse()", run: () => Email.parse(validEmail) },
});

const zodEmailInvalid = z.email();
compare({
  name: "email, invalid input",
  anchor: { label: "z.email().safeParse()", run: () => zodEmailInvalid.safeParse(invalidEmail) },
  keel: { label: "Email.parse()", run: () => Email.parse(invalidEmail) },
});

const zodEmailGuard = z.email();
compare({
  name: "email type guard, valid input",
  anchor: { label: "z.email().safeParse().success", run: () => zodEmailGuard.safeParse(validEmail).success },
  keel: { label: "Email.is()", run: () => Email.is(validEmail) },
});

const zodUuid = z.uuid();
const UserId = defineBrand("UserId", z.uuid());
compare({
  name: "brand over a Zod schema (z.uuid()), valid input",
  anchor: { label: "z.uuid().safeParse()", run: () => zodUuid.safeParse(uuid) },
  keel: { label: 'defineBrand("UserId", z.uuid()).parse()', run: () => UserId.parse(uuid) },
});

compare({
  name: "generate a UUIDv7",
  anchor: { label: "crypto.randomUUID() (v4)", run: () => crypto.randomUUID() },
  keel: { label: "UuidV7.generate()", run: () => UuidV7.generate() },
});

const OrderId = definePrefixedId("OrderId", "ord");
compare({
  name: "generate a prefixed id",
  anchor: { label: "crypto.randomUUID() (v4)", run: () => crypto.randomUUID() },
  keel: { label: 'definePrefixedId("OrderId", "ord").generate()', run: () => OrderId.generate() },
});
