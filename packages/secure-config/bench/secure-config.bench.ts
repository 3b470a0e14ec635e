// @keel/secure-config against t3-env + Zod and structuredClone, same process. See scripts/lib/bench.ts.

import {
  bool,
  type ConfigSpec,
  createConfigLoader,
  createRedactor,
  type FieldLike,
  int,
  loadConfigOrThrow,
  parseDotenv,
  port,
  redact,
  secret,
  secretUrl,
  string,
  url,
} from "@keel/secure-config";
import { createEnv } from "@t3-oss/env-core";
import * as z from "zod";
import { compare } from "../../../scripts/lib/bench.ts";

// One 50-key service config, declared once as [name, kind, value] and turned into both a Keel spec and the
// Zod shape a t3-env user would write (z.coerce where the value is not text; z.stringbool for booleans).
type Kind = "port" | "url" | "secretUrl" | "string" | "bool" | "int" | "secret";
const variables: readonly (readonly [string, Kind, string])[] = [
  ["PORT", "port", "3000"],
  ["ADMIN_PORT", "port", "3001"],
  ["METRICS_PORT", "port", "9464"],
  ["DB_PORT", "port", "5432"],
  ["REDIS_PORT", "port", "6379"],
  ["SMTP_PORT", "port", "587"],
  ["DATABASE_URL", "secretUrl", "postgres://app@db.internal:5432/app"],
  ["READ_REPLICA_URL", "secretUrl", "postgres://app@replica.internal:5432/app"],
  ["REDIS_URL", "url", "redis://cache.internal:6379/0"],
  ["AMQP_URL", "url", "amqp://mq.internal:5672/"],
  ["PUBLIC_BASE_URL", "url", "https://api.example.com"],
  ["AUTH_ISSUER_URL", "url", "https://auth.example.com/realms/main"],
  ["JWKS_URL", "url", "https://auth.example.com/realms/main/protocol/openid-connect/certs"],
  ["OTEL_EXPORTER_OTLP_ENDPOINT", "url", "http://otel-collector.internal:4318"],
  ["S3_ENDPOINT", "url", "https://s3.eu-west-1.amazonaws.com"],
  ["WEBHOOK_URL", "url", "https://hooks.example.com/services/T000/B000"],
  ["SERVICE_NAME", "string", "billing-api"],
  ["REGION", "string", "eu-west-1"],
  ["LOG_FORMAT", "string", "json"],
  ["DB_NAME", "string", "billing"],
  ["DB_USER", "string", "billing_app"],
  ["S3_BUCKET", "string", "billing-invoices-prod"],
  ["SMTP_HOST", "string", "smtp.example.com"],
  ["MAIL_FROM", "string", "billing@example.com"],
  ["DEFAULT_CURRENCY", "string", "EUR"],
  ["DEFAULT_LOCALE", "string", "en-GB"],
  ["TIMEZONE", "string", "Europe/London"],
  ["OTEL_SERVICE_NAMESPACE", "string", "payments"],
  ["RELEASE", "string", "2026.11.3+build.418"],
  ["INSTANCE_ID", "string", "billing-api-7d9f8c6b5-x2k4q"],
  ["ENABLE_METRICS", "bool", "true"],
  ["ENABLE_TRACING", "bool", "true"],
  ["ENABLE_SIGNUPS", "bool", "false"],
  ["DB_SSL", "bool", "true"],
  ["SMTP_SECURE", "bool", "false"],
  ["MAINTENANCE_MODE", "bool", "false"],
  ["FEATURE_NEW_INVOICES", "bool", "1"],
  ["PRETTY_LOGS", "bool", "0"],
  ["DB_POOL_MIN", "int", "2"],
  ["DB_POOL_MAX", "int", "20"],
  ["HTTP_TIMEOUT_MS", "int", "10000"],
  ["SHUTDOWN_GRACE_MS", "int", "15000"],
  ["RATE_LIMIT_PER_MINUTE", "int", "600"],
  ["MAX_BODY_BYTES", "int", "1048576"],
  ["WORKER_CONCURRENCY", "int", "8"],
  ["RETRY_ATTEMPTS", "int", "3"],
  ["JWT_SECRET", "secret", "9f3c2b7e4a1d8f6c0b5e2a7d4c9f1e3b8a6d2c5f7e0b4a9d1c3e8f6b2a7d5c0e"],
  ["API_KEY", "secret", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
  ["DB_PASSWORD", "secret", "Zp8#qL2!vR6@tN9$wK4%"],
  ["STRIPE_WEBHOOK_SECRET", "secret", "whsec_5f2e9a1c7b3d8e4f6a0c2b9d7e1f3a5c"],
];

const keelField: Record<Kind, () => FieldLike> = {
  port: () => port(),
  url: () => url(),
  secretUrl: () => secretUrl(),
  string: () => string(),
  bool: () => bool(),
  int: () => int(),
  secret: () => secret(),
};
const spec: ConfigSpec = Object.fromEntries(variables.map(([name, kind]) => [name, keelField[kind]()]));

const zodField = {
  port: () => z.coerce.number().int().min(1).max(65535),
  url: () => z.url(),
  secretUrl: () => z.url(),
  string: () => z.string(),
  bool: () => z.stringbool(),
  int: () => z.coerce.number().int(),
  secret: () => z.string(),
} as const;
const server = Object.fromEntries(variables.map(([name, kind]) => [name, zodField[kind]()]));

// Each side gets its own copy of the variables: t3-env's emptyStringAsUndefined deletes "" keys from its
// source (there are none here), and neither side should read objects the other one warmed up.
const sourceOf = (): Record<string, string> =>
  Object.fromEntries(variables.map(([name, , value]) => [name, value]));
const t3Source = sourceOf();
const keelSource = sourceOf();

compare({
  name: "load and validate a 50-key config",
  anchor: {
    label: "@t3-oss/env-core createEnv() + Zod",
    run: () => createEnv({ server, runtimeEnv: t3Source, emptyStringAsUndefined: true }),
  },
  keel: {
    label: "loadConfigOrThrow(spec, { source })",
    run: () => loadConfigOrThrow(spec, { source: keelSource }),
  },
});

// Workers: the same env binding object arrives with every request of an isolate, so createConfigLoader
// validates it once and answers from its WeakMap after that. The anchor is that first validation: a fresh
// binding object (a copy) each call.
const binding = sourceOf();
const firstLoad = createConfigLoader(spec);
const cachedLoad = createConfigLoader(spec);
cachedLoad(binding);

compare({
  name: "Workers: config for a request's env binding",
  anchor: { label: "first validation: load({ ...env })", run: () => firstLoad({ ...binding }) },
  keel: { label: "cached: load(env), same env", run: () => cachedLoad(binding) },
});

// A request log entry as a service writes it: about 30 fields, nested, with headers, a body and a
// credential or two for redact() to replace. Plain data, so structuredClone copies all of it.
const logEntry = {
  level: "info",
  time: "2026-11-25T10:42:17.311Z",
  msg: "request completed",
  service: "billing-api",
  requestId: "01JD8X9K4M2N6P8Q0R2S4T6V8W",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  req: {
    method: "POST",
    url: "/v1/invoices?customer=cus_9s6XKzkNRiz8i3",
    remoteAddress: "10.0.12.34",
    headers: {
      host: "api.example.com",
      "user-agent": "billing-cli/2.4.1 (linux; x64)",
      accept: "application/json",
      "content-type": "application/json",
      "content-length": "182",
      authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1XzQyIn0.c2lnbmF0dXJl",
      cookie: "session=8f14e45fceea167a5a36dedd4bea2543; theme=dark",
      "x-forwarded-for": "203.0.113.7",
    },
  },
  body: {
    customerId: "cus_9s6XKzkNRiz8i3",
    currency: "EUR",
    lines: [
      { sku: "plan-pro", quantity: 1, unitAmount: 4900 },
      { sku: "seat", quantity: 12, unitAmount: 900 },
    ],
    paymentMethod: { type: "card", last4: "4242", token: "tok_1NnBqG2eZvKYlo2C" },
  },
  res: { statusCode: 201, headers: { "content-type": "application/json", "content-length": "412" } },
  user: { id: "u_42", email: "ada@example.com", roles: ["admin", "billing"] },
  responseTimeMs: 37.4,
  tags: ["invoices", "write"],
};

compare({
  name: "copy a ~30-field nested log entry",
  anchor: { label: "structuredClone(entry)", run: () => structuredClone(logEntry) },
  keel: { label: "redact(entry)", run: () => redact(logEntry) },
});

// Linear time on hostile input: 1 MB texts that took minutes before (a quadratic regex over a run of spaces,
// an unterminated double quote rescanned line by line). The anchor is Node's own util.parseEnv.
import { parseEnv } from "node:util";

const MB = 1024 * 1024;
const spacesInValue = `KEY=a${" ".repeat(MB)}b\n`;
const unterminatedQuote = `KEY="${"line\n".repeat(MB / 5)}`;

compare({
  name: ".env: 1 MB of spaces inside an unquoted value",
  anchor: { label: "util.parseEnv(text)", run: () => parseEnv(spacesInValue) },
  keel: { label: "parseDotenv(text)", run: () => parseDotenv(spacesInValue) },
});

compare({
  name: ".env: an unterminated double quote over 1 MB of lines",
  anchor: { label: "util.parseEnv(text)", run: () => parseEnv(unterminatedQuote) },
  keel: { label: "parseDotenv(text) (refuses it)", run: () => parseDotenv(unterminatedQuote) },
});

// redact on 1 MB of log data: wide (many keys) and deep (nesting with maxDepth: Infinity).
const wide = Object.fromEntries(
  Array.from({ length: 20_000 }, (_, i) => [`field_${i}`, `value-${i}-padding-text`]),
);
let deepEntry: Record<string, unknown> = { token: "t" };
for (let i = 0; i < 1_000; i++) deepEntry = { next: deepEntry, text: "x".repeat(1_000) };
const redactAnyDepth = createRedactor({ maxDepth: Number.POSITIVE_INFINITY });

compare({
  name: "redact ~1 MB: 20,000 fields",
  anchor: { label: "structuredClone(entry)", run: () => structuredClone(wide) },
  keel: { label: "redact(entry)", run: () => redact(wide) },
});

compare({
  name: "redact ~1 MB: 1,000 levels deep",
  anchor: { label: "structuredClone(entry)", run: () => structuredClone(deepEntry) },
  keel: { label: "createRedactor({ maxDepth: Infinity })(entry)", run: () => redactAnyDepth(deepEntry) },
});
