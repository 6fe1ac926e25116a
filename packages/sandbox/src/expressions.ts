import { data, Evaluator, type Expr, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";
import { WorkflowError } from "./workflow-error.js";

/** Plain JavaScript values of every context an expression may read (`inputs`, `steps`, `github`…). */
export type Contexts = Record<string, unknown>;

/** What the status functions answer at the point an `if:` is evaluated. */
export interface JobStatus {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"] as const;

function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const define = (name: string, answer: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer()) },
  ];
  return new Map([
    define("success", () => status.success),
    define("failure", () => status.failure),
    define("always", () => true),
    define("cancelled", () => status.cancelled),
  ]);
}

const FUNCTION_INFO = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));

/** Converts plain JSON-like values into the expression engine's data model. */
export function toExpressionData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** Converts an evaluated value back into plain JavaScript. */
export function fromExpressionData(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

function parse(expression: string, contexts: Contexts, where: string): Expr {
  try {
    const tokens = new Lexer(expression).lex().tokens;
    return new Parser(tokens, Object.keys(contexts), FUNCTION_INFO).parse();
  } catch (error) {
    const message = (error as Error).message;
    const hint = /Unrecognized function/i.test(message)
      ? " (the sandbox supports the built-in functions and success/failure/always/cancelled)"
      : "";
    throw new WorkflowError(where, `cannot parse expression '${expression}': ${message}${hint}`);
  }
}

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluateExpression(expression: string, contexts: Contexts, where: string, status?: JobStatus): data.ExpressionData {
  const tree = parse(expression, contexts, where);
  const dictionary = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value: toExpressionData(value) })));
  const functions = statusFunctions(status ?? { success: true, failure: false, cancelled: false });
  try {
    return new Evaluator(tree, dictionary, functions).evaluate();
  } catch (error) {
    throw new WorkflowError(where, `cannot evaluate '${expression}': ${(error as Error).message}`);
  }
}

/** A `${{ … }}` found in a text, with its position. */
export interface ExpressionSpan {
  start: number;
  end: number;
  expression: string;
}

/** Finds every `${{ … }}` in a text, skipping `}}` that sit inside quoted strings. */
export function findExpressions(text: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("${{", from);
    if (start < 0) return spans;
    let i = start + 3;
    let inString = false;
    for (; i < text.length; i++) {
      const char = text[i];
      if (char === "'") inString = !inString;
      else if (!inString && char === "}" && text[i + 1] === "}") break;
    }
    if (i >= text.length) throw new Error(`unclosed expression starting at '${text.slice(start, start + 40)}'`);
    spans.push({ start, end: i + 2, expression: text.slice(start + 3, i).trim() });
    from = i + 2;
  }
}

/** Replaces every `${{ … }}` in a text with its value as a string; a text that is one expression keeps its type. */
export function evaluateTemplate(value: unknown, contexts: Contexts, where: string, status?: JobStatus): unknown {
  if (typeof value !== "string") return value;
  let spans: ExpressionSpan[];
  try {
    spans = findExpressions(value);
  } catch (error) {
    throw new WorkflowError(where, (error as Error).message);
  }
  if (spans.length === 0) return value;
  const only = spans[0] as ExpressionSpan;
  if (spans.length === 1 && only.start === 0 && only.end === value.length) {
    return fromExpressionData(evaluateExpression(only.expression, contexts, where, status));
  }
  let out = "";
  let last = 0;
  for (const span of spans) {
    out += value.slice(last, span.start) + evaluateExpression(span.expression, contexts, where, status).coerceString();
    last = span.end;
  }
  return out + value.slice(last);
}

/** Like evaluateTemplate, but always a string, as inputs and env values are. */
export function evaluateString(value: unknown, contexts: Contexts, where: string): string {
  const result = evaluateTemplate(value, contexts, where);
  if (result === null || result === undefined) return "";
  if (typeof result === "object") return toExpressionData(result).coerceString();
  return String(result);
}

/**
 * Evaluates an `if:` the way the runner does: `${{ }}` is optional, and a condition that calls
 * no status function is implicitly `success() && (condition)`.
 */
export function evaluateCondition(condition: unknown, contexts: Contexts, where: string, status: JobStatus): boolean {
  if (condition === undefined || condition === null || condition === "") return status.success;
  if (typeof condition === "boolean" || typeof condition === "number") return status.success && Boolean(condition);
  let text = String(condition).trim();
  const spans = findExpressions(text);
  if (spans.length === 1 && spans[0]?.start === 0 && spans[0].end === text.length) text = spans[0].expression;
  else if (spans.length > 0) {
    // A condition mixing literal text and `${{ }}` is a non-empty string: always truthy, as on GitHub.
    return status.success;
  }
  const tokens = new Lexer(text).lex().tokens;
  const callsStatus = tokens.some(
    (token, i) =>
      STATUS_FUNCTIONS.includes(token.lexeme.toLowerCase() as (typeof STATUS_FUNCTIONS)[number]) && tokens[i + 1]?.lexeme === "(",
  );
  const expression = callsStatus ? text : `success() && (${text})`;
  return truthy(evaluateExpression(expression, contexts, where, status));
}
