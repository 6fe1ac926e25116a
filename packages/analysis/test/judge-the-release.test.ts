import { ConfigError } from "@cutover/core";
import { HttpClient } from "@cutover/http-checks";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeAnswer, type FakePrometheus, startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import {
  type AnalysisOptions,
  loadPromqlGrammar,
  type MetricSpec,
  metricListSchema,
  metricQueries,
  PrometheusClient,
  parseAlertRules,
  runAnalysis,
} from "../src/index.js";

let fake: FakePrometheus | undefined;
const client = new HttpClient();
// The schemas and rule files parse PromQL synchronously, as an action's inputs do after its preload.
beforeAll(loadPromqlGrammar);
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const release = { color: "green", "previous-color": "blue", version: "v2", "previous-version": "v1", environment: "production" };
const scope = { color: "{color}" };

function spec(raw: Record<string, unknown>): MetricSpec {
  const parsed = metricListSchema.parse([raw]);
  return parsed[0] as MetricSpec;
}

async function analyse(answer: (query: string, n: number) => FakeAnswer, options: Partial<AnalysisOptions>) {
  fake = await startFakePrometheus({ answer });
  return runAnalysis({
    provider: new PrometheusClient({ url: fake.url, timeoutMs: 500, client }),
    metrics: [],
    scope,
    values: release,
    intervalMs: 40,
    count: 4,
    failureLimit: 0,
    inconclusiveLimit: 1,
    initialDelayMs: 0,
    ...options,
  });
}

const ratio = {
  name: "error-ratio",
  kind: "ratio",
  errors: 'http_requests_total{code=~"5.."}',
  total: "http_requests_total",
  window: "5m",
  max: 0.05,
};

describe("metric kinds", () => {
  it("builds a ratio that is 0 without error series and a traffic query, every selector scoped", () => {
    expect(metricQueries(spec(ratio), scope, release)).toEqual({
      value:
        '(sum(rate(http_requests_total{color="green",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{color="green"}[5m]))',
      traffic: 'sum(increase(http_requests_total{color="green"}[5m]))',
    });
  });

  it("builds a quantile over the histogram's buckets, with its _count as the traffic", () => {
    const p95 = spec({
      name: "p95",
      kind: "quantile",
      histogram: 'http_request_duration_seconds{route="/api"}',
      quantile: 0.95,
      window: "2m",
      max: 0.5,
    });
    expect(metricQueries(p95, { version: "{version}" }, release)).toEqual({
      value: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{version="v2",route="/api"}[2m])))',
      traffic: 'sum(increase(http_request_duration_seconds_count{version="v2",route="/api"}[2m]))',
    });
  });

  it("refuses keys of another kind, a _bucket histogram and PromQL the grammar rejects, naming the path", () => {
    const result = metricListSchema.safeParse([
      { name: "a", kind: "ratio", errors: "x", window: "5m", max: 1, query: "up" },
      { name: "b", kind: "quantile", histogram: "latency_bucket", quantile: 0.9, window: "5m", max: 1 },
      { name: "c", query: 'sum(rate(x{code="5"}[5m])', max: 1 },
      { name: "d", kind: "ratio", errors: "rate(x[5m])", total: "x", window: "5 minutes", max: 1 },
    ]);
    const messages = result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      "0.total: total (needed by kind: ratio)",
      "0.query: no query with kind: ratio (query belongs to kind: query)",
      "1.histogram: the histogram's name without _bucket (latency)",
      "2.query: PromQL the official grammar accepts",
      "3.window: a PromQL duration such as 30s, 5m or 1h30m",
      '3.errors: one series selector such as http_requests_total{code=~"5.."}',
    ]);
  });
});

