// Issue 11: no import cycle among the source files of actions/*/src and packages/*/src.
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, repoRoot, shown, sourceDirs, typescriptFiles } from "./import-graph.js";

describe("import cycles", () => {
  it("finds a cycle where there is one, and none in a tree", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(findCycles(cyclic)).toEqual([["a", "b", "c"], ["e"]]);
    expect(
      findCycles(
        new Map([
          ["a", ["b", "c"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("reads imports the way the sources write them (./x.js → x.ts, @cutover/<package> → its exports)", () => {
    const files = typescriptFiles(`${repoRoot}/actions/rollback/src`);
    const graph = importGraph(files);
    const main = graph.get(`${repoRoot}/actions/rollback/src/main.ts`) ?? [];
    expect(main.map(shown)).toEqual(expect.arrayContaining(["actions/rollback/src/inputs.ts", "packages/runner/src/index.ts"]));
  });

  it("has no cycle among the source files of actions and packages", () => {
    const files = sourceDirs().flatMap(typescriptFiles);
    expect(files.length).toBeGreaterThan(100);
    const cycles = findCycles(importGraph(files)).map((cycle) => cycle.map(shown).join(" → "));
    expect(cycles).toEqual([]);
  });
});
