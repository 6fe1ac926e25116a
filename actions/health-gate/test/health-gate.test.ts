import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAnswer, type FakePrometheus, startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { runAction, shown, startAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort, startTestServer } from "../../../test/harness/test-server.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function prometheus(answer: (query: string, n: number) => FakeAnswer, authorization?: string): Promise<FakePrometheus> {
  const fake = await startFakePrometheus({ answer, ...(authorization ? { authorization } : {}) });
  cleanups.push(() => fake.close());
  return fake;
}

const fast = { interval: "50ms", "request-timeout": "500ms", deadline: "5s" };
const quickAnalysis = { "analysis-interval": "100ms", "analysis-count": "4" };

const METRICS = `
- name: error-rate
  query: sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
  max: 0.01
- name: p95-latency
  query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))
  max: 0.3
`;

function report(run: { outputs: Record<string, string> }) {
  return JSON.parse(run.outputs.report as string);
}

describe("health-gate readiness", () => {
  it("passes a service that boots slowly and reports the timeline", async () => {
    const port = await closedPort();
    let answers = 0;
    const server = createServer((_req, res) => {
      answers++;
      res.statusCode = answers === 1 ? 503 : 200;
      res.end(JSON.stringify({ status: answers === 1 ? "starting" : "ok" }));
    });
    let timer: NodeJS.Timeout | undefined;
    cleanups.push(() => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close();
    });
    const running = startAction("health-gate", {
      url: `http://127.0.0.1:${port}/healthz`,
      expect: "json:\n  $.status: ok",
      ...fast,
    });
    // The service starts 600 ms after the gate's first (refused) probe, however long the gate took to start.
    await running.waitForLog("probe 1 at");
    timer = setTimeout(() => server.listen(port, "127.0.0.1"), 600);
    const run = await running.done;
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ healthy: "true", verdict: "pass" });
    expect(Number(run.outputs["time-to-healthy-ms"])).toBeGreaterThanOrEqual(300);
    expect(run.log).toContain("not answering yet; counts against the deadline only");
    expect(run.summary).toContain("#### Readiness: ✅ healthy in");
    expect(run.summary).toMatch(
      /\| First answer \| [\d.]+m?s \| 503 in [\d.]+ms \(status: 503, expected 2xx; json \$\.status: "starting", expected ok\) \|/,
    );
    expect(run.summary).toContain("| Healthy |");
    const r = report(run);
    expect(r.readiness.probes.length).toBeGreaterThanOrEqual(5);
    expect(r.readiness.probes[0]).toMatchObject({ answered: false, ok: false });
    expect(r.readiness["first-answer-ms"]).toBeGreaterThanOrEqual(300);
  });

  it("fails a flapping service on the unhealthy threshold", async () => {
    let n = 0;
    const server = await startTestServer((_req, res) => {
      n++;
      res.statusCode = n % 3 === 1 ? 200 : 502;
      res.end();
    });
    cleanups.push(() => server.close());
    const run = await runAction("health-gate", { url: server.url, ...fast, "unhealthy-threshold": "2", "healthy-threshold": "2" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: "false", verdict: "fail" });
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]?.properties.title).toBe("health-gate: endpoint unhealthy");
    expect(run.annotations[0]?.message).toContain("2 probes in a row failed after the endpoint had answered; last: 502 in");
    expect(report(run).readiness.probes.map((p: { status: number }) => p.status)).toEqual([200, 502, 502]);
  });

  it("fails a service that never answers at the deadline with a clear message", async () => {
    const port = await closedPort();
    const run = await runAction("health-gate", { url: `http://127.0.0.1:${port}/`, ...fast, deadline: "500ms" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe("false");
    expect(run.annotations[0]?.properties.title).toBe("health-gate: not healthy within 500ms");
    expect(run.annotations[0]?.message).toContain(`http://127.0.0.1:${port}/ never answered within the 500ms timeout`);
    expect(run.annotations[0]?.message).toContain("(the endpoint never answered)");
    expect(run.summary).toContain("| Deadline |");
  });

  it("stops polling at once on SIGTERM with a clear log line", async () => {
    const port = await closedPort();
    const running = startAction("health-gate", { url: `http://127.0.0.1:${port}/`, interval: "10s", deadline: "5m" });
    await running.waitForLog("probe 1");
    const killedAt = performance.now();
    running.kill("SIGTERM");
    const run = await running.done;
    expect(performance.now() - killedAt).toBeLessThan(1_500);
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain("health-gate: received SIGTERM, stopping and cleaning up");
    expect(run.log).toContain("health-gate: stopped at once (cancelled by SIGTERM) after 1 probe(s); no verdict was reached");
    expect(run.annotations[0]?.properties.title).toBe("health-gate: cancelled");
    expect(run.outputs.healthy).toBe("false");
    expect(run.outputs.verdict).toBeUndefined();
  });

  it("keeps header secrets out of everything it prints", async () => {
    const server = await startTestServer((req, res) => {
      res.statusCode = req.headers["x-api-key"] === "k3y-very-secret" ? 500 : 200;
      res.end("down");
    });
    cleanups.push(() => server.close());
    const run = await runAction("health-gate", {
      url: server.url,
      headers: "x-api-key: k3y-very-secret",
      expect: "body-contains: k3y-very-secret",
      ...fast,
    });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toContain("k3y-very-secret");
    expect(visibleText(run)).not.toContain("k3y-very-secret");
  });
});

