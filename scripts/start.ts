// Why: `npm start` is a newcomer's first command, so it prints only what they need. It checks the port first
// (a taken port is one line and exit 1, before a build or a database start-up that take seconds), builds the
// packages with turbo's logs captured (one line on success, turbo's error logs on failure), then runs the
// reference service in this process (no child to forward Ctrl-C to), which prints its URL, its OpenAPI URL
// and a curl line to try.
//
//   node scripts/start.ts            (npm start; PORT and HOST as the service reads them)
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { stripVTControlCharacters } from "node:util";
import { binPath, repoRoot } from "./lib/packages.ts";

const DEFAULT_PORT = 3000;
const DEFAULT_HOST = "127.0.0.1";

/**
 * The port and host the service will listen on, or undefined when PORT is not a port number (the service's
 * config check then names PORT, as it does for every bad variable).
 */
function listenAddress(env: NodeJS.ProcessEnv): { port: number; host: string } | undefined {
  const raw = env.PORT?.trim() || String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (port < 1 || port > 65535) return undefined;
  return { port, host: env.HOST?.trim() || DEFAULT_HOST };
}

/** Why the service could not listen on `port` at `host`, in one line; undefined when it could. */
function portProblem(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      switch (error.code) {
        case "EADDRINUSE":
          resolve(
            `Port ${port} is in use on ${host}: stop what listens there, or set PORT (PORT=${port + 1} npm start).`,
          );
          break;
        case "EACCES":
          resolve(
            `Port ${port} needs privileges on this machine: set PORT above 1023 (PORT=3000 npm start).`,
          );
          break;
        case "EADDRNOTAVAIL":
        case "ENOTFOUND":
          resolve(`HOST=${host} is not an address of this machine: leave HOST unset for ${DEFAULT_HOST}.`);
          break;
        default:
          resolve(`Cannot listen on ${host}:${port}: ${error.message}`);
      }
    });
    probe.listen({ port, host }, () => probe.close(() => resolve(undefined)));
  });
}

/** turbo's result: its exit code and everything it printed, stdout and stderr interleaved. */
function runTurboBuild(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(binPath("turbo"), ["run", "build", "--output-logs=errors-only"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", (error) => resolve({ code: null, output: `${output}\n${error.message}\n` }));
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** "5 packages, all cached" from turbo's summary ("Tasks: 5 successful, 5 total", "Cached: 5 cached, 5 total"). */
function buildSummary(output: string): string {
  const text = stripVTControlCharacters(output);
  const total = /Tasks:\s+\d+ successful, (\d+) total/.exec(text)?.[1];
  const cached = /Cached:\s+(\d+) cached/.exec(text)?.[1];
  if (total === undefined || cached === undefined) return "";
  const rebuilt = Number(total) - Number(cached);
  return ` (${total} packages, ${rebuilt === 0 ? "all cached" : `${rebuilt} rebuilt`})`;
}

const address = listenAddress(process.env);
if (address !== undefined) {
  const problem = await portProblem(address.port, address.host);
  if (problem !== undefined) {
    console.error(problem);
    process.exit(1);
  }
}

// The line is finished when turbo is: on a terminal the user sees "build: " while it runs.
process.stdout.write("build: ");
const build = await runTurboBuild();
if (build.code !== 0) {
  process.stdout.write("failed: turbo's logs of the failed tasks follow\n");
  process.stderr.write(build.output);
  process.exit(1);
}
process.stdout.write(`ok${buildSummary(build.output)}\n`);

// A computed specifier: `tsc -p scripts` must not type-check the service under the scripts' settings.
const service = new URL("../examples/reference-service/src/node.ts", import.meta.url);
await import(service.href);
