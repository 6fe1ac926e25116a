import { abortReason, CancelledError, type PlaceholderValues, retry, sleep } from "@cutover/core";
import type { AlertRule } from "./alert-rules.js";
import type { AnalysisCheck, CheckReading, QueryRunner } from "./analysis-check.js";
import type { MeasurementOutcome, ThresholdCheck } from "./judge-measurement.js";
import { metricCheck } from "./metric-check.js";
import type { MetricSpec } from "./metric-schema.js";
import { type MetricProvider, MetricQueryError } from "./prometheus-client.js";
import { loadPromqlGrammar } from "./promql-grammar.js";
import type { Scope } from "./promql-scope.js";
import { ruleCheck } from "./rule-check.js";

export { describeThresholds } from "./threshold-words.js";

export type Verdict = "pass" | "fail" | "inconclusive";

export interface AnalysisOptions {
  provider: MetricProvider;
  metrics: readonly MetricSpec[];
  /** Alerting rules evaluated beside the metrics (each `expr` scoped). */
  rules?: readonly AlertRule[];
  /** Label matchers added to every selector, e.g. `{ color: "{color}" }`. */
  scope?: Scope;
  /** The release judged and the one it replaced: fill `{color}`, `{version}`, `{previous-color}`… */
  values?: PlaceholderValues;
  /** The swap: `baseline: previous` is evaluated over the window just before it. Default: when the analysis starts. */
  baselineAt?: Date;
  intervalMs: number;
  /** Measurements to take per metric. */
  count: number;
  /** Failed measurements tolerated per metric. */
  failureLimit: number;
  /** Inconclusive measurements tolerated per metric. */
  inconclusiveLimit: number;
  initialDelayMs: number;
  /** Measurements in a row the provider may fail to answer (after retries) before the metric is inconclusive. */
  consecutiveErrorLimit?: number;
  /** Retries of one query within a measurement. */
  queryRetries?: number;
  signal?: AbortSignal;
  onMeasurement?: (measurement: Measurement) => void;
  onWait?: (ms: number, next: number) => void;
}

/** One measurement of one metric or rule. Values are also kept as text: JSON has no NaN or Infinity. */
export interface Measurement extends CheckReading {
  metric: string;
  /** 1-based measurement number. */
  n: number;
  /** Milliseconds since the analysis began. */
  atMs: number;
  at: string;
}

export interface MetricResult {
  name: string;
  /** `query`, `ratio`, `quantile`, or `rule` for an alerting rule. */
  kind: AnalysisCheck["kind"];
  /** The query as run: placeholders filled, scoped to the release. */
  query: string;
  trafficQuery?: string;
  baselineQuery?: string;
  baselineAt?: string;
  window?: string;
  /** Thresholds in words, for the summary: `max 0.01`, `max-ratio 1.5`. */
  thresholds: string[];
  verdict: Verdict;
  /** Why the metric got its verdict, with counts against the limits. */
  reason: string;
  /** True when no measurement had enough traffic to judge (ratio / quantile). */
  noTraffic: boolean;
  counts: Record<MeasurementOutcome, number>;
  measurements: Measurement[];
}

/** A warn-max / warn-min crossed or a warning rule that fired: reported, never failing. */
export interface AnalysisWarning {
  metric: string;
  query: string;
  n: number;
  measured: string;
  expected: string;
}

export interface AnalysisResult {
  verdict: Verdict;
  reason: string;
  /** The release judged, in words: `color green, version v2`. */
  judged: string;
  /** Rounds of measurements taken (each measures every metric). */
  taken: number;
  planned: number;
  /** True when the verdict was settled before the planned count. */
  stoppedEarly: boolean;
  elapsedMs: number;
  metrics: MetricResult[];
  warnings: AnalysisWarning[];
}

interface CheckState {
  check: AnalysisCheck;
  measurements: Measurement[];
  counts: Record<MeasurementOutcome, number>;
  errorsInARow: number;
  lastError?: string;
  rejected?: string;
}

/** The release in words, from its placeholder values: `color green, version v2 (environment production)`. */
export function describeJudged(values: PlaceholderValues = {}): string {
  const parts = [values.color && `color ${values.color}`, values.version && `version ${values.version}`].filter(Boolean);
  const what = parts.length > 0 ? parts.join(", ") : "the service";
  return values.environment ? `${what} in ${values.environment}` : what;
}

