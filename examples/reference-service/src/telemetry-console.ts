/**
 * @module
 * One exporter set up: spans printed to the console, for `OTEL_TRACES_EXPORTER=console`. In production,
 * swap `ConsoleSpanExporter` for `OTLPTraceExporter` from `@opentelemetry/exporter-trace-otlp-http` and a
 * `BatchSpanProcessor`; the app code does not change, it only talks to `@opentelemetry/api`.
 */
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Registers a tracer provider that prints every finished span; returns its shutdown. */
export function registerConsoleTracing(): () => Promise<void> {
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
  });
  trace.setGlobalTracerProvider(provider);
  return () => provider.shutdown();
}
