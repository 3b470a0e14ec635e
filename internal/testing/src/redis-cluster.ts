/**
 * @module
 * A real Redis Cluster for integration tests: three masters and three replicas on free loopback ports,
 * started from the machine's `redis-server` and joined with `redis-cli --cluster create`, or the cluster
 * that `REDIS_CLUSTER_URLS` names. Neither there fails the test loudly, as {@link requireService} does;
 * only `KEEL_SKIP_SERVICES` (naming `redis`, `redis-cluster` or `all`) skips. Also a tiny RESP client,
 * so a test can ask any one node (INFO, SCRIPT FLUSH, CLUSTER NODES) whatever Redis library it tests.
 */
import { access, constants, mkdir, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./example-server.ts";
import { lastLines, mustSucceed, type StartedProcess, startProcess } from "./process.ts";
import { SKIP_VARIABLE } from "./services.ts";

/** The variable naming an existing cluster: its nodes' URLs, comma-separated (one is enough to find it). */
export const CLUSTER_VARIABLE = "REDIS_CLUSTER_URLS";

/** One node of the cluster, as clients reach it. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

/** A master as `CLUSTER NODES` describes it: its id, address and slot ranges (inclusive). */
export interface ClusterMaster extends ClusterNode {
  readonly id: string;
  readonly slots: readonly (readonly [number, number])[];
}

/** A reply of the RESP protocol: an error reply rejects instead. */
export type RespReply = string | number | null | readonly RespReply[];

/** The cluster {@link requireRedisCluster} found or started. */
export interface RedisCluster {
  /** Every node: those this harness started, or those of the cluster `REDIS_CLUSTER_URLS` names. */
  readonly nodes: readonly ClusterNode[];
  /** True when this harness started the nodes, so {@link RedisCluster.crash} may kill one. */
  readonly owned: boolean;
  /** Sends one command to one node and resolves with its reply (rejects on an error reply). */
  command(node: ClusterNode, args: readonly string[], timeoutMs?: number): Promise<RespReply>;
  /** The masters now serving slots, from a node that answers (failed nodes left out). */
  masters(): Promise<ClusterMaster[]>;
  /** Kills a node this harness started with SIGKILL (a crash: no shutdown, no save). */
  crash(node: ClusterNode): Promise<void>;
  /**
   * Resolves once every live node says `cluster_state:ok` and live masters serve all 16384 slots (after a
   * crash: once a replica has taken over); rejects after `timeoutMs`.
   */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stops the nodes this harness started and removes their files (nothing for a named cluster). */
  stop(): Promise<void>;
}

/** What {@link requireRedisCluster} found. */
export type RedisClusterStatus =
  | { readonly skip: false; readonly cluster: RedisCluster }
  | { readonly skip: true; readonly reason: string };

const SLOTS = 16384;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === "" ? undefined : value;
}

const encode = (args: readonly string[]): Uint8Array => {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(""));
};

/** Parses one reply from `buffer` at `at`: the reply and where it ends, or undefined when incomplete. */
function parse(buffer: Buffer, at: number): { value: RespReply | Error; end: number } | undefined {
  const lineEnd = buffer.indexOf("\r\n", at);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[at] as number);
  const line = buffer.toString("utf8", at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new Error(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, end);
        if (item === undefined) return undefined;
        // An error inside an array (EXEC) is kept as its message.
        items.push(item.value instanceof Error ? item.value.message : item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      return { value: new Error(`unexpected RESP reply type ${JSON.stringify(type)}`), end: buffer.length };
  }
}

/**
 * One command to one Redis node over a fresh connection, with no client library.
 *
 * @example
 * ```ts
 * import { redisCommand } from "@keel/testing/redis-cluster";
 * const pong = await redisCommand({ host: "127.0.0.1", port: 6379 }, ["PING"]);
 * console.assert(pong === "PONG");
 * ```
 */
export function redisCommand(
  node: ClusterNode,
  args: readonly string[],
  timeoutMs = 5_000,
): Promise<RespReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: node.host, port: node.port });
    let buffered = Buffer.alloc(0);
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const where = `${node.host}:${node.port}`;
    const timer = setTimeout(
      () => finish(() => reject(new Error(`${where} did not answer ${args[0]} within ${timeoutMs} ms`))),
      timeoutMs,
    );
    socket.once("connect", () => socket.write(encode(args)));
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const reply = parse(buffered, 0);
      if (reply === undefined) return;
      const { value } = reply;
      finish(() =>
        value instanceof Error ? reject(new Error(`${where}: ${value.message}`)) : resolve(value),
      );
    });
    socket.once("error", (error: Error) => finish(() => reject(new Error(`${where}: ${error.message}`))));
  });
}

