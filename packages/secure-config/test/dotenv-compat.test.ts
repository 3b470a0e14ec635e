/**
 * dotenv compatibility: the cases of dotenv's own fixtures (tests/.env and tests/.env-multiline in
 * https://github.com/motdotla/dotenv, v17, with the expectations of tests/test-parse.js and
 * tests/test-parse-multiline.js), transcribed because the npm tarball does not ship them. Every case
 * parses to what dotenv gives, except the ones Keel refuses on purpose, listed last with the reason.
 */
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../src/index.ts";

// [line of the fixture, what dotenv parses it to]
const agreed: readonly (readonly [string, Record<string, string>])[] = [
  ["BASIC=basic", { BASIC: "basic" }],
  ["AFTER_LINE=after_line", { AFTER_LINE: "after_line" }],
  ["EMPTY=", { EMPTY: "" }],
  ["EMPTY_SINGLE_QUOTES=''", { EMPTY_SINGLE_QUOTES: "" }],
  ['EMPTY_DOUBLE_QUOTES=""', { EMPTY_DOUBLE_QUOTES: "" }],
  ["EMPTY_BACKTICKS=``", { EMPTY_BACKTICKS: "" }],
  ["SINGLE_QUOTES='single_quotes'", { SINGLE_QUOTES: "single_quotes" }],
  ["SINGLE_QUOTES_SPACED='    single quotes    '", { SINGLE_QUOTES_SPACED: "    single quotes    " }],
  ['DOUBLE_QUOTES="double_quotes"', { DOUBLE_QUOTES: "double_quotes" }],
  ['DOUBLE_QUOTES_SPACED="    double quotes    "', { DOUBLE_QUOTES_SPACED: "    double quotes    " }],
  [
    "DOUBLE_QUOTES_INSIDE_SINGLE='double \"quotes\" work inside single quotes'",
    { DOUBLE_QUOTES_INSIDE_SINGLE: 'double "quotes" work inside single quotes' },
  ],
  [
    'DOUBLE_QUOTES_WITH_NO_SPACE_BRACKET="{ port: $MONGOLAB_PORT}"',
    { DOUBLE_QUOTES_WITH_NO_SPACE_BRACKET: "{ port: $MONGOLAB_PORT}" },
  ],
  [
    "SINGLE_QUOTES_INSIDE_DOUBLE=\"single 'quotes' work inside double quotes\"",
    { SINGLE_QUOTES_INSIDE_DOUBLE: "single 'quotes' work inside double quotes" },
  ],
  [
    "BACKTICKS_INSIDE_SINGLE='`backticks` work inside single quotes'",
    { BACKTICKS_INSIDE_SINGLE: "`backticks` work inside single quotes" },
  ],
  [
    'BACKTICKS_INSIDE_DOUBLE="`backticks` work inside double quotes"',
    { BACKTICKS_INSIDE_DOUBLE: "`backticks` work inside double quotes" },
  ],
  ["BACKTICKS=`backticks`", { BACKTICKS: "backticks" }],
  ["BACKTICKS_SPACED=`    backticks    `", { BACKTICKS_SPACED: "    backticks    " }],
  [
    'DOUBLE_QUOTES_INSIDE_BACKTICKS=`double "quotes" work inside backticks`',
    { DOUBLE_QUOTES_INSIDE_BACKTICKS: 'double "quotes" work inside backticks' },
  ],
  [
    "SINGLE_QUOTES_INSIDE_BACKTICKS=`single 'quotes' work inside backticks`",
    { SINGLE_QUOTES_INSIDE_BACKTICKS: "single 'quotes' work inside backticks" },
  ],
  [
    "DOUBLE_AND_SINGLE_QUOTES_INSIDE_BACKTICKS=`double \"quotes\" and single 'quotes' work inside backticks`",
    {
      DOUBLE_AND_SINGLE_QUOTES_INSIDE_BACKTICKS:
        "double \"quotes\" and single 'quotes' work inside backticks",
    },
  ],
  ['EXPAND_NEWLINES="expand\\nnew\\nlines"', { EXPAND_NEWLINES: "expand\nnew\nlines" }],
  ["DONT_EXPAND_UNQUOTED=dontexpand\\nnewlines", { DONT_EXPAND_UNQUOTED: "dontexpand\\nnewlines" }],
  ["DONT_EXPAND_SQUOTED='dontexpand\\nnewlines'", { DONT_EXPAND_SQUOTED: "dontexpand\\nnewlines" }],
  ["# COMMENTS=work", {}],
  ["INLINE_COMMENTS=inline comments # work #very #well", { INLINE_COMMENTS: "inline comments" }],
  [
    "INLINE_COMMENTS_SINGLE_QUOTES='inline comments outside of #singlequotes' # work",
    { INLINE_COMMENTS_SINGLE_QUOTES: "inline comments outside of #singlequotes" },
  ],
  [
    'INLINE_COMMENTS_DOUBLE_QUOTES="inline comments outside of #doublequotes" # work',
    { INLINE_COMMENTS_DOUBLE_QUOTES: "inline comments outside of #doublequotes" },
  ],
  [
    "INLINE_COMMENTS_BACKTICKS=`inline comments outside of #backticks` # work",
    { INLINE_COMMENTS_BACKTICKS: "inline comments outside of #backticks" },
  ],
  ["EQUAL_SIGNS=equals==", { EQUAL_SIGNS: "equals==" }],
  ['RETAIN_INNER_QUOTES={"foo": "bar"}', { RETAIN_INNER_QUOTES: '{"foo": "bar"}' }],
  ['RETAIN_INNER_QUOTES_AS_STRING=\'{"foo": "bar"}\'', { RETAIN_INNER_QUOTES_AS_STRING: '{"foo": "bar"}' }],
  [
    'RETAIN_INNER_QUOTES_AS_BACKTICKS=`{"foo": "bar\'s"}`',
    { RETAIN_INNER_QUOTES_AS_BACKTICKS: '{"foo": "bar\'s"}' },
  ],
  [
    "TRIM_SPACE_FROM_UNQUOTED=    some spaced out string",
    { TRIM_SPACE_FROM_UNQUOTED: "some spaced out string" },
  ],
  ["USERNAME=therealnerdybeast@example.tld", { USERNAME: "therealnerdybeast@example.tld" }],
  ["    SPACED_KEY = parsed", { SPACED_KEY: "parsed" }],
  // tests/.env-multiline
  [
    'MULTI_DOUBLE_QUOTED="THIS\nIS\nA\nMULTILINE\nSTRING"',
    { MULTI_DOUBLE_QUOTED: "THIS\nIS\nA\nMULTILINE\nSTRING" },
  ],
  [
    "MULTI_SINGLE_QUOTED='THIS\nIS\nA\nMULTILINE\nSTRING'",
    { MULTI_SINGLE_QUOTED: "THIS\nIS\nA\nMULTILINE\nSTRING" },
  ],
  [
    'MULTI_BACKTICKED=`THIS\nIS\nA\n"MULTILINE\'S"\nSTRING`',
    { MULTI_BACKTICKED: 'THIS\nIS\nA\n"MULTILINE\'S"\nSTRING' },
  ],
  [
    'MULTI_PEM_DOUBLE_QUOTED="-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnNl1tL3QjKp3DZWM0T3u\n-----END PUBLIC KEY-----"',
    {
      MULTI_PEM_DOUBLE_QUOTED:
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnNl1tL3QjKp3DZWM0T3u\n-----END PUBLIC KEY-----",
    },
  ],
  // test-parse.js: line ends
  [
    "SERVER=localhost\rPASSWORD=password\rDB=tests\r",
    { SERVER: "localhost", PASSWORD: "password", DB: "tests" },
  ],
  [
    "SERVER=localhost\nPASSWORD=password\nDB=tests\n",
    { SERVER: "localhost", PASSWORD: "password", DB: "tests" },
  ],
  [
    "SERVER=localhost\r\nPASSWORD=password\r\nDB=tests\r\n",
    { SERVER: "localhost", PASSWORD: "password", DB: "tests" },
  ],
];

