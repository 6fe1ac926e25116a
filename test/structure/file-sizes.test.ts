// Issue 11: actions stay wiring (no file in actions/*/src over 200 lines, the rollback action's
// src/ under 450 lines in all) and engines stay readable (no file in packages/*/src over 450 lines).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, shown, sourceDirs, typescriptFiles } from "./import-graph.js";

const MAX_ACTION_FILE = 200;
const MAX_ROLLBACK_ACTION = 450;
const MAX_PACKAGE_FILE = 450;

function lines(file: string): number {
  const text = readFileSync(file, "utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

const files = sourceDirs().flatMap(typescriptFiles);
const over = (prefix: string, max: number) =>
  files
    .filter((file) => shown(file).startsWith(prefix))
    .map((file) => ({ file: shown(file), lines: lines(file) }))
    .filter((entry) => entry.lines > max);

describe("source file sizes", () => {
  it("counts lines as wc -l does", () => {
    expect(lines(join(repoRoot, "actions/rollback/src/main.ts"))).toBe(
      readFileSync(join(repoRoot, "actions/rollback/src/main.ts"), "utf8").match(/\n/g)?.length,
    );
  });

  it(`no file in actions/*/src is over ${MAX_ACTION_FILE} lines`, () => {
    expect(files.some((file) => shown(file).startsWith("actions/"))).toBe(true);
    expect(over("actions/", MAX_ACTION_FILE)).toEqual([]);
  });

  it(`the rollback action's src/ is under ${MAX_ROLLBACK_ACTION} lines in all`, () => {
    const rollback = typescriptFiles(join(repoRoot, "actions/rollback/src"));
    expect(rollback.length).toBeGreaterThan(0);
    expect(rollback.reduce((sum, file) => sum + lines(file), 0)).toBeLessThan(MAX_ROLLBACK_ACTION);
  });

  it(`no file in packages/*/src is over ${MAX_PACKAGE_FILE} lines`, () => {
    expect(over("packages/", MAX_PACKAGE_FILE)).toEqual([]);
  });
});
