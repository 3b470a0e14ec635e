// Content-Security-Policy directives: checked and serialised once, at set-up. A value that could end a
// directive (";"), start a second policy (","), split the header (CR, LF) or that is not a source
// expression of CSP Level 3 is refused with a TypeError naming the directive and the position, never
// quoting the value.

/** Directives whose value is a source list (CSP Level 3 fetch directives, plus the document/navigation ones). */
const sourceListDirectives: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "default-src",
  "script-src",
  "script-src-elem",
  "script-src-attr",
  "style-src",
  "style-src-elem",
  "style-src-attr",
  "img-src",
  "font-src",
  "connect-src",
  "media-src",
  "object-src",
  "frame-src",
  "child-src",
  "worker-src",
  "manifest-src",
  "fenced-frame-src",
  "base-uri",
  "form-action",
  "frame-ancestors",
]);
/** Directives with no value. */
const flagDirectives: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "upgrade-insecure-requests",
  "block-all-mixed-content",
]);
const otherDirectives: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "sandbox",
  "report-uri",
  "report-to",
  "require-trusted-types-for",
  "trusted-types",
  "webrtc",
]);

/** Every directive name this package accepts. */
export const knownDirectives: ReadonlySet<string> = /* @__PURE__ */ new Set([
  ...sourceListDirectives,
  ...flagDirectives,
  ...otherDirectives,
]);

const keywords: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "'self'",
  "'none'",
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'strict-dynamic'",
  "'unsafe-hashes'",
  "'report-sample'",
  "'wasm-unsafe-eval'",
  "'unsafe-allow-redirects'",
  "'inline-speculation-rules'",
]);
const base64Value = "[A-Za-z0-9+/_-]+={0,2}";
const nonceSource = /* @__PURE__ */ new RegExp(`^'nonce-${base64Value}'$`);
const hashSource = /* @__PURE__ */ new RegExp(`^'sha(?:256|384|512)-${base64Value}'$`);
const schemeSource = /^[A-Za-z][A-Za-z0-9+.-]*:$/;
const hostLabel = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const hostSource = /* @__PURE__ */ new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:\\*|(?:\\*\\.)?${hostLabel}(?:\\.${hostLabel})*)(?::(?:[0-9]{1,5}|\\*))?(?:/[A-Za-z0-9\\-._~!$&()*+=:@%/]*)?$`,
);
// A keyword or nonce/hash written without its single quotes would be read as a host name ("self").
const unquotedKeyword =
  /^(?:self|none|unsafe-[a-z-]+|strict-dynamic|report-sample|wasm-unsafe-eval|nonce-.*|sha(?:256|384|512)-.*)$/i;
const sandboxTokens: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "allow-downloads",
  "allow-forms",
  "allow-modals",
  "allow-orientation-lock",
  "allow-pointer-lock",
  "allow-popups",
  "allow-popups-to-escape-sandbox",
  "allow-presentation",
  "allow-same-origin",
  "allow-scripts",
  "allow-storage-access-by-user-activation",
  "allow-top-navigation",
  "allow-top-navigation-by-user-activation",
  "allow-top-navigation-to-custom-protocols",
]);
const uriReference = /^[A-Za-z0-9\-._~:/?#[\]@!$&()*+=%]+$/;
const reportingEndpointName = /^[A-Za-z0-9_-]{1,64}$/;
const trustedTypesPolicy = /^(?:[A-Za-z0-9\-#=_/@.%]+|'none'|'allow-duplicates'|\*)$/;

/** The value a directive may have: a list of sources/tokens, or `true` for a directive with no value. */
export type DirectiveValue = readonly string[] | true;

const fail = (where: string, reason: string): never => {
  throw new TypeError(`${where}: ${reason}`);
};

function checkSource(where: string, source: string): void {
  if (keywords.has(source.toLowerCase()) || nonceSource.test(source) || hashSource.test(source)) return;
  if (/[;,\s]/.test(source))
    fail(where, "a source may not hold ';', ',' or whitespace (give each source as its own entry)");
  if (unquotedKeyword.test(source))
    fail(where, "keywords, nonces and hashes need single quotes, e.g. \"'self'\"");
  if (source.startsWith("'")) fail(where, "not a CSP keyword, nonce or hash");
  if (schemeSource.test(source) || hostSource.test(source)) return;
  fail(
    where,
    "not a CSP source expression (a 'keyword', a scheme like https:, or a host like https://cdn.example.com)",
  );
}

function checkList(where: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) return fail(where, "must be a list of strings");
  if (value.length === 0) return fail(where, "an empty list; write [\"'none'\"] to allow nothing");
  for (const [index, item] of value.entries()) {
    if (typeof item !== "string") fail(`${where}[${index}]`, "must be a string");
    // Control characters (CR, LF, NUL...) and non-ASCII would split or corrupt the header.
    if (/[^\x21-\x7e]/.test(item as string))
      fail(`${where}[${index}]`, "holds whitespace, a control character or non-ASCII");
  }
  return value as readonly string[];
}

/** Checks one directive's value; returns it in its serialised form (without the name). */
export function checkDirective(option: string, name: string, value: unknown): string {
  const where = `${option}["${name}"]`;
  if (flagDirectives.has(name)) {
    if (value !== true) fail(where, "takes no value: write true");
    return "";
  }
  if (name === "sandbox" && value === true) return "";
  const list = checkList(where, value);
  if (sourceListDirectives.has(name)) {
    for (const [index, source] of list.entries()) checkSource(`${where}[${index}]`, source);
    if (list.length > 1 && list.some((source) => source.toLowerCase() === "'none'")) {
      fail(where, "'none' cannot be combined with other sources");
    }
  } else if (name === "sandbox") {
    list.forEach((token, index) => {
      if (!sandboxTokens.has(token))
        fail(`${where}[${index}]`, "not a sandbox keyword (allow-scripts, allow-forms...)");
    });
  } else if (name === "report-uri") {
    list.forEach((uri, index) => {
      if (!uriReference.test(uri))
        fail(`${where}[${index}]`, "not a URI reference (';' and ',' must be percent-encoded)");
    });
  } else if (name === "report-to") {
    if (list.length !== 1 || !reportingEndpointName.test(list[0] ?? "")) {
      fail(where, "must be one reporting endpoint name (letters, digits, '-' and '_')");
    }
  } else if (name === "require-trusted-types-for") {
    if (list.length !== 1 || list[0] !== "'script'") fail(where, "must be [\"'script'\"]");
  } else if (name === "trusted-types") {
    list.forEach((policy, index) => {
      if (!trustedTypesPolicy.test(policy))
        fail(`${where}[${index}]`, "not a Trusted Types policy name or keyword");
    });
  } else if (name === "webrtc") {
    if (list.length !== 1 || (list[0] !== "'allow'" && list[0] !== "'block'")) {
      fail(where, "must be [\"'allow'\"] or [\"'block'\"]");
    }
  }
  return list.join(" ");
}

/** Checks a reporting endpoint name (for `Reporting-Endpoints`). */
export const isEndpointName = (name: string): boolean => reportingEndpointName.test(name);
