/**
 * A notes service with two faces: a JSON API under `/api` for a browser app on another origin, and a small
 * HTML page at `/` with a form. `@keel/http-security` guards both with one preset each.
 */

import { httpSecurityProblemStatuses } from "@keel/http-security";
import { htmlSecurity, jsonApiSecurity, type SecurityPresetEnv } from "@keel/http-security/hono";
import { createProblemMapper, TaggedError, type TaggedErrorClass } from "@keel/result";
import { problemOnError, problemResponse } from "@keel/result/hono";
import { Hono } from "hono";
import { except } from "hono/combine";
import { html } from "hono/html";

/** The browser app allowed to call the API with cookies (CORS and CSRF both trust it, and nothing else). */
export const APP_ORIGIN = "https://app.example.com";
/** The largest note, and the largest JSON body the API reads. */
const MAX_NOTE_CHARS = 500;
const MAX_BODY_BYTES = 4096;

const InvalidNoteBase: TaggedErrorClass<"InvalidNote"> = TaggedError("InvalidNote");
class InvalidNote extends InvalidNoteBase {
  constructor() {
    super({ message: `A note is {"text": string} with 1 to ${MAX_NOTE_CHARS} characters` });
  }
}

const problems = createProblemMapper({
  statuses: { ...httpSecurityProblemStatuses, InvalidNote: 422 },
  typeBase: "https://example.com/problems/",
  // A 500 tells the client only its correlation id; the log line has the error.
  onUnexpected: ({ error, correlationId }) =>
    console.error(JSON.stringify({ level: "error", correlationId, error: String(error) })),
});

interface Note {
  readonly id: number;
  readonly text: string;
}
// In memory, per process (or per isolate on Workers): a demo, not a store.
const notes: Note[] = [];
function addNote(text: string): Note {
  const note = { id: notes.length + 1, text };
  notes.push(note);
  return note;
}
const isNoteText = (text: unknown): text is string =>
  typeof text === "string" && text.length > 0 && text.length <= MAX_NOTE_CHARS;

const app = new Hono<SecurityPresetEnv>();
app.onError(problemOnError(problems));

// The JSON API: request ids, the "api" CSP and the rest of the headers, CORS for APP_ORIGIN only (with
// credentials), CSRF (cross-site writes refused unless from APP_ORIGIN), JSON bodies of at most 4 KiB.
app.use(
  "/api/*",
  jsonApiSecurity({
    origin: [APP_ORIGIN],
    cors: { credentials: true, allowMethods: ["GET", "POST"], allowHeaders: ["content-type"] },
    bodyLimit: { maxBytes: MAX_BODY_BYTES },
    problems, // refusals answered by the app's own mapper: same problem types as its other errors
  }),
);

app.get("/api/notes", (c) => c.json(notes));

app.post("/api/notes", async (c) => {
  const body: unknown = await c.req.json();
  const text = typeof body === "object" && body !== null ? (body as { text?: unknown }).text : undefined;
  if (!isNoteText(text)) return problemResponse(c, problems, new InvalidNote());
  return c.json(addNote(text), 201);
});

// The HTML page: the "html" CSP with a fresh nonce per request (c.var.cspNonce), CSRF on the form post.
app.use("*", except("/api/*", htmlSecurity({ problems })));

app.get("/", (c) => {
  const nonce = c.var.cspNonce;
  return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Notes</title>
    <style nonce="${nonce}">body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }</style>
  </head>
  <body>
    <h1>Notes</h1>
    <ul>${notes.map((note) => html`<li>${note.text}</li>`)}</ul>
    <form method="post" action="/notes">
      <input name="text" maxlength="${MAX_NOTE_CHARS}" required />
      <button>Add</button>
    </form>
    <p id="nonced-script">The page's own script has not run.</p>
    <p id="injected-script">An injected script would change this line; the CSP blocks it.</p>
    <script nonce="${nonce}">
      document.getElementById("nonced-script").textContent = "The page's own script ran.";
    </script>
    <!-- What an HTML injection would add: no nonce, so the browser refuses to run it. -->
    <script>
      document.getElementById("injected-script").textContent = "Injected script ran!";
    </script>
  </body>
</html>`);
});

app.post("/notes", async (c) => {
  const form = await c.req.formData();
  const text = form.get("text");
  if (!isNoteText(text)) return problemResponse(c, problems, new InvalidNote());
  addNote(text);
  return c.redirect("/", 303);
});

export default app;
