import { describe, expect, it } from "vitest";
import { parseJsonPath, readJsonPath } from "../src/json-path.js";

const doc = { version: "2.1", items: [{ id: 7 }, { id: 9 }], "odd key": { ok: true }, nil: null };

describe("readJsonPath", () => {
  it.each([
    ["$", doc],
    ["$.version", "2.1"],
    ["$.items[0].id", 7],
    ["$.items[-1].id", 9],
    ['$["odd key"].ok', true],
    ["$['odd key']", { ok: true }],
    ["$.nil", null],
  ])("reads %s", (path, value) => {
    expect(readJsonPath(doc, path)).toEqual({ found: true, value });
  });

  it.each(["$.missing", "$.items[5]", "$.version.length", "$.items.id"])("reports %s as absent", (path) => {
    expect(readJsonPath(doc, path).found).toBe(false);
  });
});

describe("parseJsonPath", () => {
  it("rejects what it does not understand, saying where", () => {
    expect(() => parseJsonPath("version")).toThrow(/must start with \$/);
    expect(() => parseJsonPath("$.items[*]")).toThrow(/not understood at position 7/);
  });
});
