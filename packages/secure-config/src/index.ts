/**
 * `@keel/secure-config`: configuration and secrets validated once at start-up from any runtime's environment,
 * with one value-free error for everything wrong, secrets that never print, and log redaction.
 *
 * @module
 */
export {
  bool,
  duration,
  type IntOptions,
  int,
  json,
  list,
  oneOf,
  port,
  string,
  type UrlOptions,
  url,
} from "./coercers.ts";
export { ConfigError, type ConfigIssue } from "./config-error.ts";
export { createConfigLoader } from "./config-loader.ts";
export { DotenvError, parseDotenv } from "./dotenv.ts";
export { type EnvReader, type EnvRecord, runtimeEnv } from "./env-source.ts";
export {
  type Field,
  type FieldFor,
  type FieldLike,
  type FieldOptions,
  type FieldValue,
  field,
  type IsOptional,
} from "./field.ts";
export {
  type Config,
  type ConfigSpec,
  type LoadConfigOptions,
  loadConfig,
  loadConfigOrThrow,
} from "./load-config.ts";
export {
  type AsyncProvider,
  type LoadConfigAsyncOptions,
  loadConfigAsync,
  loadConfigAsyncOrThrow,
} from "./load-config-async.ts";
export {
  createRedactor,
  defaultSensitiveKeys,
  type Primitive,
  type Redacted,
  type RedactedValue,
  type RedactOptions,
  type Redactor,
  redact,
} from "./redact.ts";
export { isSecret, Secret } from "./secret.ts";
export { type SecretOptions, type SecretUrlOptions, secret, secretUrl } from "./secret-field.ts";
