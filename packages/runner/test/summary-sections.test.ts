import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keepSummarySection, takeSummarySections } from "../src/summary-sections.js";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function runnerTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), "cutover-sections-"));
  temps.push(dir);
  return dir;
}

describe("summary sections", () => {
  it("are kept only when the workflow asks for it", () => {
    const env = { RUNNER_TEMP: runnerTemp() };
    expect(keepSummarySection("## smoke-test", env)).toBe(false);
    expect(readdirSync(env.RUNNER_TEMP)).toEqual([]);
  });

  it("come back in the order they were kept, once; later steps then write as usual", () => {
    const env = { RUNNER_TEMP: runnerTemp(), CUTOVER_COLLECT_SUMMARY: "true" };
    for (const section of ["## first", "## second", "## third"]) expect(keepSummarySection(section, env)).toBe(true);
    expect(takeSummarySections(env)).toEqual(["## first", "## second", "## third"]);
    expect(keepSummarySection("## after the outcome", env)).toBe(false);
    expect(takeSummarySections(env)).toEqual([]);
  });

  it("is empty when no step kept a section", () => {
    expect(takeSummarySections({ RUNNER_TEMP: runnerTemp(), CUTOVER_COLLECT_SUMMARY: "true" })).toEqual([]);
  });
});