describe("no traffic is not judged", () => {
  it("passes a first release without traffic, saying there was no traffic to judge", async () => {
    const result = await analyse((q) => (q.startsWith("sum(increase") ? { vector: [] } : { vector: [Number.NaN] }), {
      metrics: [spec(ratio)],
    });
    expect(result.verdict).toBe("pass");
    expect(result.taken).toBe(4);
    expect(result.metrics[0]).toMatchObject({ noTraffic: true, verdict: "pass", counts: { "no-traffic": 4, pass: 0 } });
    expect(result.metrics[0]?.reason).toMatch(/^no traffic to judge: 4 measurement\(s\) .*fewer than min-requests 1.*on-no-traffic: pass$/);
    expect(result.reason).toContain("no traffic to judge for error-ratio");
    // Without traffic the ratio itself is never asked: 0/0 cannot be judged.
    expect(fake?.queries.every((q) => q.query.startsWith("sum(increase"))).toBe(true);
  });

  it("waits for min-requests, then judges the traffic that came", async () => {
    const result = await analyse((q, n) => (q.startsWith("sum(increase") ? { vector: [n < 3 ? 4 : 40] } : { vector: [0.2] }), {
      metrics: [spec({ ...ratio, "min-requests": 10 })],
    });
    expect(result.verdict).toBe("fail");
    expect(result.metrics[0]?.measurements.map((m) => m.outcome)).toEqual(["no-traffic", "no-traffic", "fail"]);
    expect(result.metrics[0]?.measurements[2]).toMatchObject({ traffic: 40, display: "0.2" });
  });

  it("applies on-no-traffic: fail when a team wants traffic", async () => {
    const result = await analyse(() => ({ vector: [] }), { metrics: [spec({ ...ratio, "on-no-traffic": "fail" })] });
    expect(result.verdict).toBe("fail");
    expect(result.reason).toContain("no traffic to judge");
  });
});

describe("baseline: previous", () => {
  it("runs the same scoped query for the previous color just before the swap, once, and fails 3× worse", async () => {
    const p95 = spec({
      name: "p95",
      kind: "quantile",
      histogram: "latency",
      quantile: 0.95,
      window: "5m",
      baseline: "previous",
      "max-ratio": 2,
    });
    const result = await analyse(
      (q) => {
        if (q.startsWith("sum(increase")) return { vector: [100] };
        return { vector: [q.includes('color="blue"') ? 0.1 : 0.3] };
      },
      { metrics: [p95] },
    );
    expect(result.verdict).toBe("fail");
    const baselineQueries = fake?.queries.filter((q) => q.query.includes('color="blue"')) ?? [];
    expect(baselineQueries.map((q) => q.query)).toEqual([
      'sum(increase(latency_count{color="blue"}[5m]))',
      'histogram_quantile(0.95, sum by (le) (rate(latency_bucket{color="blue"}[5m])))',
    ]);
    expect(result.metrics[0]).toMatchObject({
      baselineQuery: 'histogram_quantile(0.95, sum by (le) (rate(latency_bucket{color="blue"}[5m])))',
    });
    expect(result.metrics[0]?.measurements[0]?.checks[0]).toMatchObject({
      measured: "3 × baseline",
      expected: "at most 2 × baseline 0.1",
      ok: false,
    });
  });

  it("evaluates the baseline at the swap instant", async () => {
    const swap = new Date("2026-12-02T04:00:00.000Z");
    const metric = spec({ name: "errors", query: 'sum(rate(x{color="{color}"}[5m]))', baseline: "previous", "max-delta": 0.01 });
    await analyse((q) => ({ vector: [q.includes("blue") ? 0.001 : 0.002] }), { metrics: [metric], baselineAt: swap, count: 2, scope: {} });
    const times = fake?.queries.map((q) => [q.query, q.time]);
    expect(times).toContainEqual(['sum(rate(x{color="blue"}[5m]))', "1796184000.000"]);
    expect(times).toContainEqual(['sum(rate(x{color="green"}[5m]))', undefined]);
  });

  it("does not judge against a baseline a first release does not have", async () => {
    const metric = spec({ name: "p95", query: "sum(x)", baseline: "previous", "max-ratio": 1.5, max: 1 });
    const result = await analyse(() => ({ vector: [0.2] }), {
      metrics: [metric],
      scope: { version: "{version}" },
      values: { color: "green", version: "v1" },
    });
    expect(result.verdict).toBe("pass");
    expect(result.metrics[0]?.measurements[0]?.note).toBe(
      "baseline not judged: no previous release to compare with (no value for {previous-version})",
    );
  });
});

