import { runtime } from "@keel/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSecret, Secret } from "../src/index.ts";

const value = "sk_live_6x9Q2rT8vLmN4pW7";

async function inspectors(secret: Secret): Promise<string[]> {
  const outputs: string[] = [];
  const deno = (globalThis as { Deno?: { inspect(value: unknown): string } }).Deno;
  if (deno !== undefined) outputs.push(deno.inspect(secret), deno.inspect({ nested: { secret } }));
  if (runtime !== "workerd" || (globalThis as { process?: unknown }).process !== undefined) {
    const { inspect } = await import("node:util");
    outputs.push(inspect(secret), inspect({ nested: [secret] }, { depth: 10, showHidden: true }));
  }
  return outputs;
}

describe("Secret", () => {
  it("reveals its value only through reveal()", () => {
    expect(new Secret(value).reveal()).toBe(value);
  });

  it("prints [redacted] through String, template literals, concatenation and JSON", () => {
    const secret = new Secret(value);
    const outputs = [
      String(secret),
      `${secret}`,
      `x${secret}`,
      JSON.stringify({ secret }),
      JSON.stringify([secret]),
    ];
    for (const output of outputs) {
      expect(output).not.toContain(value);
      expect(output).toContain("[redacted]");
    }
  });

  it("shows nothing to Object.keys, spread, entries, structuredClone or property enumeration", () => {
    const secret = new Secret(value);
    expect(Object.keys(secret)).toEqual([]);
    expect(Object.getOwnPropertyNames(secret)).toEqual([]);
    expect(Object.getOwnPropertySymbols(secret)).toEqual([]);
    expect({ ...secret }).toEqual({});
    expect(JSON.stringify(structuredClone({ secret }))).not.toContain(value);
    const found: string[] = [];
    for (const key in secret) found.push(key);
    expect(found).toEqual([]);
    expect(Object.isFrozen(secret)).toBe(true);
  });

  const hasInspector =
    (globalThis as { Deno?: unknown }).Deno !== undefined ||
    runtime !== "workerd" ||
    (globalThis as { process?: unknown }).process !== undefined;
  it.skipIf(!hasInspector)(
    "prints Secret([redacted]) in util.inspect / console.log (Node, Bun, workerd with nodejs_compat) and Deno.inspect (skipped on workerd without nodejs_compat: it has no inspector)",
    async () => {
      const outputs = await inspectors(new Secret(value));
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) {
        expect(output).not.toContain(value);
        expect(output).toContain("[redacted]");
      }
    },
  );

  it("prints the same whatever the value, so no printer can leak it (fast-check)", async () => {
    const print = async (secret: Secret) => [
      String(secret),
      JSON.stringify({ secret }),
      ...(await inspectors(secret)),
    ];
    const reference = await print(new Secret("placeholder"));
    await fc.assert(
      fc.asyncProperty(fc.string(), async (raw) => {
        expect(await print(new Secret(raw))).toEqual(reference);
      }),
      { numRuns: 1000 },
    );
  });

  it("isSecret() tells secrets apart", () => {
    expect(isSecret(new Secret(1))).toBe(true);
    expect(isSecret({ reveal: () => "x" })).toBe(false);
  });
});
