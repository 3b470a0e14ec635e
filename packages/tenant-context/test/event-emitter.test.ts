import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createTenantContext } from "../src/index.ts";

// A file of its own: node:events needs nodejs_compat on Workers, and the rest of the suite runs with only
// nodejs_als (package.json keel.workerdSkipFiles).
const tenants = createTenantContext<{ id: string }>();
const acme = { id: "acme" };
const currentId = () =>
  tenants
    .current()
    .map((tenant) => tenant.id)
    .unwrapOr("none");

describe("createTenantContext() with EventEmitter", () => {
  it("runs an EventEmitter listener registered inside the run in that tenant, when bound", async () => {
    const emitter = new EventEmitter();
    const seen: string[] = [];
    tenants.run(acme, () => {
      emitter.on(
        "bound",
        tenants.bind(() => seen.push(`bound:${currentId()}`)),
      );
      emitter.on("inside", () => seen.push(`inside:${currentId()}`));
    });
    tenants.run(acme, () => emitter.emit("inside"));
    emitter.emit("bound"); // emitted from outside any tenant
    expect(seen).toEqual(["inside:acme", "bound:acme"]);
  });
});
