import type { z } from "zod";
import type { ConfigIssue } from "./errors.js";

/** Renders a zod issue path the way a user writes it: `[0].expect.status`, `headers.Authorization`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_][\w-]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Shows a given value briefly: strings quoted, objects as compact JSON, long ones cut. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  return node;
}

/** What the schema wanted, in words, from one zod issue. */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "undefined" ? "no value here" : `a ${issue.expected}`;
    case "unrecognized_keys":
      return "only known keys (check the spelling or the documentation)";
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `${issue.origin === "array" ? "at least" : "a value of at least"} ${String(issue.minimum)}${issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : ""}`;
    case "too_big":
      return `${issue.origin === "array" ? "at most" : "a value of at most"} ${String(issue.maximum)}${issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : ""}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod's issues into ConfigIssues that name the input, the path inside it, the value given
 * and what is expected. `secret` hides given values of inputs that hold secrets.
 */
export function toConfigIssues(
  input: string,
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  options: { secret?: boolean } = {},
): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        input,
        path: formatIssuePath([...issue.path, key]),
        given: `unknown key '${key}'`,
        expected: expectation(issue),
      }));
    }
    if (issue.code === "invalid_key") {
      // A record key that failed its own schema: report the key, with the key's own expectation.
      const key = String(issue.path.at(-1) ?? "");
      const reason = issue.issues[0]?.message ?? "a valid key";
      return [{ input, path: formatIssuePath(issue.path), given: `key ${JSON.stringify(key)}`, expected: reason }];
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest: usually what the user meant.
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
      if (best.length > 0 && depth(best) > issue.path.length) return toConfigIssues(input, raw, best, options);
    }
    const syntaxError = issue.code === "custom" ? (issue.params?.syntaxError as string | undefined) : undefined;
    if (syntaxError) {
      return [{ input, path: formatIssuePath(issue.path), given: `text that does not parse (${syntaxError})`, expected: issue.message }];
    }
    // A check that describes what it refused itself (never quoting a secret).
    const described = issue.code === "custom" ? (issue.params?.given as string | undefined) : undefined;
    if (described) return [{ input, path: formatIssuePath(issue.path), given: described, expected: issue.message }];
    const given = valueAt(raw, issue.path);
    const custom = issue.code === "custom" || (issue.code === "invalid_format" && issue.message);
    return [
      {
        input,
        path: formatIssuePath(issue.path),
        given: given === undefined ? undefined : options.secret ? "a secret value" : describeValue(given),
        expected: custom ? issue.message : expectation(issue),
      },
    ];
  });
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}
