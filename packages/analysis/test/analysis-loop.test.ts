import { CancelledError } from "@cutover/core";
import { HttpClient } from "@cutover/http-checks";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAnswer, type FakePrometheus, startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { type AnalysisOptions, type MetricSpec, metricListSchema, runAnalysis } from "../src/index.js";

let fake: FakePrometheus | undefined;
const client = new HttpClient();

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const errorRate = (extra: Partial<MetricSpec> = {}): MetricSpec => ({
  name: "error-rate",
  query: "errors",
  max: 0.01,
  "on-no-data": "inconclusive",
  ...extra,
});

async function analyse(answer: (query: string, n: number) => FakeAnswer, options: Partial<AnalysisOptions> = {}) {
  fake = await startFakePrometheus({ answer });
  return runAnalysis({
    provider: new (await import("../src/index.js")).PrometheusClient({ url: fake.url, timeoutMs: 300, client }),
    metrics: [errorRate()],
    intervalMs: 60,
    count: 5,
    failureLimit: 0,
    inconclusiveLimit: 1,
    initialDelayMs: 0,
    ...options,
  });
}

describe("runAnalysis", () => {
  it("passes when every measurement is within its threshold, taking the full count on schedule", async () => {
    const started = performance.now();
    const result = await analyse(() => ({ vector: [0.002] }));
    expect(result.verdict).toBe("pass");
    expect(result.taken).toBe(5);
    expect(result.stoppedEarly).toBe(false);
    expect(result.metrics[0]?.measurements.map((m) => m.display)).toEqual(["0.002", "0.002", "0.002", "0.002", "0.002"]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 60 - 5);
  });

  it("fails at the first failed measurement when failure-limit is 0, showing value and threshold", async () => {
    const result = await analyse((_q, n) => ({ vector: [n >= 2 ? 0.052 : 0.001] }));
    expect(result.verdict).toBe("fail");
    expect(result.taken).toBe(2);
    expect(result.stoppedEarly).toBe(true);
    const failed = result.metrics[0]?.measurements[1];
    expect(failed).toMatchObject({ outcome: "fail", value: 0.052, display: "0.052" });
    expect(failed?.checks).toEqual([{ threshold: "max", expected: "at most 0.01", measured: "0.052", ok: false }]);
    expect(result.reason).toBe("error-rate: 1 failed measurement(s), more than the failure-limit of 0 (last 0.052, expected at most 0.01)");
  });

  it("tolerates failures up to failure-limit and fails on the next one", async () => {
    const result = await analyse((_q, n) => ({ vector: [n % 2 === 0 ? 0.5 : 0] }), { failureLimit: 1 });
    expect(result.verdict).toBe("fail");
    expect(result.taken).toBe(4);
    expect(result.metrics[0]?.counts).toMatchObject({ pass: 2, fail: 2 });
  });

  it("judges +Inf against max as a failure and keeps the text in the report (JSON has no Infinity)", async () => {
    const result = await analyse(() => ({ vector: [Number.POSITIVE_INFINITY] }));
    expect(result.metrics[0]?.measurements[0]).toMatchObject({ outcome: "fail", value: null, display: "+Inf" });
  });

  it("applies on-no-data: inconclusive beyond inconclusive-limit, pass, or fail", async () => {
    const inconclusive = await analyse(() => ({ vector: [] }));
    expect(inconclusive.verdict).toBe("inconclusive");
    expect(inconclusive.taken).toBe(2);
    expect(inconclusive.reason).toContain("2 inconclusive measurement(s), more than the inconclusive-limit of 1 (no data (empty result)");
    await fake?.close();
    const pass = await analyse(() => ({ vector: [Number.NaN] }), { metrics: [errorRate({ "on-no-data": "pass" })], count: 2 });
    expect(pass.verdict).toBe("pass");
    expect(pass.metrics[0]?.measurements[0]?.note).toMatch(/^no data \(NaN/);
    await fake?.close();
    const fail = await analyse(() => ({ vector: [] }), { metrics: [errorRate({ "on-no-data": "fail" })] });
    expect(fail.verdict).toBe("fail");
    expect(fail.taken).toBe(1);
  });

  it("retries a Prometheus answering 500 within a measurement and carries on when it recovers", async () => {
    const result = await analyse((_q, n) => (n === 1 ? { raw: "Internal Server Error", httpStatus: 500 } : { vector: [0] }), { count: 2 });
    expect(result.verdict).toBe("pass");
    expect(fake?.queries.length).toBe(3);
  });

  it("turns consecutive Prometheus errors into inconclusive, saying it could not measure", async () => {
    const result = await analyse(() => ({ error: "no healthy upstream", errorType: "unavailable" }), {
      count: 10,
      consecutiveErrorLimit: 2,
      queryRetries: 1,
    });
    expect(result.verdict).toBe("inconclusive");
    expect(result.taken).toBe(3);
    expect(result.metrics[0]?.counts.error).toBe(3);
    expect(result.reason).toBe(
      "error-rate: could not be measured 3 times in a row (Prometheus answered HTTP 503 (unavailable: no healthy upstream))",
    );
    expect(fake?.queries.length).toBe(6);
  });

  it("stops at once on a rejected query instead of asking again", async () => {
    const result = await analyse(() => ({ error: "1:1: parse error: unexpected character", errorType: "bad_data" }));
    expect(result.verdict).toBe("inconclusive");
    expect(result.taken).toBe(1);
    expect(fake?.queries.length).toBe(1);
    expect(result.reason).toContain("could not be measured: Prometheus rejected the query");
  });

  it("compares against a baseline with max-ratio and max-delta", async () => {
    const metric = errorRate({ max: undefined, "baseline-query": "baseline", "max-ratio": 1.5, "max-delta": 0.01 });
    const result = await analyse((query) => ({ vector: [query === "baseline" ? 0.01 : 0.018] }), { metrics: [metric] });
    expect(result.verdict).toBe("fail");
    const m = result.metrics[0]?.measurements[0];
    expect(m).toMatchObject({ baseline: 0.01, baselineDisplay: "0.01", outcome: "fail" });
    expect(m?.checks).toEqual([
      { threshold: "max-ratio", expected: "at most 1.5 × baseline 0.01", measured: "1.8 × baseline", ok: false },
      { threshold: "max-delta", expected: "at most baseline 0.01 + 0.01", measured: "baseline + 0.008", ok: true },
    ]);
  });

  it("judges a value against a zero baseline: equal passes, anything above fails max-ratio", async () => {
    const metric = errorRate({ max: undefined, "baseline-query": "baseline", "max-ratio": 2 });
    const equal = await analyse(() => ({ vector: [0] }), { metrics: [metric], count: 1 });
    expect(equal.verdict).toBe("pass");
    await fake?.close();
    const above = await analyse((q) => ({ vector: [q === "baseline" ? 0 : 0.001] }), { metrics: [metric], count: 1 });
    expect(above.metrics[0]?.measurements[0]?.checks[0]).toMatchObject({ measured: "+Inf × baseline", ok: false });
  });

  it("waits the initial delay before the first measurement", async () => {
    const started = performance.now();
    const result = await analyse(() => ({ vector: [0] }), { count: 1, initialDelayMs: 150 });
    expect(result.metrics[0]?.measurements[0]?.atMs).toBeGreaterThanOrEqual(145);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("stops waiting at once when cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError("cancelled by SIGTERM")), 100);
    const started = performance.now();
    await expect(analyse(() => ({ vector: [0] }), { intervalMs: 10_000, signal: controller.signal })).rejects.toThrow(
      "cancelled by SIGTERM",
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("judges every metric in a round and fails on the one that is over", async () => {
    const metrics = metricListSchema.parse([
      { name: "error-rate", query: "errors", max: 0.01 },
      { name: "p95-latency", query: "latency", max: 0.3 },
    ]);
    const result = await analyse((query) => ({ vector: [query === "latency" ? 0.9 : 0] }), { metrics });
    expect(result.verdict).toBe("fail");
    expect(result.metrics.map((m) => m.verdict)).toEqual(["pass", "fail"]);
    expect(result.reason).toMatch(/^p95-latency: /);
  });
});

describe("metricListSchema", () => {
  it("requires a threshold and a baseline comparison with a baseline query", () => {
    const result = metricListSchema.safeParse([
      { name: "a", query: "x" },
      { name: "b", query: "y", "max-ratio": 2 },
      { name: "b", query: "z", max: 1 },
    ]);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      "0: at least one threshold: max, min, warn-max, warn-min, or baseline: previous / baseline-query with max-ratio/max-delta",
      "1.max-ratio: baseline: previous or a baseline-query to compare against",
      "2.name: a name no other metric uses",
    ]);
  });
});
