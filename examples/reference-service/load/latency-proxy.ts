/**
 * The load's network: `node load/latency-proxy.ts <delay ms> <url>...` starts, for each `postgres://` or
 * `redis://` URL, a proxy that delays every chunk by the delay each way, and prints the proxied URLs as one
 * JSON line. It runs in its own process so that the busy load generator does not delay its timers further.
 * It stops on SIGTERM.
 */
import { startLatencyProxy } from "@keel/testing/latency-proxy";

const [delayText = "", ...urls] = process.argv.slice(2);
const delayMs = Number(delayText);
if (!Number.isFinite(delayMs) || delayMs < 0 || urls.length === 0) {
  throw new TypeError("usage: node load/latency-proxy.ts <delay ms> <url>...");
}
const proxies = await Promise.all(
  urls.map((url) => {
    const target = new URL(url);
    return startLatencyProxy({
      target: {
        host: target.hostname,
        port: Number(target.port || (target.protocol === "redis:" ? 6379 : 5432)),
      },
      delayMs,
      postgres: target.protocol.startsWith("postgres"),
    });
  }),
);
console.log(JSON.stringify(proxies.map((proxy, index) => proxy.via(urls[index] ?? ""))));
process.on(
  "SIGTERM",
  () => void Promise.all(proxies.map((proxy) => proxy.close())).then(() => process.exit(0)),
);
