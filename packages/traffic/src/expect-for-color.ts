import type { Expect } from "@cutover/http-checks";
import type { Color } from "./color.js";

/**
 * Replaces `{color}` in every string of an expect block, so one block (e.g. header x-color:
 * "{color}") verifies a switch in either direction, rollback included. Rollback also passes
 * `{ version }`, so `json: { $.version: "{version}" }` checks the version it went back to.
 */
export function expectForColor(expect: Expect | undefined, color: Color, extra: Record<string, string> = {}): Expect | undefined {
  if (expect === undefined) return undefined;
  const values: Record<string, string> = { ...extra, color };
  return substitute(expect, values) as Expect;
}

function substitute(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\{(\w+)\}/g, (found, name: string) => values[name] ?? found);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
  }
  return value;
}
