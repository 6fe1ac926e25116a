import { formatDuration } from "@cutover/core";
import type { Expect } from "./expect-schema.js";
import type { HttpResponse } from "./http-response.js";
import { readJsonPath } from "./json-path.js";
import { matchesExpected } from "./text-matcher.js";

/** One assertion that did not hold: what was measured against what was expected. */
export interface AssertionFailure {
  assertion: string;
  measured: string;
  expected: string;
}

function statusMatches(status: number, pattern: number | string): boolean {
  if (typeof pattern === "number") return status === pattern;
  return String(status)[0] === pattern[0];
}

function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Holds a response against an expect block; an empty list means it passed. Default: a 2xx. */
export function evaluateExpect(expect: Expect | undefined, response: HttpResponse): AssertionFailure[] {
  const failures: AssertionFailure[] = [];
  const statuses = expect?.status === undefined ? ["2xx"] : Array.isArray(expect.status) ? expect.status : [expect.status];
  if (!statuses.some((pattern) => statusMatches(response.status, pattern))) {
    failures.push({ assertion: "status", measured: String(response.status), expected: statuses.join(" or ") });
  }
  if (!expect) return failures;

  const maxLatency = expect["max-latency"];
  if (maxLatency !== undefined && response.latencyMs > maxLatency) {
    failures.push({
      assertion: "max-latency",
      measured: formatDuration(response.latencyMs),
      expected: `at most ${formatDuration(maxLatency)}`,
    });
  }
  for (const needle of asList(expect["body-contains"])) {
    if (!response.body.includes(needle)) {
      failures.push({
        assertion: "body-contains",
        measured: `body ${JSON.stringify(shorten(response.body, 120))}`,
        expected: `to contain ${JSON.stringify(needle)}`,
      });
    }
  }
  for (const needle of asList(expect["body-not-contains"])) {
    if (response.body.includes(needle)) {
      failures.push({
        assertion: "body-not-contains",
        measured: `body contains ${JSON.stringify(needle)}`,
        expected: `not to contain ${JSON.stringify(needle)}`,
      });
    }
  }
  const pattern = expect["body-matches"];
  if (pattern !== undefined && !new RegExp(pattern).test(response.body)) {
    failures.push({
      assertion: "body-matches",
      measured: `body ${JSON.stringify(shorten(response.body, 120))}`,
      expected: `to match /${pattern}/`,
    });
  }
  if (expect.json) failures.push(...evaluateJson(expect.json, response.body));
  for (const [name, expected] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers[name.toLowerCase()];
    if (actual === undefined) {
      failures.push({ assertion: `header ${name}`, measured: "absent", expected });
    } else if (!matchesExpected(actual, expected)) {
      failures.push({ assertion: `header ${name}`, measured: JSON.stringify(actual), expected });
    }
  }
  return failures;
}

function evaluateJson(expectations: Record<string, unknown>, body: string): AssertionFailure[] {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return [{ assertion: "json", measured: `a body that is not JSON: ${JSON.stringify(shorten(body, 80))}`, expected: "a JSON body" }];
  }
  const failures: AssertionFailure[] = [];
  for (const [path, expected] of Object.entries(expectations)) {
    const { found, value } = readJsonPath(document, path);
    const expectedText = typeof expected === "string" ? expected : JSON.stringify(expected);
    if (!found) {
      failures.push({ assertion: `json ${path}`, measured: "absent", expected: expectedText });
    } else if (!jsonValueMatches(value, expected)) {
      failures.push({ assertion: `json ${path}`, measured: shorten(JSON.stringify(value) ?? "undefined"), expected: expectedText });
    }
  }
  return failures;
}

function jsonValueMatches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === "string" && typeof actual !== "object") return matchesExpected(String(actual), expected);
  return deepEqual(actual, expected);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
