/**
 * The preset's documented set-up answers every error as an RFC 9457 problem carrying the request id: the
 * preset's own refusals, malformed JSON (Hono's validator), an unknown route and a thrown error, with no stack
 * trace printed.
 */
import { createProblemMapper } from "@keel/result";
import { problemOnError, problemOnNotFound } from "@keel/result/hono";
import { Hono } from "hono";
import { validator } from "hono/validator";
import { describe, expect, it, vi } from "vitest";
import { jsonApiSecurity } from "../../src/hono.ts";
import { httpSecurityProblemStatuses } from "../../src/index.ts";

const reported: string[] = [];
const problems = createProblemMapper({
  statuses: httpSecurityProblemStatuses,
  onUnexpected: ({ correlationId }) => reported.push(correlationId),
});
const app = new Hono()
  .use(jsonApiSecurity({ origin: ["https://app.example.com"], problems }))
  .post(
    "/orders",
    validator("json", (value) => value),
    (c) => c.json(c.req.valid("json"), 201),
  )
  .get("/boom", () => {
    throw new Error("database password is hunter2");
  });
app.onError(problemOnError(problems));
app.notFound(problemOnNotFound());

const sameOrigin = { "sec-fetch-site": "same-origin", "content-type": "application/json" };

describe("jsonApiSecurity() with problemOnError and problemOnNotFound", () => {
  it.each<[string, () => Response | Promise<Response>, number]>([
    [
      "a cross-site write",
      () => app.request("/orders", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }),
      403,
    ],
    [
      "malformed JSON",
      () => app.request("/orders", { method: "POST", headers: sameOrigin, body: "{oops" }),
      400,
    ],
    ["an unknown route", () => app.request("/nowhere"), 404],
    [
      "a wrong media type",
      () =>
        app.request("/orders", {
          method: "POST",
          headers: { ...sameOrigin, "content-type": "text/plain" },
          body: "x",
        }),
      415,
    ],
    ["a thrown error", () => app.request("/boom"), 500],
  ])("answers %s with a problem carrying the request id, printing nothing", async (_, send, status) => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.status).toBe(status);
      expect(body.correlationId).toBe(response.headers.get("x-request-id"));
      expect(JSON.stringify(body)).not.toContain("hunter2");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it("reports the unexpected error's correlation id to onUnexpected, the one the client got", async () => {
    const response = await app.request("/boom");
    expect(reported.at(-1)).toBe(response.headers.get("x-request-id"));
  });
});
