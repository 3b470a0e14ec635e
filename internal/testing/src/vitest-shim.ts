/**
 * @module
 * A small vitest-compatible test API for running a package's suites inside a plain Worker in real workerd
 * with **no** compatibility flags (the vitest workerd pool cannot: its runner needs `Buffer` and `process`).
 * `scripts/workerd-suite.ts` bundles a package's `test/*.test.ts` with `vitest` aliased to this module and
 * runs the bundle with `workerd test`. The assertions are vitest's own (`@vitest/expect` on chai, `@vitest/spy`),
 * so `expect(...)` behaves as under vitest; the collector and runner here are deliberately small:
 * `describe`/`it`/`test` with `.each`, `.for`, `.skip`, `.skipIf`, `.runIf`, `.only` (runs like a plain test),
 * `.todo`, `.concurrent` (runs sequentially); the four hooks; `vi.fn`, `vi.spyOn`, `vi.stubGlobal`,
 * `vi.unstubAllGlobals`, `vi.restoreAllMocks`. Anything else throws, naming itself, and fails that test only.
 */
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  chai,
  GLOBAL_EXPECT,
  getState,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from "@vitest/expect";
import { fn, restoreAllMocks, spyOn } from "@vitest/spy";

export { expectTypeOf } from "expect-type";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(ChaiStyleAssertions);
chai.use(JestAsymmetricMatchers);

type AnyFunction = (...args: never[]) => unknown;
type Hook = () => unknown;

interface TestCase {
  readonly kind: "test";
  readonly name: string;
  readonly fn: ((context: TestContext) => unknown) | undefined;
  readonly skip: boolean;
  readonly timeout: number;
}

interface SuiteNode {
  readonly kind: "suite";
  readonly name: string;
  readonly skip: boolean;
  readonly children: (SuiteNode | TestCase)[];
  readonly beforeAll: Hook[];
  readonly afterAll: Hook[];
  readonly beforeEach: Hook[];
  readonly afterEach: Hook[];
}

interface TestContext {
  readonly task: { readonly name: string; readonly meta: Record<string, unknown> };
  readonly expect: typeof expect;
  skip(): never;
  onTestFinished(hook: Hook): void;
}

const newSuite = (name: string, skip: boolean): SuiteNode => ({
  kind: "suite",
  name,
  skip,
  children: [],
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
});

const root = newSuite("", false);
let current = root;

// ---------------------------------------------------------------------------------------------------------
// expect: vitest's, without a current test.

// biome-ignore lint/suspicious/noExplicitAny: chai's expect is untyped here, as in vitest's own createExpect.
export const expect: any = (value: unknown, message?: string) => {
  const { assertionCalls } = getState(expect);
  setState({ assertionCalls: assertionCalls + 1 }, expect);
  return chai.expect(value, message);
};
Object.assign(expect, chai.expect);
Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
expect.getState = () => getState(expect);
expect.setState = (state: object) => setState(state, expect);
setState({ assertionCalls: 0, isExpectingAssertions: false, expectedAssertionsNumber: null }, expect);
// biome-ignore lint/suspicious/noExplicitAny: JestExtend adds chai.expect.extend without types.
expect.extend = (matchers: object) => (chai.expect as any).extend(expect, matchers);
expect.assert = chai.assert;
expect.unreachable = (message?: string) =>
  chai.assert.fail(`expected${message ? ` "${message}" ` : " "}not to be reached`);
