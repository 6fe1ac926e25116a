import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ActionRun, runAction } from "../harness/run-action.js";
import { type PrometheusService, startPrometheus } from "../services/prometheus.js";
import { startTestApp, type TestApp } from "../services/prometheus-test-app.js";

/**
 * The issue-13 scenarios against a real Prometheus (1 s scrape) scraping real apps whose series
 * carry `color` and `version` labels, each judged by the health-gate bundle as the runner starts
 * it. Each scenario owns a scrape job (its apps), scoped in with `job`, so they do not mix.
 * Shared by the e2e test (which asserts) and bench/judgment.ts (which times detection).
 */
export interface JudgmentRig {
  prometheus: PrometheusService;
  apps: Record<string, TestApp>;
  workspace: string;
  stop(): Promise<void>;
}

const APPS: Record<string, Parameters<typeof startTestApp>[0]> = {
  "s1-green": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "green", version: "v2" } },
  "s2-green": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "green", version: "v1" } },
  "s2-blue": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "blue", version: "v7" }, errorSeriesFromStart: false },
  "s3-blue": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "blue", version: "v1" } },
  "s3-green": { errorRate: 0.1, latencyMs: 5, rps: 0, labels: { color: "green", version: "v2" } },
  "s4-green": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "green", version: "v2" } },
  "s4-blue": { errorRate: 0, latencyMs: 5, rps: 0, labels: { color: "blue", version: "v1" } },
  // p95 3× the previous: 50 ms against 150 ms (a busy machine adds the same lag to both).
  "s5-blue": { errorRate: 0, latencyMs: 50, rps: 0, labels: { color: "blue", version: "v1" } },
  "s5-green": { errorRate: 0, latencyMs: 150, rps: 0, labels: { color: "green", version: "v2" } },
};

/** The rule file a team pastes: a 5xx-rate alert with for: 1m, a histogram_quantile alert over _bucket, a warning. */
export const RULE_FILE = `groups:
  - name: app
    rules:
      - record: job:http_errors:rate30s
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[30s]))
      - alert: HighErrorRate
        expr: rate(http_requests_total{code=~"5.."}[30s]) > 0.05
        for: 1m
        labels:
          severity: critical
      - alert: SlowRequests
        expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[30s]))) > 0.2
        labels:
          severity: page
      - alert: LatencyCreeping
        expr: histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[30s]))) > 0.04
        labels:
          severity: warning
`;