/**
 * Takes `count` measurements of every metric and rule, `intervalMs` apart after
 * `initialDelayMs`, and stops as soon as the verdict can no longer be `pass`. A check fails when
 * its failed measurements exceed `failureLimit`; it is inconclusive when inconclusive ones exceed
 * `inconclusiveLimit`, when the provider could not answer too many times in a row, or when its
 * query was rejected. Measurements without enough traffic are not judged; a metric that never had
 * any gets its `on-no-traffic` verdict. Throws CancelledError as soon as `signal` aborts.
 */
export async function runAnalysis(options: AnalysisOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const errorLimit = options.consecutiveErrorLimit ?? 2;
  const scope = options.scope ?? {};
  const values = options.values ?? {};
  const baselineAt = options.baselineAt ?? new Date();
  // Scoping parses every query; the grammar is loaded on first use, not at start-up.
  await loadPromqlGrammar();
  const checks = [
    ...options.metrics.map((spec) => metricCheck(spec, { scope, values, baselineAt })),
    ...(options.rules ?? []).map((rule) => ruleCheck(rule, scope, values)),
  ];
  const states: CheckState[] = checks.map((check) => ({
    check,
    measurements: [],
    counts: { pass: 0, fail: 0, inconclusive: 0, error: 0, "no-traffic": 0 },
    errorsInARow: 0,
  }));
  const run = queryRunner(options);
  let taken = 0;
  for (let n = 1; n <= options.count; n++) {
    // A fixed schedule: slow queries do not push later measurements back.
    const due = options.initialDelayMs + (n - 1) * options.intervalMs - (performance.now() - started);
    if (due > 0) {
      options.onWait?.(due, n);
      await sleep(due, options.signal);
    }
    if (options.signal?.aborted) throw abortReason(options.signal);
    const atMs = Math.round(performance.now() - started);
    await Promise.all(
      states.map(async (state) => {
        if (state.rejected) return;
        const measurement = await measure(state, n, atMs, run, options);
        state.measurements.push(measurement);
        state.counts[measurement.outcome]++;
        if (measurement.outcome === "error") state.errorsInARow++;
        else state.errorsInARow = 0;
        options.onMeasurement?.(measurement);
      }),
    );
    taken = n;
    const verdicts = states.map((s) => checkVerdict(s, options, errorLimit, false));
    if (verdicts.some((v) => v.verdict !== "pass")) break;
  }
  const judged = describeJudged(values);
  const metrics = states.map((state): MetricResult => {
    const { verdict, reason, noTraffic } = checkVerdict(state, options, errorLimit, true);
    const { check } = state;
    return {
      name: check.name,
      kind: check.kind,
      query: check.query,
      ...(check.trafficQuery ? { trafficQuery: check.trafficQuery } : {}),
      ...(check.baselineQuery ? { baselineQuery: check.baselineQuery } : {}),
      ...(check.baselineAt ? { baselineAt: check.baselineAt } : {}),
      ...(check.window ? { window: check.window } : {}),
      thresholds: check.thresholds,
      verdict,
      reason,
      noTraffic,
      counts: state.counts,
      measurements: state.measurements,
    };
  });
  const verdict: Verdict = metrics.some((m) => m.verdict === "fail")
    ? "fail"
    : metrics.some((m) => m.verdict === "inconclusive")
      ? "inconclusive"
      : "pass";
  const deciding = metrics.filter((m) => m.verdict === verdict);
  const what = `${options.metrics.length} metric(s)${options.rules?.length ? ` and ${options.rules.length} alert rule(s)` : ""}`;
  const untrafficked = metrics.filter((m) => m.noTraffic);
  const reason =
    verdict === "pass"
      ? `all ${what} passed ${taken} measurement(s) of ${judged}` +
        (untrafficked.length > 0 ? `; no traffic to judge for ${untrafficked.map((m) => m.name).join(", ")}` : "")
      : deciding.map((m) => `${m.name}: ${m.reason}`).join("; ");
  const warnings = metrics.flatMap((metric) =>
    metric.measurements.flatMap((m) =>
      m.warnings.map((w: ThresholdCheck) => ({
        metric: metric.name,
        query: metric.query,
        n: m.n,
        measured: w.measured,
        expected: w.expected,
      })),
    ),
  );
  return {
    verdict,
    reason,
    judged,
    taken,
    planned: options.count,
    stoppedEarly: taken < options.count,
    elapsedMs: Math.round(performance.now() - started),
    metrics,
    warnings,
  };
}