// Accepted by dotenv, refused by Keel on purpose (documented in the README, ".env files").
const refusedOnPurpose: readonly (readonly [string, string, string])[] = [
  [
    "INLINE_COMMENTS_SPACE=inline comments start with a#number sign. no space required.",
    "a # glued to a value: dotenv silently cuts it there (a password with a # loses its end)",
    "a # inside an unquoted value",
  ],
  ["JUST_A_WORD", "a line that is not KEY=value: dotenv skips it silently", "expected KEY=value"],
  ["KEY: value", "dotenv's colon form: Node does not read it", "`KEY: value` is not supported"],
  ['A="open', "an unterminated quote: dotenv keeps the quote as data", "unterminated double quote"],
  [
    'A="x" junk',
    "text after a closing quote: dotenv and Node disagree on it",
    "unexpected text after the closing quote",
  ],
];

describe("dotenv compatibility (dotenv's fixtures)", () => {
  it.each(agreed)("%j parses as dotenv parses it", (text, expected) => {
    expect(parseDotenv(text)._unsafeUnwrap()).toEqual(expected);
  });

  it.each(refusedOnPurpose)("%j is refused on purpose: %s", (text, _why, reason) => {
    expect(parseDotenv(text)._unsafeUnwrapErr().message).toContain(reason);
  });
});
