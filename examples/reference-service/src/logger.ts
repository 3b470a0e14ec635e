/**
 * @module
 * Structured logs: one JSON line per event, passed through `@keel/secure-config`'s `redact` (so a field
 * named like a password, token, secret or cookie never prints its value, nor does a `Secret`), and carrying
 * the tenant and request ids of the current tenant run (`tenants.logFields()`).
 */
import { redact } from "@keel/secure-config";
import { tenants } from "./tenant.ts";

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

// An error becomes its name, message and stack: never its other fields (a driver's `detail` can quote rows).
function describe(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { name: value.name, message: value.message, stack: value.stack };
}

/** A logger writing each line to `write` (standard output by default). */
export function createLogger(write: (line: string) => void = console.log): Logger {
  const line = (level: string, msg: string, fields: LogFields = {}) => {
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg,
      ...tenants.logFields(),
    };
    for (const [key, value] of Object.entries(fields)) entry[key] = describe(value);
    write(JSON.stringify(redact(entry)));
  };
  return {
    info: (msg, fields) => line("info", msg, fields),
    warn: (msg, fields) => line("warn", msg, fields),
    error: (msg, fields) => line("error", msg, fields),
  };
}
