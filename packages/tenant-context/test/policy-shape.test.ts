import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pinningPattern, pinsTenant } from "../src/_internal/policy-shape.ts";

const pattern = pinningPattern("tenant_id", "app.tenant_id");
const read = "current_setting('app.tenant_id'::text, true)";
// As PostgreSQL prints policies back (pg_get_expr), from test/rls-check-pg.test.ts's tables.
const pinned = [
  `(tenant_id = NULLIF(${read}, ''::text))`,
  `(tenant_id = (NULLIF(${read}, ''::text))::uuid)`,
  `(tenant_id = (NULLIF(${read}, ''::text))::bigint)`,
  "(tenant_id = current_setting('app.tenant_id'::text))",
  `(${read} = tenant_id)`,
  `((tenant_id = ${read}) AND (deleted = false))`,
  `((note = 'x AND y'::text) AND ("tenant_id" = ${read}))`,
];
const leaking = [
  `(tenant_id = COALESCE(NULLIF(${read}, ''::text), tenant_id))`,
  `(tenant_id = ANY (ARRAY[${read}, 'globex'::text]))`,
  `((tenant_id = ${read}) IS NOT FALSE)`,
  `((tenant_id = ${read}) OR (${read} IS NULL))`,
  `(((tenant_id = ${read}) AND true) OR true)`,
  `(tenant_id = current_setting('app.other'::text, true))`,
  `(other_id = ${read})`,
  `(tenant_id = lower(${read}))`,
  `((tenant_id = ${read}) AND (set_config('app.tenant_id'::text, 'globex'::text, true) IS NOT NULL))`,
  `(tenant_id = ${read}`,
  "true",
];

describe("the policy shapes the self-check accepts", () => {
  it.each(pinned)("accepts %s", (expression) => {
    expect(pinsTenant(expression, pattern)).toBe(true);
  });

  it.each(leaking)("refuses %s", (expression) => {
    expect(pinsTenant(expression, pattern)).toBe(false);
  });

  it("refuses any pinned expression OR-ed with anything, and never throws on any text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...pinned), fc.string(), (expression, other) => {
        expect(pinsTenant(`(${expression} OR (${other}))`, pattern)).toBe(false);
        expect(typeof pinsTenant(other, pattern)).toBe("boolean");
      }),
    );
  });
});