export async function startJudgmentRig(): Promise<JudgmentRig> {
  const apps: Record<string, TestApp> = {};
  for (const [name, options] of Object.entries(APPS)) apps[name] = await startTestApp(options);
  const prometheus = await startPrometheus(
    Object.entries(apps).map(([name, app]) => ({ job: name.split("-")[0] as string, address: app.address })),
    1,
  );
  await prometheus.waitForSamples(2);
  const workspace = mkdtempSync(join(tmpdir(), "cutover-judgment-"));
  writeFileSync(join(workspace, "alerts.yml"), RULE_FILE);
  return {
    prometheus,
    apps,
    workspace,
    stop: async () => {
      await prometheus.stop();
      for (const app of Object.values(apps)) await app.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

export interface ScenarioRun {
  run: ActionRun;
  report: GateReport;
  /** Milliseconds from the gate's start to its verdict (the run's wall time). */
  detectionMs: number;
  /** When, in the analysis, the deciding measurement was taken. */
  decidedAtMs: number | null;
  /** Extra figures the scenario measured itself (e.g. the service-wide ratio). */
  facts: Record<string, number>;
}

export interface GateReport {
  verdict: string;
  reason: string;
  analysis: {
    judged: string;
    warnings: { metric: string; measured: string; expected: string }[];
    metrics: {
      name: string;
      kind: string;
      query: string;
      verdict: string;
      reason: string;
      noTraffic: boolean;
      measurements: { n: number; atMs: number; value: number | null; display: string; outcome: string; note?: string }[];
    }[];
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gate(rig: JudgmentRig, inputs: Record<string, string>, facts: Record<string, number> = {}): Promise<ScenarioRun> {
  const run = await runAction(
    "health-gate",
    { "prometheus-url": rig.prometheus.url, "request-timeout": "5s", ...inputs },
    { env: { GITHUB_WORKSPACE: rig.workspace }, killAfterMs: 240_000 },
  );
  const report = JSON.parse(run.outputs.report ?? "{}") as GateReport;
  const deciding = report.analysis?.metrics.find((m) => m.verdict === report.verdict && report.verdict !== "pass");
  const decidedAt = deciding?.measurements.filter((m) => m.outcome === "fail" || m.outcome === "inconclusive").at(-1)?.atMs;
  return { run, report, detectionMs: run.durationMs, decidedAtMs: decidedAt ?? null, facts };
}

async function value(rig: JudgmentRig, promql: string): Promise<number> {
  const data = await rig.prometheus.query(promql);
  const result = data.result as { value: [number, string] }[];
  return result.length === 0 ? Number.NaN : Number(result[0]?.value[1]);
}

const ratio = (window: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify([
    {
      name: "error-ratio",
      kind: "ratio",
      errors: 'http_requests_total{code=~"5.."}',
      total: "http_requests_total",
      window,
      max: 0.05,
      ...extra,
    },
  ]);

/** (b) A good release (v3) deployed on the color where a bad one (v2) just failed 30 %: judged on its own requests. */
export async function goodAfterBad(rig: JudgmentRig): Promise<ScenarioRun> {
  const app = rig.apps["s1-green"] as TestApp;
  app.change({ errorRate: 0.3, rps: 20 });
  await sleep(6_000);
  app.change({ labels: { version: "v3" }, errorRate: 0 });
  await sleep(4_000);
  const colorWide = await value(
    rig,
    'sum(rate(http_requests_total{job="s1",color="green",code=~"5.."}[30s])) / sum(rate(http_requests_total{job="s1",color="green"}[30s]))',
  );
  try {
    return await gate(
      rig,
      {
        metrics: ratio("30s"),
        scope: '{ job: s1, color: "{color}", version: "{version}" }',
        color: "green",
        version: "v3",
        "previous-version": "v2",
        "analysis-interval": "1s",
        "analysis-count": "3",
      },
      { colorWide },
    );
  } finally {
    app.change({ rps: 0 });
  }
}

/** (c) A first release without traffic passes with "no traffic to judge". */
export async function firstReleaseWithoutTraffic(rig: JudgmentRig): Promise<ScenarioRun> {
  return gate(rig, {
    metrics: JSON.stringify([
      ...JSON.parse(ratio("10s")),
      { name: "p95", kind: "quantile", histogram: "http_request_duration_seconds", quantile: 0.95, window: "10s", max: 0.5 },
    ]),
    scope: '{ job: s2, color: "{color}" }',
    color: "green",
    version: "v1",
    "analysis-interval": "1s",
    "analysis-count": "3",
  });
}

/** (a) An error ratio with traffic and no error series at all measures 0 (the README's old shape is empty). */
export async function noErrorSeries(rig: JudgmentRig): Promise<ScenarioRun> {
  const app = rig.apps["s2-blue"] as TestApp;
  app.change({ rps: 20 });
  await sleep(4_000);
  const oldShape = await value(
    rig,
    'sum(rate(http_requests_total{job="s2",color="blue",code=~"5.."}[10s])) / sum(rate(http_requests_total{job="s2",color="blue"}[10s]))',
  );
  try {
    return await gate(
      rig,
      {
        metrics: ratio("10s"),
        scope: '{ job: s2, color: "{color}" }',
        color: "blue",
        version: "v7",
        "analysis-interval": "1s",
        "analysis-count": "3",
      },
      { oldShapeSeries: Number.isNaN(oldShape) ? 0 : 1 },
    );
  } finally {
    app.change({ rps: 0 });
  }
}

/** A release failing 10 % of its own requests beside a healthy color ten times busier. */
export async function tenPercentOfItsOwn(rig: JudgmentRig): Promise<ScenarioRun> {
  const blue = rig.apps["s3-blue"] as TestApp;
  const green = rig.apps["s3-green"] as TestApp;
  blue.change({ rps: 60 });
  green.change({ rps: 6 });
  await sleep(6_000);
  const serviceWide = await value(
    rig,
    'sum(rate(http_requests_total{job="s3",code=~"5.."}[10s])) / sum(rate(http_requests_total{job="s3"}[10s]))',
  );
  try {
    return await gate(
      rig,
      {
        metrics: ratio("10s"),
        scope: '{ job: s3, color: "{color}" }',
        color: "green",
        version: "v2",
        "previous-color": "blue",
        "analysis-interval": "1s",
        "analysis-count": "5",
      },
      { serviceWide },
    );
  } finally {
    blue.change({ rps: 0 });
    green.change({ rps: 0 });
  }
}

/** The pasted rule file against a release that fails 10 %: HighErrorRate pends for its for: 1m, then fails the gate. */
export async function ruleWithFor(rig: JudgmentRig): Promise<ScenarioRun> {
  const green = rig.apps["s4-green"] as TestApp;
  green.change({ errorRate: 0.1, latencyMs: 5, rps: 20 });
  await sleep(3_000);
  try {
    return await gate(rig, {
      "alert-rules": "alerts.yml",
      scope: '{ job: s4, color: "{color}" }',
      color: "green",
      version: "v2",
      "analysis-interval": "15s",
      "analysis-count": "6",
    });
  } finally {
    green.change({ rps: 0, errorRate: 0 });
  }
}

/** The histogram_quantile alert over _bucket fails a slow release at once. */
export async function ruleOverBuckets(rig: JudgmentRig): Promise<ScenarioRun> {
  const green = rig.apps["s4-green"] as TestApp;
  green.change({ labels: { version: "v3" }, latencyMs: 300, rps: 20 });
  await sleep(4_000);
  try {
    return await gate(rig, {
      "alert-rules": "alerts.yml",
      scope: '{ job: s4, version: "{version}" }',
      color: "green",
      version: "v3",
      "analysis-interval": "1s",
      "analysis-count": "3",
    });
  } finally {
    green.change({ rps: 0 });
  }
}

/** A severity: warning rule only warns: a release at 60 ms passes while the slow old color is scoped out. */
export async function warningRuleOnlyWarns(rig: JudgmentRig): Promise<ScenarioRun> {
  const green = rig.apps["s4-green"] as TestApp;
  const blue = rig.apps["s4-blue"] as TestApp;
  green.change({ labels: { version: "v4" }, latencyMs: 60, errorRate: 0, rps: 20 });
  blue.change({ latencyMs: 400, errorRate: 0.5, rps: 20 });
  await sleep(4_000);
  try {
    return await gate(rig, {
      "alert-rules": "alerts.yml",
      scope: '{ job: s4, version: "{version}" }',
      color: "green",
      version: "v4",
      "analysis-interval": "1s",
      "analysis-count": "3",
    });
  } finally {
    green.change({ rps: 0 });
    blue.change({ rps: 0 });
  }
}

/** baseline: previous catches a release whose p95 is 3× the one it replaced, with no absolute threshold. */
export async function slowerThanPrevious(rig: JudgmentRig): Promise<ScenarioRun> {
  const blue = rig.apps["s5-blue"] as TestApp;
  const green = rig.apps["s5-green"] as TestApp;
  blue.change({ rps: 20 });
  await sleep(12_000);
  // The swap: the old color's traffic ends, the new one's begins.
  const swappedAt = new Date();
  blue.change({ rps: 0 });
  green.change({ rps: 20 });
  await sleep(5_000);
  try {
    return await gate(rig, {
      metrics: JSON.stringify([
        {
          name: "p95",
          kind: "quantile",
          histogram: "http_request_duration_seconds",
          quantile: 0.95,
          window: "10s",
          baseline: "previous",
          "max-ratio": 1.5,
        },
      ]),
      scope: '{ job: s5, color: "{color}", version: "{version}" }',
      color: "green",
      version: "v2",
      "previous-color": "blue",
      "previous-version": "v1",
      "switched-at": swappedAt.toISOString(),
      "analysis-interval": "1s",
      "analysis-count": "3",
    });
  } finally {
    green.change({ rps: 0 });
  }
}
