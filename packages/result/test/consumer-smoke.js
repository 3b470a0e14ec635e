// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// flag-free workerd. It imports the public specifiers only, exercises every entry point, and throws on failure.
import {
  createProblemMapper,
  createResultDeserializer,
  err,
  fromJson,
  matchError,
  serializeResult,
  TaggedError,
} from "@keel/result";
import { createResponder, problemOnError, resultHandler } from "@keel/result/hono";

export default async function smoke() {
  class NotFound extends TaggedError("NotFound") {}
  const error = new NotFound({ message: "no user" });
  const status = matchError(error, { NotFound: () => 404 });
  if (status !== 404 || !(error instanceof Error)) throw new Error("matchError/TaggedError failed");

  const standardSchema = { "~standard": { version: 1, vendor: "smoke", validate: (value) => ({ value }) } };
  const read = createResultDeserializer({ value: standardSchema, errors: [NotFound] });
  const back = read(JSON.stringify(serializeResult(err(error))));
  if (!back.isErr() || !(back.error instanceof NotFound)) throw new Error("serialisation round trip failed");

  const problems = createProblemMapper({ statuses: { NotFound: 404 } });
  const response = problems.toResponseUnchecked(new Error("internal"));
  const body = await response.json();
  if (response.status !== 500 || typeof body.correlationId !== "string")
    throw new Error("problem mapping failed");
  const parsed = fromJson(standardSchema)("{not json");
  if (!parsed.isErr()) throw new Error("fromJson");
  if (typeof resultHandler !== "function" || typeof problemOnError !== "function")
    throw new Error("hono entry");
  if (typeof createResponder(problems) !== "function") throw new Error("createResponder");
  return "ok";
}
