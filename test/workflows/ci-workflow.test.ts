import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWorkflow } from "@cutover/sandbox";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../harness/action-metadata.js";

it("ci.yml's smoke-test job runs for real in the sandbox (checkout dropped: the workspace is this checkout)", async () => {
  const ci = parse(readFileSync(join(repoRoot, ".github", "workflows", "ci.yml"), "utf8")) as {
    jobs: Record<string, { steps: { uses?: string }[] }>;
  };
  const job = ci.jobs["smoke-test-action"];
  if (!job) throw new Error("ci.yml has no smoke-test-action job");
  const steps = job.steps.filter((step) => !step.uses?.startsWith("actions/checkout@"));
  expect(steps.length).toBe(job.steps.length - 1);
  const workspace = mkdtempSync(join(tmpdir(), "cutover-ci-"));
  try {
    for (const dir of ["actions", "dist"]) symlinkSync(join(repoRoot, dir), join(workspace, dir));
    const workflow = join(workspace, "ci-smoke.yml");
    writeFileSync(workflow, stringify({ on: "workflow_call", jobs: { "smoke-test-action": { ...job, steps } } }));
    const lines: string[] = [];
    const result = await runWorkflow({ workflow, workspace, repoRoot, print: (line) => lines.push(line) });
    expect(result.conclusion, lines.join("\n")).toBe("success");
    const smoke = result.jobs[0]?.steps.find((step) => step.id === "smoke");
    expect(smoke?.outputs).toMatchObject({ passed: "2", failed: "0" });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