/** The `field:value` lines of an INFO-style reply. */
function infoFields(reply: RespReply): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of String(reply).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** The live masters with slots, parsed from `CLUSTER NODES`. */
function parseMasters(reply: RespReply): ClusterMaster[] {
  const masters: ClusterMaster[] = [];
  for (const line of String(reply).split("\n")) {
    // <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot> <slot> ...
    const [id, address, flags, , , , , link, ...slots] = line.trim().split(" ");
    if (id === undefined || address === undefined || flags === undefined) continue;
    const flagList = flags.split(",");
    if (!flagList.includes("master") || flagList.includes("fail") || flagList.includes("fail?")) continue;
    if (link !== "connected" || slots.length === 0) continue;
    const hostPort = address.split("@")[0] as string;
    const colon = hostPort.lastIndexOf(":");
    const ranges = slots
      .filter((slot) => !slot.startsWith("[")) // "[slot->-id]": a slot being migrated
      .map((slot) => {
        const [from, to = from] = slot.split("-");
        return [Number(from), Number(to)] as const;
      });
    masters.push({
      id,
      host: hostPort.slice(0, colon),
      port: Number(hostPort.slice(colon + 1)),
      slots: ranges,
    });
  }
  return masters;
}

async function findBinary(name: string): Promise<string | undefined> {
  for (const dir of (env("PATH") ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function parseNodes(value: string): ClusterNode[] {
  return value.split(",").map((entry) => {
    const url = new URL(entry.trim().includes("://") ? entry.trim() : `redis://${entry.trim()}`);
    return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 6379) };
  });
}

/** The cluster as a node sees it: an error message, or undefined when healthy. */
async function healthProblem(nodes: readonly ClusterNode[]): Promise<string | undefined> {
  let answered = 0;
  let lastError = "";
  for (const node of nodes) {
    let info: Map<string, string>;
    try {
      info = infoFields(await redisCommand(node, ["CLUSTER", "INFO"], 2_000));
    } catch (error) {
      lastError = (error as Error).message;
      continue; // a crashed node: the others decide
    }
    answered++;
    if (info.get("cluster_state") !== "ok")
      return `${node.host}:${node.port} says cluster_state:${info.get("cluster_state")}`;
    const replication = infoFields(await redisCommand(node, ["INFO", "replication"], 2_000));
    if (replication.get("role") === "slave" && replication.get("master_link_status") !== "up") {
      return `replica ${node.host}:${node.port} is not in sync with its master yet`;
    }
    const masters = parseMasters(await redisCommand(node, ["CLUSTER", "NODES"], 2_000));
    const served = masters.reduce(
      (sum, master) => sum + master.slots.reduce((n, [a, b]) => n + b - a + 1, 0),
      0,
    );
    if (served !== SLOTS)
      return `${node.host}:${node.port} sees live masters serving ${served} of ${SLOTS} slots`;
  }
  return answered === 0 ? `no node answers CLUSTER INFO (${lastError})` : undefined;
}

function clusterOn(
  nodes: readonly ClusterNode[],
  owned: boolean,
  processes: ReadonlyMap<number, StartedProcess>,
  cleanup: () => Promise<void>,
): RedisCluster {
  const live = () =>
    nodes.filter((node) => {
      const child = processes.get(node.port)?.child;
      return child === undefined || (child.exitCode === null && child.signalCode === null);
    });
  const cluster: RedisCluster = {
    nodes,
    owned,
    command: redisCommand,
    async masters() {
      for (const node of live()) {
        try {
          return parseMasters(await redisCommand(node, ["CLUSTER", "NODES"], 2_000));
        } catch {
          // Try the next node.
        }
      }
      throw new Error("no node of the Redis Cluster answers");
    },
    async crash(node) {
      const started = processes.get(node.port);
      if (started === undefined) {
        throw new Error(
          `${node.host}:${node.port} was not started by this harness (${CLUSTER_VARIABLE}): not killing it`,
        );
      }
      started.child.kill("SIGKILL");
      await started.exited;
    },
    async waitUntilHealthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let problem = await healthProblem(nodes);
      while (problem !== undefined) {
        if (Date.now() > deadline) {
          const logs = [...processes.entries()]
            .map(([port, started]) => `--- redis-server :${port}\n${lastLines(started.output(), 8)}`)
            .join("\n");
          throw new Error(`the Redis Cluster is not healthy after ${timeoutMs} ms: ${problem}\n${logs}`);
        }
        await sleep(100);
        problem = await healthProblem(nodes);
      }
    },
    stop: cleanup,
  };
  return cluster;
}

