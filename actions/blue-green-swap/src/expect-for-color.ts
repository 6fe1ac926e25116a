import type { Expect } from "@cutover/http-checks";
import type { Color } from "@cutover/traffic";

/**
 * Replaces `{color}` in every string of an expect block, so one block (e.g. header x-color:
 * "{color}") verifies a switch in either direction, rollback included.
 */
export function expectForColor(expect: Expect | undefined, color: Color): Expect | undefined {
  if (expect === undefined) return undefined;
  return substitute(expect, color) as Expect;
}

function substitute(value: unknown, color: Color): unknown {
  if (typeof value === "string") return value.replaceAll("{color}", color);
  if (Array.isArray(value)) return value.map((item) => substitute(item, color));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, color)]));
  }
  return value;
}
