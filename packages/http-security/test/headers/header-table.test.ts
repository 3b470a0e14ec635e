// The README's header table, checked against the real Helmet 8 and Hono secureHeaders() defaults.
import helmet from "helmet";
import { Hono } from "hono";
import { secureHeaders as honoSecureHeaders } from "hono/secure-headers";
import { describe, expect, it } from "vitest";
import { createSecureHeaders } from "../../src/index.ts";

/** What Helmet 8 sets by default, from a response stub with Node's `setHeader`/`removeHeader`. */
function helmetDefaults(): Map<string, string> {
  const headers = new Map<string, string>([["x-powered-by", "Express"]]);
  const response = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  let called = false;
  helmet()({} as never, response as never, () => {
    called = true;
  });
  expect(called).toBe(true);
  return headers;
}

async function honoDefaults(): Promise<Map<string, string>> {
  const app = new Hono().use(honoSecureHeaders()).get("/", (c) => c.text("ok"));
  const response = await app.request("/");
  return new Map([...response.headers].filter(([name]) => name !== "content-type"));
}

const keelDefaults = (): Map<string, string> =>
  new Map(
    createSecureHeaders()
      .entries()
      .map(([name, value]) => [name.toLowerCase(), value]),
  );

// Keel joins CSP directives with "; ", Helmet with ";": the same policy.
const normaliseCsp = (value: string | undefined): string | undefined => value?.replace(/;\s*/g, "; ");

describe("the README's header table", () => {
  it("Keel's defaults are Helmet 8's, plus Permissions-Policy", () => {
    const keel = keelDefaults();
    const fromHelmet = helmetDefaults();
    expect(fromHelmet.has("x-powered-by")).toBe(false);
    expect(normaliseCsp(fromHelmet.get("content-security-policy"))).toBe(keel.get("content-security-policy"));
    fromHelmet.delete("content-security-policy");
    keel.delete("content-security-policy");
    expect(keel.get("permissions-policy")).toBe(
      "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
    );
    keel.delete("permissions-policy");
    expect(Object.fromEntries(keel)).toEqual(Object.fromEntries(fromHelmet));
  });

  it("Hono's differ from Keel's only in HSTS max-age and the CSP and Permissions-Policy it leaves out", async () => {
    const fromHono = await honoDefaults();
    const keel = keelDefaults();
    expect(fromHono.get("strict-transport-security")).toBe("max-age=15552000; includeSubDomains");
    expect(keel.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    for (const name of ["strict-transport-security", "content-security-policy", "permissions-policy"]) {
      expect(fromHono.has(name) && name !== "strict-transport-security").toBe(false);
      fromHono.delete(name);
      keel.delete(name);
    }
    expect(Object.fromEntries(keel)).toEqual(Object.fromEntries(fromHono));
  });
});