(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect;

export const assert: typeof chai.assert = chai.assert;
export const assertType = (_value: unknown): void => {};

// ---------------------------------------------------------------------------------------------------------
// describe / it

/** vitest's title formatting for .each/.for: %s %d %i %f %j %o %%, and $name / $0 for objects. */
function formatTitle(title: string, args: readonly unknown[]): string {
  let index = 0;
  let formatted = title.replace(/%[sdifjoO%]/g, (token) => {
    if (token === "%%") return "%";
    const value = args[index++];
    if (token === "%d" || token === "%i") return String(Math.trunc(Number(value)));
    if (token === "%f") return String(Number(value));
    if (token === "%j" || token === "%o" || token === "%O") return JSON.stringify(value);
    return typeof value === "string"
      ? value
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  });
  const first = args[0];
  if (first !== null && typeof first === "object") {
    formatted = formatted.replace(/\$([\w.]+)/g, (whole, path: string) => {
      const value = path
        .split(".")
        .reduce<unknown>((object, key) => (object as Record<string, unknown>)?.[key], first);
      return value === undefined ? whole : typeof value === "string" ? value : JSON.stringify(value);
    });
  }
  return formatted.replace(/\$(\d+)/g, (whole, at: string) =>
    Number(at) < args.length ? String(args[Number(at)]) : whole,
  );
}

interface Flags {
  readonly skip: boolean;
  readonly todo: boolean;
}

/** The same hang detector as vitest.shared.ts: a test's default budget, not a speed check. */
const defaultTimeout = 60_000;

/** (name, fn), (name, options, fn) or (name, fn, timeout). */
function parseArgs(rest: readonly unknown[]): {
  fn: AnyFunction | undefined;
  timeout: number;
  skip: boolean;
} {
  const [first, second] = rest;
  if (typeof first === "function") {
    return {
      fn: first as AnyFunction,
      timeout: typeof second === "number" ? second : defaultTimeout,
      skip: false,
    };
  }
  const options = (first ?? {}) as { timeout?: number; skip?: boolean; todo?: boolean };
  return {
    fn: typeof second === "function" ? (second as AnyFunction) : undefined,
    timeout: options.timeout ?? defaultTimeout,
    skip: options.skip === true || options.todo === true,
  };
}

function collectSuite(flags: Flags, name: string, ...rest: unknown[]): void {
  const { fn: body, skip } = parseArgs(rest);
  const suite = newSuite(name, flags.skip || flags.todo || skip || current.skip);
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    (body as (() => void) | undefined)?.();
  } finally {
    current = parent;
  }
}

function collectTest(flags: Flags, name: string, ...rest: unknown[]): void {
  const { fn: body, timeout, skip } = parseArgs(rest);
  current.children.push({
    kind: "test",
    name,
    fn: body as TestCase["fn"],
    skip: flags.skip || flags.todo || skip || current.skip || body === undefined,
    timeout,
  });
}

type Collector = (flags: Flags, name: string, ...rest: unknown[]) => void;

// biome-ignore lint/suspicious/noExplicitAny: the chainable API mirrors vitest's loosely typed one.
function chainable(collect: Collector, flags: Flags = { skip: false, todo: false }, forTests = false): any {
  const api = (name: string, ...rest: unknown[]) => collect(flags, name, ...rest);
  const each =
    (spread: boolean) =>
    (table: readonly unknown[]) =>
    (title: string, ...rest: unknown[]) => {
      for (const row of table) {
        const args = spread && Array.isArray(row) ? row : [row];
        const parsed = parseArgs(rest);
        const body = parsed.fn;
        const wrapped =
          body === undefined
            ? undefined
            : forTests && !spread
              ? (context: TestContext) => (body as (...args: unknown[]) => unknown)(row, context)
              : () => (body as (...args: unknown[]) => unknown)(...args);
        collect(flags, formatTitle(title, args), wrapped, parsed.timeout);
      }
    };
  Object.assign(api, {
    each: each(true),
    for: each(false),
    skip: (name: string, ...rest: unknown[]) => collect({ ...flags, skip: true }, name, ...rest),
    todo: (name: string, ...rest: unknown[]) => collect({ ...flags, todo: true }, name, ...rest),
    skipIf: (condition: unknown) =>
      chainable(collect, { ...flags, skip: flags.skip || Boolean(condition) }, forTests),
    runIf: (condition: unknown) => chainable(collect, { ...flags, skip: flags.skip || !condition }, forTests),
  });
  Object.defineProperty(api, "only", { get: () => chainable(collect, flags, forTests) });
  Object.defineProperty(api, "concurrent", { get: () => chainable(collect, flags, forTests) });
  Object.defineProperty(api, "sequential", { get: () => chainable(collect, flags, forTests) });
  return api;
}

export const describe = chainable(collectSuite);
export const suite = describe;
export const it = chainable(collectTest, { skip: false, todo: false }, true);
export const test = it;

