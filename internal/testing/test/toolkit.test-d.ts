// Type-level tests: run once, by `vitest run --typecheck.only` (the "types" column of `npm test`).
import { describe, expectTypeOf, it } from "vitest";
import { type ExampleRuntime, onRuntime } from "../src/example-server.ts";
import { type ProcessResult, runProcess } from "../src/process.ts";

describe("toolkit types", () => {
  it("onRuntime tags a suite with one of the example runtimes", () => {
    expectTypeOf(onRuntime("bun").meta.runtime).toEqualTypeOf<ExampleRuntime>();
    // @ts-expect-error: "firefox" is not a runtime an example runs on
    onRuntime("firefox");
  });

  it("runProcess needs a timeout", () => {
    expectTypeOf(runProcess).returns.resolves.toEqualTypeOf<ProcessResult>();
    // @ts-expect-error: timeoutMs is required
    void runProcess("true", [], { cwd: "." });
  });
});
