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
export { DotenvError, parseDotenv } from "./dotenv.ts";
export { type EnvReader, type EnvRecord, runtimeEnv } from "./env-source.ts";
export {
  type Field,
  type FieldFor,
  type FieldLike,
  type FieldOptions,
  type FieldValue,
  field,
  parseWithSchema,
} from "./field.ts";
export {
  type AsyncProvider,
  type Config,
  type ConfigSpec,
  configForBinding,
  type LoadConfigAsyncOptions,
  type LoadConfigOptions,
  loadConfig,
  loadConfigAsync,
  safeLoadConfig,
  safeLoadConfigAsync,
} from "./load-config.ts";
export { createRedactor, defaultSensitiveKeys, type RedactOptions, redact } from "./redact.ts";
export { isSecret, Secret } from "./secret.ts";
export { type SecretOptions, secret } from "./secret-field.ts";
