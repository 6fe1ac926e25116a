import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../../test/harness/run-action.js";
import { type PrometheusService, startPrometheus } from "../../../test/services/prometheus.js";
import { startTestApp, type TestApp } from "../../../test/services/prometheus-test-app.js";

// A real Prometheus (Debian package) scraping real apps every second; the apps' error rate and
// latency are set by the test.
const SCRAPE_S = 1;
let prometheus: PrometheusService;
let healthy: TestApp;
let failing: TestApp;

beforeAll(async () => {
  healthy = await startTestApp({ errorRate: 0, latencyMs: 20 });
  failing = await startTestApp({ errorRate: 0.05, latencyMs: 20 });
  prometheus = await startPrometheus(
    [
      { job: "healthy", address: healthy.address },
      { job: "failing", address: failing.address },
    ],
    SCRAPE_S,
  );
  // Enough samples for a 5s rate window.
  await prometheus.waitForSamples(6);
});

afterAll(async () => {
  await prometheus?.stop();
  await healthy?.stop();
  await failing?.stop();
});

const errorRate = (job: string) =>
  `sum(rate(http_requests_total{job="${job}",code=~"5.."}[5s])) / sum(rate(http_requests_total{job="${job}"}[5s]))`;
const p95 = (job: string) => `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="${job}"}[5s])))`;

function metrics(job: string): string {
  return JSON.stringify([
    { name: "error-rate", query: errorRate(job), max: 0.01, "baseline-query": errorRate("healthy"), "max-delta": 0.01 },
    { name: "p95-latency", query: p95(job), max: 0.3, "on-no-data": "fail" },
  ]);
}

describe("health-gate against a real Prometheus", () => {
  it("passes a healthy release and reports the measured values", async () => {
    const run = await runAction("health-gate", {
      url: `${healthy.url}/healthz`,
      expect: "json:\n  $.status: ok",
      interval: "200ms",
      "prometheus-url": prometheus.url,
      metrics: metrics("healthy"),
      "analysis-interval": "1s",
      "analysis-count": "3",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ healthy: "true", verdict: "pass" });
    const report = JSON.parse(run.outputs.report as string);
    const [rate, latency] = report.analysis.metrics;
    expect(rate.measurements.map((m: { value: number }) => m.value)).toEqual([0, 0, 0]);
    // 20ms answers land in the 0.01–0.025 bucket; histogram_quantile interpolates inside it.
    for (const m of latency.measurements) {
      expect(m.value).toBeGreaterThan(0.01);
      expect(m.value).toBeLessThanOrEqual(0.05);
    }
    expect(run.summary).toContain("##### ✅ error-rate: pass");
    expect(run.summary).toMatch(/\| 1 \| \d+ms \| 0 \| 0 \| at most 0\.01; at most baseline 0 \+ 0\.01 \(baseline \+ 0\) \| ✅ pass \|/);
  });

  it("fails a 5%-error release within analysis-interval × (failure-limit + 1) plus one scrape", async () => {
    const intervalMs = 2_000;
    const failureLimit = 1;
    const run = await runAction("health-gate", {
      "prometheus-url": prometheus.url,
      metrics: metrics("failing"),
      "analysis-interval": `${intervalMs}ms`,
      "analysis-count": "10",
      "failure-limit": String(failureLimit),
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: "false", verdict: "fail" });
    expect(run.durationMs).toBeLessThan(intervalMs * (failureLimit + 1) + SCRAPE_S * 1000);
    const report = JSON.parse(run.outputs.report as string);
    expect(report.analysis).toMatchObject({ verdict: "fail", taken: 2, "stopped-early": true });
    const rate = report.analysis.metrics[0];
    expect(rate.verdict).toBe("fail");
    for (const m of rate.measurements) {
      expect(m.outcome).toBe("fail");
      expect(m.value).toBeGreaterThan(0.03);
      expect(m.value).toBeLessThan(0.08);
      expect(m.baseline).toBe(0);
    }
    const annotation = run.annotations[0];
    expect(annotation?.properties.title).toMatch(/^health-gate: analysis failed: error-rate measured 0\.0\d+, expected at most 0\.01$/);
    expect(annotation?.message).toContain(`error-rate measurement 2 of \`${errorRate("failing")}\`: measured 0.0`);
    expect(annotation?.message).toContain("expected at most 0.01 and at most baseline 0 + 0.01");
    expect(run.summary).toContain("❌ **fail**");
  });
});
