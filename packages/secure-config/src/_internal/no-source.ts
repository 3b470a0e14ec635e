import type { ConfigIssue } from "../config-error.ts";

/** The issue for a runtime without a global environment (Workers) and no `source` given. */
export const noSourceIssue: ConfigIssue = Object.freeze({
  key: "(source)",
  reason: "this runtime has no global environment (Workers?): pass the env binding as `source`",
});
