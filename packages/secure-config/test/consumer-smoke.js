// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// flag-free workerd. It imports the public specifier only, exercises the main features, and throws on failure.
import {
  ConfigError,
  loadConfig,
  loadConfigOrThrow,
  parseDotenv,
  port,
  redact,
  secret,
  url,
} from "@keel/secure-config";

export default async function smoke() {
  const spec = { PORT: port({ default: 3000 }), UPSTREAM: url(), TOKEN: secret() };
  const config = loadConfigOrThrow(spec, {
    source: { UPSTREAM: "https://api.example.com", TOKEN: "tok-9f8e7d" },
  });
  if (config.PORT !== 3000 || config.TOKEN.reveal() !== "tok-9f8e7d") throw new Error("loadConfig failed");
  if (JSON.stringify(config).includes("tok-9f8e7d") || `${config.TOKEN}` !== "[redacted]")
    throw new Error("secret leaked");

  const bad = loadConfig(spec, { source: { PORT: "x", TOKEN: "tok-9f8e7d" } });
  if (!bad.isErr() || !(bad.error instanceof ConfigError) || bad.error.issues.length !== 2)
    throw new Error("ConfigError");
  if (bad.error.message.includes("tok-9f8e7d")) throw new Error("ConfigError leaked a value");

  if (JSON.stringify(redact({ password: "p", a: 1 })) !== '{"password":"[redacted]","a":1}')
    throw new Error("redact");
  if (
    JSON.stringify(redact({ headers: new Headers({ authorization: "b", accept: "x" }) })) !==
    '{"headers":{"accept":"x","authorization":"[redacted]"}}'
  )
    throw new Error("redact Headers");
  if (parseDotenv("A=1").unwrapOr({}).A !== "1") throw new Error("parseDotenv");
  return "ok";
}
