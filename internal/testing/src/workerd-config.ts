/**
 * @module
 * The one workerd config template: a single module Worker, either run by `workerd test` (no socket) or served
 * on a loopback port by `workerd serve`. Used by the example harness, the consumer check and the flag-free
 * suite runner.
 */

/** What goes into the config. */
export interface WorkerdConfigOptions {
  /** The bundled ES module, embedded by path relative to the config file. */
  readonly mainModule: string;
  readonly compatibilityDate: string;
  /** The compatibility flags; `[]` is the point of the flag-free checks. */
  readonly compatibilityFlags: readonly string[];
  /** Text bindings on the Worker's `env`. */
  readonly bindings?: Readonly<Record<string, string>>;
  /**
   * Durable Object namespaces on the Worker's `env`: binding name to the class the main module exports
   * (`{ LIMITER: "RateLimiterObject" }`). Their storage is in memory, gone when workerd stops.
   */
  readonly durableObjects?: Readonly<Record<string, string>>;
  /** Serve HTTP on 127.0.0.1:port (for `workerd serve`); omitted for `workerd test`. */
  readonly port?: number;
  /**
   * Networks the Worker's outbound `fetch` and `connect()` may reach, e.g. `["public", "local"]` for an
   * example that talks to the PostgreSQL on this machine. workerd's default is public addresses only.
   */
  readonly allowNetworks?: readonly string[];
}

/**
 * A workerd config in Cap'n Proto text.
 *
 * @example
 * ```ts
 * import { workerdConfig } from "@keel/testing/workerd-config";
 *
 * const config = workerdConfig({ mainModule: "worker.js", compatibilityDate: "2026-08-01", compatibilityFlags: [] });
 * console.assert(config.includes("compatibilityFlags = []"));
 * ```
 */
export function workerdConfig(options: WorkerdConfigOptions): string {
  // JSON string literals are valid Cap'n Proto text literals for the printable values passed here.
  const bindings = Object.entries(options.bindings ?? {}).map(
    ([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`,
  );
  const objects = Object.entries(options.durableObjects ?? {});
  for (const [name, className] of objects) {
    bindings.push(`(name = ${JSON.stringify(name)}, durableObjectNamespace = ${JSON.stringify(className)})`);
  }
  const classes = [...new Set(objects.map(([, className]) => className))];
  const durable =
    classes.length === 0
      ? ""
      : `\n  durableObjectNamespaces = [${classes
          .map(
            (className) =>
              `(className = ${JSON.stringify(className)}, uniqueKey = ${JSON.stringify(`keel-${className}`)})`,
          )
          .join(", ")}],\n  durableObjectStorage = (inMemory = void),`;
  const socket =
    options.port === undefined
      ? ""
      : `\n  sockets = [(name = "http", address = "127.0.0.1:${options.port}", http = (), service = "main")],`;
  const network =
    options.allowNetworks === undefined
      ? ""
      : `, (name = "outbound", network = (allow = ${JSON.stringify(options.allowNetworks)}))`;
  const outbound = options.allowNetworks === undefined ? "" : `\n  globalOutbound = "outbound",`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)${network}],${socket}
);

const worker :Workerd.Worker = (
  modules = [(name = ${JSON.stringify(options.mainModule)}, esModule = embed ${JSON.stringify(options.mainModule)})],
  compatibilityDate = ${JSON.stringify(options.compatibilityDate)},
  compatibilityFlags = ${JSON.stringify(options.compatibilityFlags)},
  bindings = [${bindings.join(", ")}],${outbound}${durable}
);
`;
}