describe("warnings", () => {
  it("reports warn-max without failing", async () => {
    const result = await analyse(() => ({ vector: [0.03] }), {
      metrics: [spec({ name: "errors", query: "sum(x)", "warn-max": 0.02, max: 0.05 })],
      count: 2,
    });
    expect(result.verdict).toBe("pass");
    expect(result.warnings).toEqual([
      { metric: "errors", query: 'sum(x{color="green"})', n: 1, measured: "0.03", expected: "at most 0.02" },
      { metric: "errors", query: 'sum(x{color="green"})', n: 2, measured: "0.03", expected: "at most 0.02" },
    ]);
  });
});

describe("alert rules", () => {
  const file = `
groups:
  - name: app
    rules:
      - record: job:errors:rate5m
        expr: sum(rate(http_requests_total{code=~"5.."}[5m]))
      - alert: HighErrorRate
        expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05
        for: 100ms
        labels: { severity: critical }
      - alert: SlowishP95
        expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.25
        labels: { severity: warning }
`;

  it("reads alerting rules from a Prometheus rule file and leaves recording rules out", () => {
    expect(parseAlertRules(file).map((r) => [r.name, r.forMs, r.severity])).toEqual([
      ["app/HighErrorRate", 100, "critical"],
      ["app/SlowishP95", 0, "warning"],
    ]);
  });

  it("refuses a rule file Prometheus would refuse, naming the path", () => {
    const bad = "groups:\n  - name: app\n    rules:\n      - alert: X\n        expr: rate(x[5m]\n        for: soon\n";
    const error = (() => {
      try {
        parseAlertRules(bad);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => `${i.path}: ${i.expected}`)).toEqual(
      expect.arrayContaining([
        "groups[0].rules[0].expr: PromQL the official grammar accepts",
        "groups[0].rules[0].for: a duration such as 30s, 5m or 1h",
      ]),
    );
  });

  it("honours for: across measurements, fails on a critical rule and only warns on a warning rule", async () => {
    const rules = parseAlertRules(file);
    const result = await analyse(
      (q, n) =>
        q.startsWith("rate(") ? { vector: n >= 2 ? [0.3, 0.2] : [], labels: [{ code: "500" }, { code: "503" }] } : { vector: [0.4] },
      { metrics: [], rules, count: 8, intervalMs: 60 },
    );
    const critical = result.metrics.find((m) => m.name === "app/HighErrorRate");
    expect(critical?.query).toBe('rate(http_requests_total{color="green",code=~"5.."}[5m]) > 0.05');
    const measurements = critical?.measurements ?? [];
    // Active from measurement 2 on; firing once active for 100 ms, judged by when each measurement was really taken.
    const activeAt = measurements[1]?.atMs ?? 0;
    expect(measurements[0]?.display).toBe("not firing");
    for (const m of measurements.slice(1)) {
      expect(m.display, `measurement ${m.n} at ${m.atMs} ms`).toBe(m.atMs - activeAt >= 100 ? "firing (2 series)" : "pending (2 series)");
    }
    expect(measurements[1]?.display).toBe("pending (2 series)");
    expect(measurements.at(-1)?.display).toBe("firing (2 series)");
    expect(result.verdict).toBe("fail");
    const warning = result.metrics.find((m) => m.name === "app/SlowishP95");
    expect(warning?.verdict).toBe("pass");
    expect(result.warnings.some((w) => w.metric === "app/SlowishP95" && w.expected.includes("severity warning: warns only"))).toBe(true);
  });
});