describe("health-gate metric analysis", () => {
  it("passes a healthy release and shows every value against its threshold", async () => {
    const fake = await prometheus((query) => ({ vector: [query.includes("histogram_quantile") ? 0.12 : 0.002] }), "Bearer pr0m-t0ken");
    const run = await runAction("health-gate", {
      "prometheus-url": fake.url,
      "prometheus-headers": "Authorization: Bearer pr0m-t0ken",
      metrics: METRICS,
      ...quickAnalysis,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ healthy: "true", verdict: "pass" });
    expect(run.outputs["time-to-healthy-ms"]).toBeUndefined();
    expect(fake.queries).toHaveLength(8);
    const r = report(run);
    expect(r.analysis.metrics[0].measurements).toHaveLength(4);
    expect(r.analysis.metrics[1].measurements[0]).toMatchObject({ value: 0.12, display: "0.12", outcome: "pass" });
    expect(run.summary).toContain("##### ✅ p95-latency: pass");
    expect(run.summary).toMatch(/\| 1 \| \d+ms \| 0\.12 \| at most 0\.3 \| ✅ pass \|/);
    expect(run.log).toMatch(/✓ error-rate #1\/4: 0\.002 — at most 0\.01/);
    expect(visibleText(run)).not.toContain("pr0m-t0ken");
  });

  it("fails a bad release at the first failed measurement, quoting query, value and threshold", async () => {
    const fake = await prometheus((query, n) => ({ vector: [query.includes("histogram_quantile") ? 0.1 : n >= 2 ? 0.052 : 0.001] }));
    const run = await runAction("health-gate", { "prometheus-url": fake.url, metrics: METRICS, ...quickAnalysis, "analysis-count": "10" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: "false", verdict: "fail" });
    const annotation = run.annotations[0];
    expect(annotation?.properties.title).toBe("health-gate: analysis failed: error-rate measured 0.052, expected at most 0.01");
    expect(annotation?.message).toContain(
      '- error-rate measurement 2 of `sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))`: measured 0.052, expected at most 0.01',
    );
    const r = report(run);
    expect(r.analysis).toMatchObject({ verdict: "fail", taken: 2, planned: 10, "stopped-early": true });
    expect(run.summary).toMatch(/\| 2 \| \d+ms \| \*\*0\.052\*\* \| ❌ at most 0\.01 \| ❌ \*\*fail\*\* \|/);
    expect(run.summary).toContain("stopped early");
  });

  it("says it could not judge when Prometheus answers 500, and fails by default", async () => {
    const fake = await prometheus(() => ({ raw: "Internal Server Error", httpStatus: 500 }));
    const run = await runAction("health-gate", {
      "prometheus-url": fake.url,
      metrics: "- name: error-rate\n  query: errors\n  max: 0.01",
      ...quickAnalysis,
      "analysis-count": "10",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: "false", verdict: "inconclusive" });
    expect(run.annotations[0]?.properties.title).toContain("health-gate: inconclusive: could not judge the release");
    expect(shown(run.annotations[0])).toContain("this says nothing about the app's health");
    expect(shown(run.annotations[0])).toContain("Prometheus answered HTTP 500 (Internal Server Error)");
    // 3 measurements in a row, each asked 3 times (2 retries), then it stops.
    expect(fake.queries).toHaveLength(9);
  });

  it("lets an inconclusive verdict through with a warning when on-inconclusive is pass", async () => {
    const fake = await prometheus(() => ({ vector: [] }));
    const run = await runAction("health-gate", {
      "prometheus-url": fake.url,
      metrics: "- name: error-rate\n  query: errors\n  max: 0.01",
      ...quickAnalysis,
      "on-inconclusive": "pass",
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ healthy: "true", verdict: "inconclusive" });
    expect(run.annotations).toEqual([expect.objectContaining({ level: "warning" })]);
    expect(run.annotations[0]?.message).toContain("no data (empty result)");
  });

  it("polls readiness first, then measures, and skips analysis when readiness fails", async () => {
    const fake = await prometheus(() => ({ vector: [0] }));
    const app = await startTestServer((_req, res) => res.end("ok"));
    cleanups.push(() => app.close());
    const both = await runAction("health-gate", {
      url: app.url,
      ...fast,
      "prometheus-url": fake.url,
      metrics: "- name: error-rate\n  query: errors\n  max: 0.01",
      ...quickAnalysis,
      "analysis-count": "2",
    });
    expect(both.exitCode, both.stdout).toBe(0);
    expect(both.log.indexOf("Readiness: healthy")).toBeLessThan(both.log.indexOf("Judging the service: 1 metric(s)"));
    expect(both.summary).toContain("#### Analysis: ✅ pass after 2 of 2 measurement(s)");

    const port = await closedPort();
    const queriesBefore = fake.queries.length;
    const down = await runAction("health-gate", {
      url: `http://127.0.0.1:${port}`,
      ...fast,
      deadline: "300ms",
      "prometheus-url": fake.url,
      metrics: "- name: error-rate\n  query: errors\n  max: 0.01",
    });
    expect(down.exitCode).toBe(1);
    expect(down.outputs.verdict).toBe("fail");
    expect(fake.queries.length).toBe(queriesBefore);
  });

  it("stops measuring at once on SIGTERM", async () => {
    const fake = await prometheus(() => ({ vector: [0] }));
    const running = startAction("health-gate", {
      "prometheus-url": fake.url,
      metrics: "- name: error-rate\n  query: errors\n  max: 0.01",
    });
    await running.waitForLog("error-rate #1/5");
    const killedAt = performance.now();
    running.kill("SIGTERM");
    const run = await running.done;
    expect(performance.now() - killedAt).toBeLessThan(1_500);
    expect(run.log).toContain("stopped at once (cancelled by SIGTERM) after 1 measurement(s)");
    expect(report(run).analysis.metrics[0].measurements).toHaveLength(1);
  });
});

describe("health-gate inputs", () => {
  it("needs url or metrics", async () => {
    const run = await runAction("health-gate", {});
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain("input 'url': nothing was given; expected url, metrics, alert-rules, or several");
  });

  it("names the metric path, the value given and what is expected", async () => {
    const run = await runAction("health-gate", {
      "prometheus-url": "http://127.0.0.1:9",
      metrics: "- name: error-rate\n  query: errors\n  max: high\n  on-no-data: ignore",
    });
    expect(run.exitCode).toBe(1);
    const message = run.annotations[0]?.message ?? "";
    expect(message).toContain(`input 'metrics' at [0].max: got "high"; expected a number`);
    expect(message).toContain(`input 'metrics' at [0].on-no-data: got "ignore"; expected one of "fail", "pass", "inconclusive"`);
  });

  it("requires prometheus-url with metrics", async () => {
    const run = await runAction("health-gate", { metrics: "- name: up\n  query: up\n  min: 1" });
    expect(run.annotations[0]?.message).toContain("input 'prometheus-url': nothing was given; expected the Prometheus base URL");
  });
});
