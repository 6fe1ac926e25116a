import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadStats, startLoad } from "../services/load-generator.js";
import { type DeployRun, type PipelineRig, startPipelineRig, step } from "./pipeline-rig.js";

// deploy.yml through the sandbox with real nginx and a real Prometheus: the pre-swap load gate
// refuses a slow release on the idle color (no user request reaches it), and a good release's
// bake is judged scoped to its version, with the team's rule file and the bake inputs passed on.
const SLOW = "3.0.0-slow";
const GOOD = "2.0.0";
const LOAD = "{ path: /, requests: 60, concurrency: 6, max-p95: 100ms, min-success-rate: 0.99 }";

let rig: PipelineRig;
let slow: DeployRun;
let good: DeployRun;
let load: LoadStats;
const lines: string[] = [];

const count = async (promql: string) => {
  const data = await rig.prometheus?.query(promql);
  return Number((data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1] ?? 0);
};
const report = (run: DeployRun, id: string) => JSON.parse(step(run.result, id).outputs.report ?? "{}");

beforeAll(async () => {
  rig = await startPipelineRig({ prometheus: true, print: (line) => lines.push(line) });
  writeFileSync(
    join(rig.workspace, "alerts.yml"),
    'groups:\n  - name: sample\n    rules:\n      - alert: Errors\n        expr: sum(rate(sample_requests_total{code=~"5.."}[3s])) > 0\n        labels: { severity: critical }\n',
  );
  const running = startLoad({ url: rig.router.publicUrl, rate: 50, sockets: 16 });
  try {
    slow = await rig.deploy(SLOW, { load: LOAD, metrics: "" });
    good = await rig.deploy(GOOD, {
      load: LOAD,
      scope: '{ version: "{version}" }',
      "alert-rules": "alerts.yml",
      metrics: JSON.stringify([
        {
          name: "public error ratio",
          kind: "ratio",
          errors: 'sample_requests_total{public="true",code=~"5.."}',
          total: 'sample_requests_total{public="true"}',
          window: "3s",
          max: 0.01,
        },
      ]),
      "initial-delay": "1s",
      "failure-limit": "0",
      "inconclusive-limit": "2",
      "on-inconclusive": "fail",
    });
  } finally {
    load = await running.stop();
  }
}, 170_000);

afterAll(async () => {
  await rig?.close();
});

describe("deploy.yml's pre-swap load gate and the bake's inputs", () => {
  it("refuses the slow release on the idle color before the swap", () => {
    expect(slow.result.conclusion, lines.join("\n")).toBe("failure");
    expect(slow.result.outputs).toMatchObject({ outcome: "failure", "active-color": "blue" });
    expect(step(slow.result, "smoke").outcome).toBe("failure");
    expect(step(slow.result, "swap").outcome).toBe("skipped");
    expect(Number(step(slow.result, "smoke").outputs["p95-ms"])).toBeGreaterThan(100);
  });

  it("no request reached the slow release through the public URL; the load went straight to the idle color", async () => {
    expect(await count(`sum(sample_requests_total{version="${SLOW}",public="true"})`)).toBe(0);
    expect(await count(`sum(sample_requests_total{version="${SLOW}",public="false"})`)).toBeGreaterThanOrEqual(60);
    expect(load.failed, JSON.stringify(load.errors)).toBe(0);
  });

  it("bakes the good release scoped to its version, with the rule file and the bake inputs passed on", () => {
    expect(good.result.conclusion, lines.join("\n")).toBe("success");
    const bake = report(good, "bake");
    expect(bake.analysis.judged).toBe(`color green, version ${GOOD} in e2e`);
    expect(bake.analysis["alert-rules"]).toBe("alerts.yml");
    expect(bake.analysis["failure-limit"]).toBe(0);
    expect(bake.analysis["inconclusive-limit"]).toBe(2);
    const names = bake.analysis.metrics.map((m: { name: string; query: string }) => [m.name, m.query]);
    expect(names).toEqual([
      [
        "public error ratio",
        `(sum(rate(sample_requests_total{version="${GOOD}",public="true",code=~"5.."}[3s])) or vector(0)) / sum(rate(sample_requests_total{version="${GOOD}",public="true"}[3s]))`,
      ],
      ["sample/Errors", `sum(rate(sample_requests_total{version="${GOOD}",code=~"5.."}[3s])) > 0`],
    ]);
  });
});