export const beforeAll = (hook: Hook): void => void current.beforeAll.push(hook);
export const afterAll = (hook: Hook): void => void current.afterAll.push(hook);
export const beforeEach = (hook: Hook): void => void current.beforeEach.push(hook);
export const afterEach = (hook: Hook): void => void current.afterEach.push(hook);
let finishedHooks: Hook[] = [];
export const onTestFinished = (hook: Hook): void => void finishedHooks.push(hook);

// ---------------------------------------------------------------------------------------------------------
// vi

const stubbed = new Map<string, PropertyDescriptor | undefined>();
const unsupported = (name: string) => () => {
  throw new Error(`vi.${name} is not supported by the flag-free workerd runner (@keel/testing/vitest-shim)`);
};

export const vi = {
  fn,
  spyOn,
  restoreAllMocks,
  stubGlobal(name: string, value: unknown) {
    if (!stubbed.has(name)) stubbed.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
  },
  unstubAllGlobals() {
    for (const [name, descriptor] of stubbed) {
      if (descriptor === undefined) delete (globalThis as Record<string, unknown>)[name];
      else Object.defineProperty(globalThis, name, descriptor);
    }
    stubbed.clear();
  },
  useFakeTimers: unsupported("useFakeTimers"),
  mock: unsupported("mock"),
  waitFor: unsupported("waitFor"),
  resetModules: unsupported("resetModules"),
  doMock: unsupported("doMock"),
};

// ---------------------------------------------------------------------------------------------------------
// Running

/** One test's outcome. */
export interface TestResult {
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly error?: string;
}

class SkipSignal extends Error {}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;

async function withTimeout(work: () => unknown, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runSuite(
  node: SuiteNode,
  path: readonly string[],
  each: { before: Hook[]; after: Hook[] },
  results: TestResult[],
): Promise<void> {
  const names = node.name === "" ? path : [...path, node.name];
  const tests = (n: SuiteNode): TestCase[] =>
    n.children.flatMap((child) => (child.kind === "test" ? [child] : tests(child)));
  if (node.skip) {
    for (const skipped of tests(node))
      results.push({ name: [...names, skipped.name].join(" > "), status: "skipped" });
    return;
  }
  try {
    for (const hook of node.beforeAll) await withTimeout(hook, 10_000, "beforeAll");
  } catch (error) {
    for (const failed of tests(node)) {
      results.push({
        name: [...names, failed.name].join(" > "),
        status: "failed",
        error: `beforeAll: ${describeError(error)}`,
      });
    }
    return;
  }
  const before = [...each.before, ...node.beforeEach];
  const after = [...node.afterEach, ...each.after];
  for (const child of node.children) {
    if (child.kind === "suite") {
      await runSuite(child, names, { before, after }, results);
      continue;
    }
    const name = [...names, child.name].join(" > ");
    if (child.skip || child.fn === undefined) {
      results.push({ name, status: "skipped" });
      continue;
    }
    const body = child.fn;
    finishedHooks = [];
    const context: TestContext = {
      task: { name: child.name, meta: {} },
      expect,
      skip: () => {
        throw new SkipSignal();
      },
      onTestFinished,
    };
    try {
      for (const hook of before) await hook();
      await withTimeout(() => body(context), child.timeout, "test");
      results.push({ name, status: "passed" });
    } catch (error) {
      results.push(
        error instanceof SkipSignal
          ? { name, status: "skipped" }
          : { name, status: "failed", error: describeError(error) },
      );
    } finally {
      for (const hook of [...after, ...finishedHooks]) {
        try {
          await hook();
        } catch (error) {
          results.push({ name: `${name} (afterEach)`, status: "failed", error: describeError(error) });
        }
      }
    }
  }
  for (const hook of node.afterAll) {
    try {
      await hook();
    } catch (error) {
      results.push({
        name: `${names.join(" > ")} (afterAll)`,
        status: "failed",
        error: describeError(error),
      });
    }
  }
}

/**
 * Starts collecting the tests of one file (its describes and its tests go under a suite named after it).
 * The generated entry calls this before importing each test file.
 */
export function startFile(name: string): void {
  const file = newSuite(name, false);
  root.children.push(file);
  current = file;
}

/** Runs every collected test, in order, and returns their outcomes. */
export async function runCollected(): Promise<TestResult[]> {
  current = root;
  const results: TestResult[] = [];
  await runSuite(root, [], { before: [], after: [] }, results);
  return results;
}
