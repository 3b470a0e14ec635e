import { describe, expect, it } from "vitest";
import { refuseUnknownKeys } from "../../src/_internal/options.ts";

const known = ["origin", "credentials", "maxAge", "allowHeaders"] as const;

describe("refuseUnknownKeys", () => {
  it("accepts known keys and no options", () => {
    expect(() => refuseUnknownKeys("createCors", { origin: [], credentials: true }, known)).not.toThrow();
    expect(() => refuseUnknownKeys("createCors", {}, known)).not.toThrow();
    expect(() => refuseUnknownKeys("createCors", undefined, known)).not.toThrow();
  });

  it.each([
    [{ credentails: true }, "createCors: unknown option credentails (did you mean credentials?)"],
    [{ maxage: 5 }, "createCors: unknown option maxage (did you mean maxAge?)"],
    [{ allowHeader: [] }, "createCors: unknown option allowHeader (did you mean allowHeaders?)"],
    [{ zzzzzz: 1 }, "createCors: unknown option zzzzzz"],
    [{ credentails: undefined }, "createCors: unknown option credentails (did you mean credentials?)"],
    [{ [Symbol("s")]: 1 }, "createCors: unknown option Symbol(s)"],
  ])("refuses %o, naming the key and the nearest known one", (options, message) => {
    expect(() => refuseUnknownKeys("createCors", options, known)).toThrow(new TypeError(message));
  });

  it("names a nested key by its path", () => {
    expect(() =>
      refuseUnknownKeys("createSecureHeaders", { nonse: true }, ["nonce"], "contentSecurityPolicy"),
    ).toThrow(
      new TypeError(
        "createSecureHeaders: unknown option contentSecurityPolicy.nonse (did you mean contentSecurityPolicy.nonce?)",
      ),
    );
  });

  it.each([[null], ["x"], [1], [[]], [[1]]])("refuses options that are not an object: %o", (options) => {
    expect(() => refuseUnknownKeys("createCors", options, known)).toThrow(
      /createCors: options must be an object/,
    );
  });

  it("never quotes a value", () => {
    expect(() => refuseUnknownKeys("createSignedCookies", { key: "s3cret-value" }, ["keys"])).toThrow(
      /^(?!.*s3cret)/,
    );
  });
});
