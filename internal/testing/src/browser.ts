/**
 * @module
 * A headless Chromium for the browser tests, found without any install step outside `npm ci`: the browser
 * named by `CHROMIUM_PATH`, else a system Chromium or Chrome, else the one `@sparticuz/chromium` carries in
 * its npm tarball (Linux x64), unpacked on first use. On Linux arm64, macOS or Windows without a system
 * Chromium, set `CHROMIUM_PATH`; the error says so.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Browser, chromium } from "playwright-core";

export type { Browser } from "playwright-core";

const systemBrowsers = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/**
 * Launches headless Chromium. The flags are a short list of our own: `@sparticuz/chromium`'s defaults
 * include `--disable-web-security`, which would switch off the same-origin policy these tests rely on.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = await findChromium();
  const hostRules = Object.entries(options.hosts ?? {}).map(([name, address]) => `MAP ${name} ${address}`);
  return chromium.launch({
    executablePath,
    args: [
      // --no-sandbox: tests run as root in CI, where Chromium's sandbox cannot start; the pages are our own.
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      ...(hostRules.length > 0 ? [`--host-resolver-rules=${hostRules.join(", ")}`] : []),
    ],
  });
}

/** Options for {@link launchChromium}. */
export interface LaunchOptions {
  /**
   * Host names the browser resolves to the given addresses, e.g. `{ "app.test": "127.0.0.1" }`: a page served
   * on loopback under another name. Over plain HTTP such a name is not a secure context, so Chromium sends no
   * `Sec-Fetch-*` headers there, as an old browser would not.
   */
  readonly hosts?: Readonly<Record<string, string>>;
}

async function findChromium(): Promise<string> {
  const named = process.env.CHROMIUM_PATH;
  if (named !== undefined && named !== "") {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist`);
    return named;
  }
  const system = systemBrowsers.find((path) => existsSync(path));
  if (system !== undefined) return system;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `No Chromium found: the one from npm (@sparticuz/chromium) is Linux x64 only; on ${process.platform} ${process.arch} ` +
        "install Chrome or Chromium and set CHROMIUM_PATH to its executable",
    );
  }
  return unpackNpmChromium();
}

/**
 * `@sparticuz/chromium` unpacks to `<tmpdir>/chromium` and trusts any file there. Two test processes may
 * unpack at once, and a killed one leaves half a file, so unpacking holds a lock directory and marks a
 * finished unpack; an unmarked binary is removed and unpacked again.
 */
async function unpackNpmChromium(): Promise<string> {
  const lock = join(tmpdir(), "keel-chromium.lock");
  const done = join(tmpdir(), "keel-chromium.unpacked");
  const binary = join(tmpdir(), "chromium");
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // 120 s is far more than an unpack takes (about 3 s): a lock that old was left by a killed process.
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    if (existsSync(done) && existsSync(binary)) return binary;
    rmSync(binary, { force: true });
    const { default: npmChromium } = await import("@sparticuz/chromium");
    const path = await npmChromium.executablePath();
    writeFileSync(done, path);
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
