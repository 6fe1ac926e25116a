import type { MetricSpec } from "./metric-schema.js";
import type { QueryValue } from "./prometheus-client.js";
import { formatValue } from "./sample-value.js";

/** One threshold held against one measured value. */
export interface ThresholdCheck {
  /** `max`, `min`, `max-ratio`, `max-delta`. */
  threshold: string;
  /** In words: `at most 0.01`, `at most 1.5 × baseline 0.002`. */
  expected: string;
  /** What was measured for this threshold: the value, or the ratio/difference to the baseline. */
  measured: string;
  ok: boolean;
}

export type MeasurementOutcome = "pass" | "fail" | "inconclusive" | "error";

export interface Judgement {
  outcome: MeasurementOutcome;
  checks: ThresholdCheck[];
  note?: string;
}

/** Holds one measured value (and its baseline) against a metric's thresholds. */
export function judgeMeasurement(spec: MetricSpec, value: QueryValue, baseline?: QueryValue): Judgement {
  if (value.kind === "no-data") return noData(spec, `no data (${value.reason})`);
  const v = value.value;
  const checks: ThresholdCheck[] = [];
  if (spec.max !== undefined) {
    checks.push({ threshold: "max", expected: `at most ${formatValue(spec.max)}`, measured: formatValue(v), ok: v <= spec.max });
  }
  if (spec.min !== undefined) {
    checks.push({ threshold: "min", expected: `at least ${formatValue(spec.min)}`, measured: formatValue(v), ok: v >= spec.min });
  }
  let note: string | undefined;
  if (baseline?.kind === "value") {
    const b = baseline.value;
    const maxRatio = spec["max-ratio"];
    if (maxRatio !== undefined) {
      // 0 against a 0 baseline is "the same"; anything above a 0 baseline is infinitely worse.
      const ratio = b === 0 ? (v === 0 ? 1 : v > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY) : v / b;
      checks.push({
        threshold: "max-ratio",
        expected: `at most ${formatValue(maxRatio)} × baseline ${formatValue(b)}`,
        measured: `${formatValue(ratio)} × baseline`,
        ok: ratio <= maxRatio,
      });
    }
    const maxDelta = spec["max-delta"];
    if (maxDelta !== undefined) {
      const delta = v - b;
      checks.push({
        threshold: "max-delta",
        expected: `at most baseline ${formatValue(b)} + ${formatValue(maxDelta)}`,
        measured: `baseline ${delta >= 0 ? "+" : "−"} ${formatValue(Math.abs(delta))}`,
        ok: delta <= maxDelta,
      });
    }
  } else if (baseline?.kind === "no-data") {
    note = `baseline: no data (${baseline.reason})`;
  }
  if (checks.some((c) => !c.ok)) return { outcome: "fail", checks, ...(note ? { note } : {}) };
  if (note) return { ...noData(spec, note), checks };
  return { outcome: "pass", checks };
}

function noData(spec: MetricSpec, reason: string): Judgement {
  const policy = spec["on-no-data"];
  return { outcome: policy, checks: [], note: `${reason}; on-no-data: ${policy}` };
}
