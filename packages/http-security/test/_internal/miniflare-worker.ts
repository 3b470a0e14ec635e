// What the miniflare-driven tests share: a Worker module that imports this package by name, bundled with the
// repo's Worker build options and run by real workerd through miniflare, from Node. The modules are loaded
// on first use only: the test files that import this are also collected on the workerd legs, where they skip.

/** A Worker running in miniflare. */
export interface MiniflareWorker {
  dispatchFetch(url: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** Bundles `source` and starts it in workerd; `options` adds bindings, Durable Objects, rate limits. */
export async function startWorker(
  source: string,
  options: Readonly<Record<string, unknown>> = {},
): Promise<MiniflareWorker> {
  const { build } = await import("esbuild");
  const { Miniflare, convertV4MiniflareOptions } = await import("miniflare");
  const { workerBundleOptions } = await import("@keel/testing/worker-bundle");
  const { fileURLToPath } = await import("node:url");
  const runtimes = (await import("../../../../runtimes.json", { with: { type: "json" } })).default;
  const bundle = await build({
    ...workerBundleOptions,
    stdin: { contents: source, resolveDir: fileURLToPath(new URL("../..", import.meta.url)), loader: "js" },
    write: false,
  });
  return new Miniflare({
    ...convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      compatibilityDate: runtimes.workerdCompatibilityDate,
      ...options,
    }),
    telemetry: { enabled: false },
  }) as unknown as MiniflareWorker;
}
