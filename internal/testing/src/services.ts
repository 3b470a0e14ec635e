/**
 * @module
 * Checks for the real services integration tests need (PostgreSQL, Redis). A missing service fails the
 * test loudly, naming the service and the variable to set; only `KEEL_SKIP_SERVICES` skips, and CI refuses
 * that variable (scripts/test.ts).
 */
import { connect } from "node:net";

/** A service integration tests can need. */
export type ServiceName = "postgres" | "redis";

interface ServiceSpec {
  readonly label: string;
  readonly variable: string;
  readonly defaultUrl: string;
  readonly defaultPort: number;
  /** Bytes that make the server answer, and a check of the answer: proof it is that service, not any port. */
  readonly probe: Uint8Array;
  readonly answers: (reply: Uint8Array) => boolean;
}

// PostgreSQL answers an SSLRequest (length 8, code 80877103) with a single "S" or "N".
const sslRequest = new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const services: Record<ServiceName, ServiceSpec> = {
  postgres: {
    label: "PostgreSQL",
    variable: "DATABASE_URL",
    defaultUrl: "postgres://127.0.0.1:5432/test",
    defaultPort: 5432,
    probe: sslRequest,
    answers: (reply) => reply[0] === 0x53 || reply[0] === 0x4e,
  },
  redis: {
    label: "Redis",
    variable: "REDIS_URL",
    defaultUrl: "redis://127.0.0.1:6379",
    defaultPort: 6379,
    probe: new TextEncoder().encode("PING\r\n"),
    answers: (reply) => new TextDecoder().decode(reply).startsWith("+PONG"),
  },
};

/** The variable that opts out of service-backed tests (comma list of service names, or `all`). */
export const SKIP_VARIABLE = "KEEL_SKIP_SERVICES";

/** What {@link requireService} found. */
export type ServiceStatus =
  | { readonly skip: false; readonly url: string }
  | { readonly skip: true; readonly reason: string };

function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    name
  ];
  return value === "" ? undefined : value;
}

function probe(spec: ServiceSpec, url: URL, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || spec.defaultPort),
    });
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once("connect", () => socket.write(spec.probe));
    socket.once("data", (reply: Uint8Array) =>
      finish(spec.answers(reply) ? undefined : "it answered, but not as expected"),
    );
    socket.once("error", (error: Error) => finish(error.message));
  });
}

/**
 * Makes sure a real service is reachable before integration tests use it. Resolves with its URL; throws an
 * error naming the service and the variable to set when it is not reachable, unless `KEEL_SKIP_SERVICES`
 * names it (then it resolves `{ skip: true }` so the caller can skip, saying why).
 *
 * @example
 * ```ts
 * import { requireService } from "@keel/testing/services";
 * const redis = await requireService("redis");
 * if (!redis.skip) console.log(redis.url); // "redis://127.0.0.1:6379"
 * ```
 */
export async function requireService(name: ServiceName, timeoutMs = 2000): Promise<ServiceStatus> {
  const spec = services[name];
  const skipList = (env(SKIP_VARIABLE) ?? "").split(",").map((entry) => entry.trim());
  if (skipList.includes(name) || skipList.includes("all")) {
    return { skip: true, reason: `${SKIP_VARIABLE}=${env(SKIP_VARIABLE)} skips ${spec.label} tests` };
  }
  const url = env(spec.variable) ?? spec.defaultUrl;
  const problem = await probe(spec, new URL(url), timeoutMs);
  if (problem !== undefined) {
    throw new Error(
      `${spec.label} is not reachable at ${new URL(url).host} (${problem}). Start it, or set ${spec.variable} ` +
        `to one that is; to skip these tests on purpose set ${SKIP_VARIABLE}=${name} (CI never does).`,
    );
  }
  return { skip: false, url };
}
