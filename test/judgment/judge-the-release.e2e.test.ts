import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  firstReleaseWithoutTraffic,
  goodAfterBad,
  type JudgmentRig,
  noErrorSeries,
  ruleOverBuckets,
  ruleWithFor,
  slowerThanPrevious,
  startJudgmentRig,
  tenPercentOfItsOwn,
  warningRuleOnlyWarns,
} from "./release-scenarios.js";

// Issue 13's "done when", against the real Prometheus scraping apps whose series carry color and version.
let rig: JudgmentRig;
beforeAll(async () => {
  rig = await startJudgmentRig();
}, 60_000);
afterAll(async () => {
  await rig?.stop();
});

describe("health-gate judges the release, not the service", () => {
  it("passes a good release while the bad release before it still has errors in the window", async () => {
    const { run, report, facts } = await goodAfterBad(rig);
    // Scoped to the color only, the window still holds v2's failures: the old gate rolled v3 back.
    expect(facts.colorWide).toBeGreaterThan(0.05);
    expect(run.exitCode, run.log).toBe(0);
    expect(report.analysis.judged).toBe("color green, version v3");
    const metric = report.analysis.metrics[0];
    expect(metric?.query).toBe(
      '(sum(rate(http_requests_total{job="s1",color="green",version="v3",code=~"5.."}[30s])) or vector(0)) / sum(rate(http_requests_total{job="s1",color="green",version="v3"}[30s]))',
    );
    expect(metric?.measurements.map((m) => m.value)).toEqual([0, 0, 0]);
  }, 120_000);

  it("passes a first release with zero traffic, saying there was no traffic to judge", async () => {
    const { run, report } = await firstReleaseWithoutTraffic(rig);
    expect(run.exitCode, run.log).toBe(0);
    expect(report.verdict).toBe("pass");
    expect(report.analysis.metrics.map((m) => [m.name, m.verdict, m["no-traffic"]])).toEqual([
      ["error-ratio", "pass", true],
      ["p95", "pass", true],
    ]);
    expect(run.summary).toContain("No traffic to judge");
    expect(run.annotations.some((a) => a.properties.title === "health-gate: no traffic to judge")).toBe(true);
  }, 120_000);

  it("measures an error ratio with no error series as 0, not inconclusive", async () => {
    const { run, report, facts } = await noErrorSeries(rig);
    expect(facts.oldShapeSeries).toBe(0); // the README's old query shape: empty, which used to be "no data"
    expect(run.exitCode, run.log).toBe(0);
    expect(report.analysis.metrics[0]?.measurements.map((m) => [m.outcome, m.value])).toEqual([
      ["pass", 0],
      ["pass", 0],
      ["pass", 0],
    ]);
  }, 120_000);

  it("catches a release failing 10% of its own requests while the service-wide ratio is under the threshold", async () => {
    const { run, report, facts } = await tenPercentOfItsOwn(rig);
    expect(facts.serviceWide).toBeLessThan(0.05);
    expect(run.exitCode).toBe(1);
    expect(report.verdict).toBe("fail");
    const failed = report.analysis.metrics[0]?.measurements.find((m) => m.outcome === "fail");
    expect(failed?.value).toBeGreaterThan(0.07);
    expect(failed?.value).toBeLessThan(0.13);
    // The verdict names the metric, value, threshold, window, the release and the scoped query.
    expect(run.outputs.reason).toMatch(
      /^error-ratio measured 0\.\d+, expected at most 0\.05 over 10s, judging color green, version v2: `\(sum\(rate\(http_requests_total\{job="s3",color="green",code=~"5\.\."\}\[10s\]\)\) or vector\(0\)\) \/ /,
    );
    expect(run.annotations.find((a) => a.level === "error")?.properties.title).toMatch(
      /^health-gate: analysis failed: error-ratio measured 0\.\d+, expected at most 0\.05 \(color green, version v2\)$/,
    );
  }, 120_000);

  it("gates on a pasted rule file: the 5xx-rate alert pends for its for: 1m, then fails", async () => {
    const { run, report } = await ruleWithFor(rig);
    expect(run.exitCode).toBe(1);
    const rule = report.analysis.metrics.find((m) => m.name === "app/HighErrorRate");
    expect(rule?.query).toBe('rate(http_requests_total{job="s4",color="green",code=~"5.."}[30s]) > 0.05');
    const shown = rule?.measurements.map((m) => m.display.replace(/ \(\d+ series\)/, "")) ?? [];
    expect(shown.slice(0, 4)).toEqual(["pending", "pending", "pending", "pending"]);
    const firing = rule?.measurements.find((m) => m.display.startsWith("firing"));
    expect(firing?.["at-ms"]).toBeGreaterThanOrEqual(60_000);
    expect(report.analysis.metrics.find((m) => m.name === "app/SlowRequests")?.verdict).toBe("pass");
    expect(run.outputs.reason).toContain("alert rule app/HighErrorRate");
  }, 200_000);

  it("fails a slow release on the histogram_quantile alert over _bucket at once", async () => {
    const { run, report } = await ruleOverBuckets(rig);
    expect(run.exitCode).toBe(1);
    const rule = report.analysis.metrics.find((m) => m.name === "app/SlowRequests");
    expect(rule?.verdict).toBe("fail");
    expect(rule?.query).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="s4",version="v3"}[30s]))) > 0.2',
    );
    expect(rule?.measurements[0]?.display).toMatch(/^firing/);
  }, 120_000);

  it("only warns on a severity: warning rule, and the slow old color is scoped out", async () => {
    const { run, report } = await warningRuleOnlyWarns(rig);
    expect(run.exitCode, run.log).toBe(0);
    expect(report.verdict).toBe("pass");
    expect(report.analysis.warnings.map((w) => w.metric)).toContain("app/LatencyCreeping");
    expect(run.annotations.some((a) => a.level === "warning" && a.message.includes("app/LatencyCreeping"))).toBe(true);
    expect(JSON.parse(run.outputs.warnings ?? "[]").length).toBeGreaterThan(0);
  }, 120_000);

  it("catches a release whose p95 is 3x the previous one with baseline: previous and no absolute threshold", async () => {
    const { run, report } = await slowerThanPrevious(rig);
    expect(run.exitCode, run.log).toBe(1);
    const metric = report.analysis.metrics[0];
    expect(metric?.verdict).toBe("fail");
    // The baseline is the old color's p95 over the window before the swap: it had no traffic after it.
    expect(metric?.measurements[0]?.note).toBeUndefined();
    expect(run.outputs.reason).toMatch(
      /^p95 measured [\d.]+ × baseline, expected at most 1\.5 × baseline 0\.\d+ over 10s, judging color green, version v2/,
    );
  }, 120_000);
});
