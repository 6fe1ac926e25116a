import { promqlParser } from "./promql-grammar.js";

/** Label matchers every selector of a query must carry, e.g. `{ color: "green" }`. */
export type Scope = Readonly<Record<string, string>>;

/** PromQL that the official grammar does not accept; `column` is 1-based. */
export class PromqlSyntaxError extends Error {
  override name = "PromqlSyntaxError";
  constructor(
    readonly query: string,
    readonly column: number,
  ) {
    super(`not valid PromQL at column ${column}: ${pointAt(query, column)}`);
  }
}

/** Where a query stops parsing, or undefined when the official PromQL grammar accepts it (loadPromqlGrammar first). */
export function promqlSyntaxError(query: string): PromqlSyntaxError | undefined {
  const tree = promqlParser().parse(query);
  let at: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at === undefined ? undefined : new PromqlSyntaxError(query, at + 1);
}

/**
 * Adds `scope`'s matchers to every vector selector of `query` (which covers the selectors inside
 * range vectors and subqueries), using the official PromQL grammar, so a team's own expression
 * judges only the release: `rate(x{code="500"}[5m])` → `rate(x{color="green",code="500"}[5m])`.
 */
export function scopeQuery(query: string, scope: Scope): string {
  const syntax = promqlSyntaxError(query);
  if (syntax) throw syntax;
  const matchers = Object.entries(scope)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(",");
  if (!matchers) return query;
  const edits: { at: number; text: string }[] = [];
  const parser = promqlParser();
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name !== "VectorSelector") return undefined;
      const braces = node.node.getChild("LabelMatchers");
      if (!braces) {
        edits.push({ at: node.to, text: `{${matchers}}` });
      } else {
        const empty = query.slice(braces.from + 1, braces.to - 1).trim() === "";
        edits.push({ at: braces.from + 1, text: empty ? matchers : `${matchers},` });
      }
      return false;
    },
  });
  let out = query;
  for (const edit of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}

/** The one vector selector a text is, e.g. `http_requests_total{code=~"5.."}`, or why it is not one. */
export function parseSelector(text: string): { metric?: string; matchers: string } | { problem: string } {
  const syntax = promqlSyntaxError(text);
  if (syntax) return { problem: syntax.message };
  const top = promqlParser().parse(text).topNode.firstChild;
  if (top?.name !== "VectorSelector" || top.nextSibling) {
    return { problem: `${top?.name ?? "nothing"} where a series selector such as http_requests_total{code=~"5.."} belongs` };
  }
  const name = top.getChild("Identifier");
  const braces = top.getChild("LabelMatchers");
  return {
    ...(name ? { metric: text.slice(name.from, name.to) } : {}),
    matchers: braces ? text.slice(braces.from + 1, braces.to - 1).trim() : "",
  };
}

function pointAt(query: string, column: number): string {
  const start = Math.max(0, column - 31);
  const before = query.slice(start, column - 1);
  const after = query.slice(column - 1, column + 29);
  return `${start > 0 ? "…" : ""}${before}⟨here⟩${after}${column + 29 < query.length ? "…" : ""}`;
}
