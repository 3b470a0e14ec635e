// Which policy expressions the self-check accepts without a review. Recognising every safe policy from its
// text cannot be done, so only the shape tenantPolicySql writes is accepted, as PostgreSQL prints it back
// (pg_get_expr), with its close variants: the setting with or without NULLIF, cast to the column's type or
// not, the column on either side, and AND-ed with further conditions (which can only narrow). Anything else
// (COALESCE, ANY, IS NOT FALSE, OR, a function around either side...) is refused unless named as reviewed.

/** `(x)` -> `x` as long as the outer parentheses enclose the whole text. */
function stripOuterParentheses(text: string): string {
  let current = text.trim();
  while (current.startsWith("(") && closingOf(current, 0) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

// The index of the parenthesis closing the one at `open`, skipping quoted literals and identifiers.
function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (char === "(") depth++;
    else if (char === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The top-level `AND` operands of an expression, or `undefined` when its quotes or parentheses do not pair. */
function conjuncts(expression: string): string[] | undefined {
  const text = stripOuterParentheses(expression);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end === -1) return undefined;
      i = end;
    } else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (depth === 0 && text.startsWith(" AND ", i)) {
      parts.push(text.slice(start, i));
      start = i + 5;
      i += 4;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts.map(stripOuterParentheses);
}

const escapeRegExp = (text: string) => text.replace(/[.$]/g, (char) => `\\${char}`);

/** A matcher of the pinning comparison for one column and setting (both already checked identifiers). */
export function pinningPattern(column: string, setting: string): RegExp {
  const read = `current_setting\\('${escapeRegExp(setting)}'::text(?:, (?:true|false))?\\)`;
  const value = `(?:NULLIF\\(${read}, ''::text\\)|${read})`;
  const typed = `(?:${value}|\\(${value}\\)::(?:text|uuid|bigint|integer))`;
  const name = `(?:${escapeRegExp(column)}|"${escapeRegExp(column)}")`;
  return new RegExp(`^(?:${name} = ${typed}|${typed} = ${name})$`);
}

/**
 * Whether an expression, as pg_get_expr prints it, pins the tenant: one top-level AND operand is exactly
 * `column = <the setting>`. `set_config` anywhere is refused: it could change the setting mid-query.
 */
export function pinsTenant(expression: string, pattern: RegExp): boolean {
  if (/set_config/i.test(expression)) return false;
  return conjuncts(expression)?.some((part) => pattern.test(part)) === true;
}
