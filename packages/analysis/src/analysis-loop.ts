import { abortReason, CancelledError, retry, sleep } from "@cutover/core";
import { judgeMeasurement, type MeasurementOutcome, type ThresholdCheck } from "./judge-measurement.js";
import type { MetricSpec } from "./metric-schema.js";
import { type MetricProvider, MetricQueryError, type QueryValue } from "./prometheus-client.js";
import { formatValue } from "./sample-value.js";

export type Verdict = "pass" | "fail" | "inconclusive";

export interface AnalysisOptions {
  provider: MetricProvider;
  metrics: readonly MetricSpec[];
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

/** One measurement of one metric. Values are also kept as text: JSON has no NaN or Infinity. */
export interface Measurement {
  metric: string;
  /** 1-based measurement number. */
  n: number;
  /** Milliseconds since the analysis began. */
  atMs: number;
  at: string;
  value: number | null;
  display: string;
  baseline?: number | null;
  baselineDisplay?: string;
  outcome: MeasurementOutcome;
  checks: ThresholdCheck[];
  note?: string;
}

export interface MetricResult {
  name: string;
  query: string;
  baselineQuery?: string;
  /** Thresholds in words, for the summary: `max 0.01`, `max-ratio 1.5`. */
  thresholds: string[];
  verdict: Verdict;
  /** Why the metric got its verdict, with counts against the limits. */
  reason: string;
  counts: Record<MeasurementOutcome, number>;
  measurements: Measurement[];
}

export interface AnalysisResult {
  verdict: Verdict;
  reason: string;
  /** Rounds of measurements taken (each measures every metric). */
  taken: number;
  planned: number;
  /** True when the verdict was settled before the planned count. */
  stoppedEarly: boolean;
  elapsedMs: number;
  metrics: MetricResult[];
}

interface MetricState {
  spec: MetricSpec;
  measurements: Measurement[];
  counts: Record<MeasurementOutcome, number>;
  errorsInARow: number;
  lastError?: string;
  rejected?: string;
}

/**
 * Takes `count` measurements of every metric, `intervalMs` apart after `initialDelayMs`, and
 * stops as soon as the verdict can no longer be `pass`. A metric fails when its failed
 * measurements exceed `failureLimit`; it is inconclusive when inconclusive ones exceed
 * `inconclusiveLimit`, when the provider could not answer too many times in a row, or when
 * its query was rejected. Throws CancelledError as soon as `signal` aborts.
 */
export async function runAnalysis(options: AnalysisOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const errorLimit = options.consecutiveErrorLimit ?? 2;
  const states: MetricState[] = options.metrics.map((spec) => ({
    spec,
    measurements: [],
    counts: { pass: 0, fail: 0, inconclusive: 0, error: 0 },
    errorsInARow: 0,
  }));
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
        const measurement = await measure(state, n, atMs, options);
        state.measurements.push(measurement);
        state.counts[measurement.outcome]++;
        if (measurement.outcome === "error") state.errorsInARow++;
        else state.errorsInARow = 0;
        options.onMeasurement?.(measurement);
      }),
    );
    taken = n;
    const verdicts = states.map((s) => metricVerdict(s, options, errorLimit, false));
    if (verdicts.some((v) => v.verdict !== "pass")) break;
  }
  const metrics = states.map((state): MetricResult => {
    const { verdict, reason } = metricVerdict(state, options, errorLimit, true);
    return {
      name: state.spec.name,
      query: state.spec.query,
      ...(state.spec["baseline-query"] ? { baselineQuery: state.spec["baseline-query"] } : {}),
      thresholds: describeThresholds(state.spec),
      verdict,
      reason,
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
  const reason =
    verdict === "pass"
      ? `all ${metrics.length} metric(s) passed ${taken} measurement(s)`
      : deciding.map((m) => `${m.name}: ${m.reason}`).join("; ");
  return {
    verdict,
    reason,
    taken,
    planned: options.count,
    stoppedEarly: taken < options.count,
    elapsedMs: Math.round(performance.now() - started),
    metrics,
  };
}

async function measure(state: MetricState, n: number, atMs: number, options: AnalysisOptions): Promise<Measurement> {
  const spec = state.spec;
  const base = { metric: spec.name, n, atMs, at: new Date().toISOString() };
  try {
    const [value, baseline] = await Promise.all([
      queryWithRetries(spec.query, options),
      spec["baseline-query"] ? queryWithRetries(spec["baseline-query"], options) : Promise.resolve(undefined),
    ]);
    const judgement = judgeMeasurement(spec, value, baseline);
    return {
      ...base,
      ...valueFields(value),
      ...(baseline ? baselineFields(baseline) : {}),
      outcome: judgement.outcome,
      checks: judgement.checks,
      ...(judgement.note ? { note: judgement.note } : {}),
    };
  } catch (error) {
    if (error instanceof CancelledError || options.signal?.aborted) throw options.signal ? abortReason(options.signal) : error;
    if (!(error instanceof MetricQueryError)) throw error;
    state.lastError = error.message;
    if (error.rejected) state.rejected = error.message;
    return { ...base, value: null, display: "error", outcome: "error", checks: [], note: error.message };
  }
}

function queryWithRetries(query: string, options: AnalysisOptions): Promise<QueryValue> {
  return retry(() => options.provider.query(query, options.signal), {
    retries: options.queryRetries ?? 2,
    // Retries stay well inside one interval so the schedule holds.
    initialDelayMs: Math.max(10, Math.min(1_000, options.intervalMs / 8)),
    maxDelayMs: Math.max(10, options.intervalMs / 4),
    shouldRetry: (error) => error instanceof MetricQueryError && error.retryable,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function valueFields(value: QueryValue) {
  return value.kind === "value"
    ? { value: finiteOrNull(value.value), display: formatValue(value.value) }
    : { value: null, display: "no data" };
}

function baselineFields(value: QueryValue) {
  return value.kind === "value"
    ? { baseline: finiteOrNull(value.value), baselineDisplay: formatValue(value.value) }
    : { baseline: null, baselineDisplay: "no data" };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function metricVerdict(
  state: MetricState,
  options: AnalysisOptions,
  errorLimit: number,
  final: boolean,
): { verdict: Verdict; reason: string } {
  const { counts } = state;
  if (counts.fail > options.failureLimit) {
    const worst = state.measurements.filter((m) => m.outcome === "fail").at(-1);
    const failed = worst?.checks.find((c) => !c.ok);
    const what = failed ? `last ${failed.measured}, expected ${failed.expected}` : (worst?.note ?? "");
    return {
      verdict: "fail",
      reason: `${counts.fail} failed measurement(s), more than the failure-limit of ${options.failureLimit} (${what})`,
    };
  }
  if (state.rejected) return { verdict: "inconclusive", reason: `could not be measured: ${state.rejected}` };
  if (state.errorsInARow > errorLimit) {
    return {
      verdict: "inconclusive",
      reason: `could not be measured ${state.errorsInARow} times in a row (${state.lastError ?? "no answer"})`,
    };
  }
  if (counts.inconclusive > options.inconclusiveLimit) {
    const last = state.measurements.filter((m) => m.outcome === "inconclusive").at(-1);
    return {
      verdict: "inconclusive",
      reason: `${counts.inconclusive} inconclusive measurement(s), more than the inconclusive-limit of ${options.inconclusiveLimit} (${last?.note ?? ""})`,
    };
  }
  if (final && counts.pass + counts.fail === 0) {
    return { verdict: "inconclusive", reason: `no measurement could be judged (${state.lastError ?? "no data"})` };
  }
  return { verdict: "pass", reason: `${counts.pass} of ${state.measurements.length} measurement(s) passed` };
}

/** Thresholds in words, for summaries and reports. */
export function describeThresholds(spec: MetricSpec): string[] {
  const out: string[] = [];
  if (spec.max !== undefined) out.push(`≤ ${formatValue(spec.max)}`);
  if (spec.min !== undefined) out.push(`≥ ${formatValue(spec.min)}`);
  if (spec["max-ratio"] !== undefined) out.push(`≤ ${formatValue(spec["max-ratio"])} × baseline`);
  if (spec["max-delta"] !== undefined) out.push(`≤ baseline + ${formatValue(spec["max-delta"])}`);
  return out;
}
