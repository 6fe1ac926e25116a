// issue 16: deploy.yml with traffic-steps 10, 50, 100 through the sandbox, HAProxy in front of the
// sample fleet (runtime API weights, no reload), a real Prometheus scraping both colors and users
// sending requests through HAProxy all along. A good release moves share by share; a leaky one is
// judged on its own errors at 10 % and gets no more: all traffic is back on the good release.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoRouter } from "../../examples/sandbox/demo-router.js";
import { type LoadStats, startLoad } from "../services/load-generator.js";
import { type DeployRun, type PipelineRig, startPipelineRig, step } from "./pipeline-rig.js";

const STEPPED = {
  "traffic-steps": "10, 50, 100",
  "step-duration": "4s",
  scope: '{ color: "{color}", version: "{version}" }',
  metrics: JSON.stringify([
    {
      name: "error ratio",
      kind: "ratio",
      errors: 'sample_requests_total{public="true",code=~"5.."}',
      total: 'sample_requests_total{public="true"}',
      window: "3s",
      max: 0.05,
    },
  ]),
  "inconclusive-limit": "3",
};

let rig: PipelineRig;
let good: DeployRun;
let leaky: DeployRun;
let load: LoadStats;
const lines: string[] = [];

beforeAll(async () => {
  rig = await startPipelineRig({
    prometheus: true,
    print: (line) => lines.push(line),
    router: async (servers) => {
      const router = await startDemoRouter("", servers, "blue", "haproxy");
      if (router.kind !== "haproxy") throw new Error("haproxy is not installed: run `bash scripts/install-e2e-deps.sh`");
      return router;
    },
  });
  const running = startLoad({ url: rig.router.publicUrl, rate: 40, sockets: 8 });
  try {
    good = await rig.deploy("2.0.0", STEPPED);
    leaky = await rig.deploy("3.0.0-leaky", STEPPED);
  } finally {
    load = await running.stop();
  }
}, 240_000);
afterAll(async () => {
  await rig?.close();
});

const shares = (run: DeployRun) =>
  (JSON.parse(step(run.result, "swap").outputs.steps ?? "[]") as { share: number; verdict?: string }[]).map((s) => [s.share, s.verdict]);

describe("deploy.yml with traffic-steps through real HAProxy and Prometheus", () => {
  it("moves a good release 10 % → 50 % → 100 %, each step judged on its own metrics, then bakes it", () => {
    expect(good.result.conclusion, lines.join("\n")).toBe("success");
    expect(shares(good)).toEqual([
      [10, "pass"],
      [50, "pass"],
      [100, undefined],
    ]);
    expect(good.result.outputs).toMatchObject({ outcome: "success", "active-color": "green" });
  });

  it("returns a leaky release to 0 % at its first step; the bake never runs", () => {
    expect(leaky.result.conclusion).toBe("failure");
    expect(shares(leaky)).toEqual([[10, "fail"]]);
    expect(leaky.result.outputs).toMatchObject({ outcome: "rolled-back", "active-color": "green" });
    expect(step(leaky.result, "bake").outcome).toBe("skipped");
    expect(step(leaky.result, "swap").outputs.reason).toContain("blue failed at 10% of traffic");
    expect(step(leaky.result, "outcome").summary).toContain("the 10% step failed, traffic returned");
  });

  it("users kept being answered throughout (HAProxy moves weights without a reload)", async () => {
    expect(load.sent).toBeGreaterThan(100);
    // Only the leaky release's own 500s at its 10 % share may fail; no connection was reset.
    expect(Object.keys(load.errors).filter((reason) => !reason.startsWith("status 500"))).toEqual([]);
    const answer = await fetch(rig.router.publicUrl, { signal: AbortSignal.timeout(5_000) });
    expect(await answer.json()).toMatchObject({ version: "2.0.0", color: "green" });
  });
});