async function startCluster(redisServer: string, redisCli: string): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "keel-redis-cluster-"));
  const processes = new Map<number, StartedProcess>();
  let stopping: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all([...processes.values()].map((started) => started.stop(2_000)));
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  // freePort() lets the port go before redis-server binds it, so it may hand out the same one twice.
  const taken = new Set<number>();
  const uniquePort = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  try {
    const nodes: ClusterNode[] = [];
    for (let i = 0; i < 6; i++) {
      const port = await uniquePort();
      // The bus port is named, not port + 10000, which may be taken or past 65535.
      const busPort = await uniquePort();
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      const started = startProcess(
        redisServer,
        [
          "--port",
          String(port),
          "--cluster-port",
          String(busPort),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(nodeDir, "nodes.conf"),
          // A crashed master is replaced after about this long: short, so the failover test is quick.
          "--cluster-node-timeout",
          "2000",
          "--appendonly",
          "no",
          "--save",
          "",
          "--dir",
          nodeDir,
        ],
        { cwd: nodeDir },
      );
      processes.set(port, started);
      nodes.push({ host: "127.0.0.1", port });
    }
    for (const node of nodes) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const started = processes.get(node.port) as StartedProcess;
        if (started.child.exitCode !== null) {
          throw new Error(`redis-server on port ${node.port} exited:\n${lastLines(started.output())}`);
        }
        if (await redisCommand(node, ["PING"], 1_000).catch(() => undefined)) break;
        if (Date.now() > deadline) throw new Error(`redis-server on port ${node.port} did not answer PING`);
        await sleep(50);
      }
    }
    await mustSucceed(
      "redis-cli --cluster create",
      redisCli,
      [
        "--cluster",
        "create",
        ...nodes.map((node) => `${node.host}:${node.port}`),
        "--cluster-replicas",
        "1",
        "--cluster-yes",
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
    const cluster = clusterOn(nodes, true, processes, cleanup);
    await cluster.waitUntilHealthy(60_000);
    return cluster;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * A Redis Cluster for an integration test: the one `REDIS_CLUSTER_URLS` names (comma-separated node URLs),
 * or else three masters and three replicas started here on free loopback ports from the machine's
 * `redis-server` and `redis-cli` (Redis 7 or later), healthy before this resolves. Call `stop()` afterwards
 * (it also runs if this process exits). Throws, naming what to install or set, when neither is there,
 * unless `KEEL_SKIP_SERVICES` names `redis`, `redis-cluster` or `all`: then it resolves `{ skip: true }`.
 *
 * @example
 * ```ts
 * import { requireRedisCluster } from "@keel/testing/redis-cluster";
 * const found = await requireRedisCluster();
 * if (!found.skip) {
 *   console.assert((await found.cluster.masters()).length >= 3);
 *   await found.cluster.stop();
 * }
 * ```
 */
export async function requireRedisCluster(): Promise<RedisClusterStatus> {
  const skipList = (env(SKIP_VARIABLE) ?? "").split(",").map((entry) => entry.trim());
  if (["redis", "redis-cluster", "all"].some((name) => skipList.includes(name))) {
    return { skip: true, reason: `${SKIP_VARIABLE}=${env(SKIP_VARIABLE)} skips Redis Cluster tests` };
  }
  const named = env(CLUSTER_VARIABLE);
  if (named !== undefined) {
    const nodes = parseNodes(named);
    const problem = await healthProblem(nodes).catch((error: Error) => error.message);
    if (problem !== undefined) {
      throw new Error(
        `The Redis Cluster named by ${CLUSTER_VARIABLE} is not usable (${problem}). Fix it, or unset ` +
          `${CLUSTER_VARIABLE} to start one from redis-server; to skip these tests on purpose set ` +
          `${SKIP_VARIABLE}=redis (CI never does).`,
      );
    }
    // Every node, not just the named seeds: a test may flush or read each one.
    const all = String(await redisCommand(nodes[0] as ClusterNode, ["CLUSTER", "NODES"]).catch(() => ""))
      .split("\n")
      .filter((line) => line.trim() !== "" && !/\bfail\b|noaddr/.test(line))
      .map((line) => parseNodes(String(line.split(" ")[1]).split("@")[0] as string)[0] as ClusterNode);
    const known = all.length >= nodes.length ? all : nodes;
    return { skip: false, cluster: clusterOn(known, false, new Map(), async () => {}) };
  }
  const redisServer = await findBinary("redis-server");
  const redisCli = await findBinary("redis-cli");
  if (redisServer === undefined || redisCli === undefined) {
    throw new Error(
      `Redis Cluster tests need redis-server and redis-cli (Redis 7 or later) on PATH to start a cluster, ` +
        `and ${redisServer === undefined ? "redis-server" : "redis-cli"} is not there. Install Redis, or set ` +
        `${CLUSTER_VARIABLE} to a cluster's node URLs; to skip these tests on purpose set ` +
        `${SKIP_VARIABLE}=redis (CI never does).`,
    );
  }
  // freePort() releases a port before redis-server binds it: another leg starting its own cluster (or any
  // process) can take it meanwhile. That start is thrown away and tried again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return { skip: false, cluster: await startCluster(redisServer, redisCli) };
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes("Address already in use")) throw error;
    }
  }
}