async function measure(state: CheckState, n: number, atMs: number, run: QueryRunner, options: AnalysisOptions): Promise<Measurement> {
  const base = { metric: state.check.name, n, atMs, at: new Date().toISOString() };
  try {
    return { ...base, ...(await state.check.measure(run, atMs)) };
  } catch (error) {
    if (error instanceof CancelledError || options.signal?.aborted) throw options.signal ? abortReason(options.signal) : error;
    if (!(error instanceof MetricQueryError)) throw error;
    state.lastError = error.message;
    if (error.rejected) state.rejected = error.message;
    return { ...base, value: null, display: "error", outcome: "error", checks: [], warnings: [], note: error.message };
  }
}

function queryRunner(options: AnalysisOptions): QueryRunner {
  const withRetries = <T>(ask: () => Promise<T>) =>
    retry(ask, {
      retries: options.queryRetries ?? 2,
      // Retries stay well inside one interval so the schedule holds.
      initialDelayMs: Math.max(10, Math.min(1_000, options.intervalMs / 8)),
      maxDelayMs: Math.max(10, options.intervalMs / 4),
      shouldRetry: (error) => error instanceof MetricQueryError && error.retryable,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const signal = options.signal ? { signal: options.signal } : {};
  return {
    value: (query, at) => withRetries(() => options.provider.query(query, { ...signal, ...(at ? { at } : {}) })),
    series: (query) => withRetries(() => options.provider.querySeries(query, signal)),
  };
}

function checkVerdict(
  state: CheckState,
  options: AnalysisOptions,
  errorLimit: number,
  final: boolean,
): { verdict: Verdict; reason: string; noTraffic: boolean } {
  const { counts } = state;
  const judged = { noTraffic: false };
  if (counts.fail > options.failureLimit) {
    const worst = state.measurements.filter((m) => m.outcome === "fail").at(-1);
    const failed = worst?.checks.find((c) => !c.ok);
    const what = failed ? `last ${failed.measured}, expected ${failed.expected}` : (worst?.note ?? "");
    return {
      ...judged,
      verdict: "fail",
      reason: `${counts.fail} failed measurement(s), more than the failure-limit of ${options.failureLimit} (${what})`,
    };
  }
  if (state.rejected) return { ...judged, verdict: "inconclusive", reason: `could not be measured: ${state.rejected}` };
  if (state.errorsInARow > errorLimit) {
    return {
      ...judged,
      verdict: "inconclusive",
      reason: `could not be measured ${state.errorsInARow} times in a row (${state.lastError ?? "no answer"})`,
    };
  }
  if (counts.inconclusive > options.inconclusiveLimit) {
    const last = state.measurements.filter((m) => m.outcome === "inconclusive").at(-1);
    return {
      ...judged,
      verdict: "inconclusive",
      reason: `${counts.inconclusive} inconclusive measurement(s), more than the inconclusive-limit of ${options.inconclusiveLimit} (${last?.note ?? ""})`,
    };
  }
  if (final && counts.pass + counts.fail === 0 && counts["no-traffic"] > 0) {
    const policy = state.check.onNoTraffic ?? "pass";
    const last = state.measurements.filter((m) => m.outcome === "no-traffic").at(-1);
    return {
      noTraffic: true,
      verdict: policy,
      reason: `no traffic to judge: ${counts["no-traffic"]} measurement(s) without enough requests (${last?.note ?? ""}); on-no-traffic: ${policy}`,
    };
  }
  if (final && counts.pass + counts.fail === 0) {
    return { ...judged, verdict: "inconclusive", reason: `no measurement could be judged (${state.lastError ?? "no data"})` };
  }
  const unjudged = counts["no-traffic"] > 0 ? `, ${counts["no-traffic"]} without enough traffic to judge` : "";
  return { ...judged, verdict: "pass", reason: `${counts.pass} of ${state.measurements.length} measurement(s) passed${unjudged}` };
}
