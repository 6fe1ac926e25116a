import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAction } from "../../../test/harness/run-action.js";

const stagesPassed =
  "preflight: success\nrouter: success\nplan: skipped\nopen: success\nmigrate: skipped\ndeploy: success\nsmoke: success\ngate-idle: success\nswap: success\n";

describe("outcome bundle", () => {
  it("a deploy whose bake failed and was swapped back: rolled back, the bake's finding in the reason", async () => {
    const run = await runAction("outcome", {
      workflow: "deploy",
      "job-status": "failure",
      environment: "production",
      version: "v1.4.2",
      stages: `${stagesPassed}bake: failure\n`,
      "stage-reasons": `gate-idle: ""\nbake: ${JSON.stringify('error ratio of green 0.12 > 0.05 over 5m: "5xx" | rising')}\n`,
      "previous-color": "blue",
      color: "green",
      switched: "true",
      "switched-back": "success",
      "switched-at": "2026-12-02T07:31:02Z",
      "switched-back-at": "2026-12-02T07:36:10Z",
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      outcome: "rolled-back",
      "ledger-status": "failure",
      "slack-status": "rolled-back",
      "active-color": "blue",
      "failed-stage": "bake",
      summary: "the bake on live traffic failed; traffic is back on blue",
      reason: 'the bake on live traffic failed; traffic is back on blue — error ratio of green 0.12 > 0.05 over 5m: "5xx" | rising',
    });
    expect(run.summary).toContain("## ↩️ production: deploy of v1.4.2 — rolled-back");
    expect(run.summary).toContain("07:31:02 UTC **green** took traffic (swap) → 07:36:10 UTC **blue** swapped back");
    // A pipe in a finding must not break the overview's table.
    expect(run.summary).toContain("\\| rising");
  });

  it("opens the job summary with the overview, above the sections the steps kept aside", async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), "cutover-outcome-"));
    const sections = join(runnerTemp, "cutover-summary-sections");
    mkdirSync(sections);
    writeFileSync(join(sections, "000001764660662000-11-0001.md"), "### Smoke test\nall 3 checks passed\n");
    writeFileSync(join(sections, "000001764660663000-12-0001.md"), "### Bake\nhealthy\n");
    const run = await runAction(
      "outcome",
      {
        workflow: "deploy",
        "job-status": "success",
        environment: "staging",
        version: "v2",
        stages: `${stagesPassed}bake: success\n`,
        "previous-color": "blue",
        color: "green",
        switched: "true",
        "switched-at": "2026-12-02T07:31:02Z",
      },
      { env: { RUNNER_TEMP: runnerTemp, CUTOVER_COLLECT_SUMMARY: "true" } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe("success");
    const overview = run.summary.indexOf("## ✅ staging: deploy of v2 — success");
    expect(overview).toBe(0);
    expect(run.summary.indexOf("### Smoke test")).toBeGreaterThan(overview);
    expect(run.summary.indexOf("### Bake")).toBeGreaterThan(run.summary.indexOf("### Smoke test"));
    expect(run.summary).toContain("every stage passed, the last one the bake on live traffic");
  });

  it("refuses a stage the workflow does not have, before deciding anything", async () => {
    const run = await runAction("outcome", {
      workflow: "deploy",
      "job-status": "failure",
      environment: "production",
      stages: "router: success\nsmoke-test: failure\n",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBeUndefined();
    const error = run.annotations.find((a) => a.level === "error")?.message ?? "";
    expect(error).toContain("input 'stages' at smoke-test");
    expect(error).toContain("a stage of deploy.yml");
  });

  it("a rollback by traffic names the color the rollback step left", async () => {
    const run = await runAction("outcome", {
      workflow: "rollback",
      "job-status": "success",
      environment: "production",
      version: "v1.4.1",
      strategy: "traffic",
      stages: "checkout: success\npreflight: success\nslack: success\nrollback: success\nrouter: skipped\n",
      "rollback-color": "blue",
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: "success", "slack-status": "rolled-back", "active-color": "blue" });
    expect(run.summary).toContain("**blue** serves when the run ends");
  });
});
