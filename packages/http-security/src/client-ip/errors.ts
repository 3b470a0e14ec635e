/**
 * The errors of the client address: none known, or text that is not an IP address (never repeated).
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ ClientAddressUnknownBase: TaggedErrorClass<"ClientAddressUnknown"> =
    /* @__PURE__ */ TaggedError("ClientAddressUnknown");
const /** @ignore */ IpAddressInvalidBase: TaggedErrorClass<"IpAddressInvalid"> =
    /* @__PURE__ */ TaggedError("IpAddressInvalid");

/**
 * No client address could be found: the runtime gave none (or not an IP address) and no trusted header
 * named one. A deployment problem rather than the client's: it is not in `httpSecurityProblemStatuses`,
 * so a problem mapper answers it as a 500.
 *
 * @example
 * ```ts
 * import { ClientAddressUnknown } from "@keel/http-security";
 * console.assert(new ClientAddressUnknown()._tag === "ClientAddressUnknown");
 * ```
 */
export class ClientAddressUnknown extends ClientAddressUnknownBase {
  constructor() {
    super({ message: "The client address is unknown" });
  }
}

/**
 * Text that is not an IP address in the strict form `ipNetwork` reads (the message does not repeat it).
 *
 * @example
 * ```ts
 * import { IpAddressInvalid } from "@keel/http-security";
 * console.assert(new IpAddressInvalid()._tag === "IpAddressInvalid");
 * ```
 */
export class IpAddressInvalid extends IpAddressInvalidBase {
  constructor() {
    super({ message: "Not an IP address" });
  }
}

/** Every error of the client-address concern. */
export type ClientIpError = ClientAddressUnknown | IpAddressInvalid;
