import { FileLedger } from "@cutover/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SLOW_RELEASE_DELAY_MS } from "../../examples/sandbox/sample-fleet.js";
import { type LoadStats, startLoad } from "../services/load-generator.js";
import { MAX_MEAN_LATENCY_S, type PipelineRig, startPipelineRig, step } from "./pipeline-rig.js";

// deploy.yml itself, run by the sandbox executor, with real nginx as the router and a real
// Prometheus scraping both colors, under open-loop load through nginx for both deployments:
// 2.0.0 (good: swap, bake passes) then 3.0.0-slow (correct answers, 150 ms late: passes the smoke
// test and the idle gate, fails the bake's mean-latency analysis, traffic goes back on its own).
const RATE = 200;
const GOOD = "2.0.0";
const SLOW = "3.0.0-slow";

type Answer = { version: string; color: string };

let rig: PipelineRig;
let load: LoadStats;
let good: Awaited<ReturnType<PipelineRig["deploy"]>>;
let slow: Awaited<ReturnType<PipelineRig["deploy"]>>;
const servingAfter: Answer[] = [];
const lines: string[] = [];

async function serving(): Promise<Answer> {
  const response = await fetch(rig.router.publicUrl, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Answer;
}

beforeAll(async () => {
  rig = await startPipelineRig({ prometheus: true, print: (line) => lines.push(line) });
  // 64 sockets: the slow release holds each request 150 ms, 200 req/s need ~30 at once.
  const running = startLoad({ url: rig.router.publicUrl, rate: RATE, sockets: 64 });
  try {
    good = await rig.deploy(GOOD);
    servingAfter.push(await serving());
    slow = await rig.deploy(SLOW);
    servingAfter.push(await serving());
    // Keep the load on a moment after the rollback: requests in flight across it must land too.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    load = await running.stop();
    console.log(`load through nginx: ${JSON.stringify(load)}`);
  }
  for (const [version, run] of [
    [GOOD, good],
    [SLOW, slow],
  ] as const) {
    const measured = report(run.result, "bake").analysis?.metrics[0]?.measurements ?? [];
    console.log(
      `${version} bake mean latency (s): ${measured.map((m: { display: string; outcome: string }) => `${m.display} ${m.outcome}`).join(", ")}`,
    );
  }
}, 110_000);

afterAll(async () => {
  await rig?.close();
});

const report = (result: Awaited<ReturnType<PipelineRig["deploy"]>>["result"], id: string) =>
  JSON.parse(step(result, id).outputs.report ?? "{}");

describe("deploy.yml under load through real nginx, with a real Prometheus", () => {
  it("runs through nginx at 200 req/s with zero failed requests across both deployments and the rollback", () => {
    expect(rig.router.kind, "the e2e tier needs real nginx (bash scripts/install-e2e-deps.sh)").toBe("nginx");
    expect(load.failed, JSON.stringify(load.errors)).toBe(0);
    expect(load.succeeded).toBe(load.sent);
    expect(load.requestsPerSecond).toBeGreaterThanOrEqual(RATE * 0.95);
    // Both colors really served users: blue (1.0.0, then the slow 3.0.0) and green (2.0.0).
    expect(load.byColor.blue).toBeGreaterThan(RATE);
    expect(load.byColor.green).toBeGreaterThan(RATE);
    // Resends (idle keep-alive connections nginx closed on reload, GETs retried once) are reported, not hidden.
    console.log(`resent after a reload reset: ${load.resent} of ${load.sent}`);
  });

  it("deploys the good release: swap blue → green, the bake's latency analysis passes", () => {
    expect(good.result.conclusion, lines.join("\n")).toBe("success");
    expect(good.result.outputs).toMatchObject({ outcome: "success", "active-color": "green", "previous-color": "blue", version: GOOD });
    expect(servingAfter[0]).toMatchObject({ version: GOOD, color: "green" });
    const bake = report(good.result, "bake");
    expect(bake.verdict).toBe("pass");
    const latency = bake.analysis.metrics[0];
    expect(latency.verdict).toBe("pass");
    const values = latency.measurements.map((m: { value: number | null }) => m.value).filter((v: number | null) => v !== null);
    expect(values.length).toBeGreaterThanOrEqual(3);
    for (const value of values) expect(value).toBeLessThan(MAX_MEAN_LATENCY_S);
    expect(step(good.result, "swap-back").outcome).toBe("skipped");
  });

  it("catches the slow release in the bake by its Prometheus latency and swaps back on its own", () => {
    expect(slow.result.conclusion).toBe("failure");
    expect(slow.result.outputs).toMatchObject({
      outcome: "rolled-back",
      "active-color": "green",
      "previous-color": "green",
      version: SLOW,
    });
    expect(servingAfter[1]).toMatchObject({ version: GOOD, color: "green" });
    // It passed everything before the swap: only live traffic showed it.
    for (const id of ["smoke", "gate-idle", "swap"]) expect(step(slow.result, id).outcome, id).toBe("success");
    expect(step(slow.result, "swap").outputs["active-color"]).toBe("blue");
    expect(step(slow.result, "bake").outcome).toBe("failure");
    const bake = report(slow.result, "bake");
    expect(bake.readiness.healthy).toBe(true);
    expect(bake.analysis.verdict).toBe("fail");
    const failed = bake.analysis.metrics[0].measurements.filter((m: { outcome: string }) => m.outcome === "fail");
    expect(failed).toHaveLength(1);
    expect(failed[0].value).toBeGreaterThan(SLOW_RELEASE_DELAY_MS / 1000);
    expect(failed[0].value).toBeLessThan(1);
    expect(step(slow.result, "swap-back").outcome).toBe("success");
    expect(step(slow.result, "swap-back").outputs["active-color"]).toBe("green");
  });

  it("the slow release really served users before the rollback (Prometheus saw it)", async () => {
    if (!rig.prometheus) throw new Error("the rig was started without Prometheus");
    const data = await rig.prometheus.query(`sum(sample_requests_total{version="${SLOW}",public="true"})`);
    const served = Number((data.result as { value: [number, string] }[])[0]?.value[1] ?? 0);
    expect(served).toBeGreaterThan(RATE * 0.5);
  });

  it("records 2.0.0 as success and 3.0.0-slow as failure in the file ledger", async () => {
    const { records } = await new FileLedger(rig.ledgerFile).list(rig.environment);
    const byVersion = new Map(records.map((record) => [record.payload.version, record]));
    expect(byVersion.get(GOOD)).toMatchObject({ state: "success", payload: { color: "green", replacedColor: "blue" } });
    expect(byVersion.get(SLOW)).toMatchObject({ state: "failure", payload: { color: "blue", replacedColor: "green" } });
    expect(byVersion.get(SLOW)?.description ?? byVersion.get(SLOW)?.statuses[0]?.description).toContain("bake");
  });

  it("previews the Slack messages: success, then rolled back", () => {
    for (const [run, status, headline] of [
      [good.result, "success", `✅ Deployed ${GOOD}`],
      [slow.result, "rolled-back", `↩️ Rolled back e2e from ${SLOW}`],
    ] as const) {
      expect(step(run, "outcome").outputs["slack-status"]).toBe(status);
      const update = step(run, "8 · Update the Slack message");
      expect(update.outcome).toBe("success");
      expect(update.outputs.delivery).toBe("preview");
      expect(JSON.parse(update.outputs.payload ?? "{}").text).toContain(headline);
    }
  });
});
