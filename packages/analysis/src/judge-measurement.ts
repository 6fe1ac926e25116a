import type { MetricSpec } from "./metric-schema.js";
import type { QueryValue } from "./prometheus-client.js";
import { formatValue } from "./sample-value.js";

/** One threshold held against one measured value. */
export interface ThresholdCheck {
  /** `max`, `min`, `max-ratio`, `max-delta`, `warn-max`, `warn-min`, `for`. */
  threshold: string;
  /** In words: `at most 0.01`, `at most 1.5 × baseline 0.002`. */
  expected: string;
  /** What was measured for this threshold: the value, or the ratio/difference to the baseline. */
  measured: string;
  ok: boolean;
}

/** `no-traffic`: too few requests in the window to judge the release; counts for nothing. */
export type MeasurementOutcome = "pass" | "fail" | "inconclusive" | "error" | "no-traffic";

export interface Judgement {
  outcome: MeasurementOutcome;
  checks: ThresholdCheck[];
  /** warn-max / warn-min crossed: reported, never failing. */
  warnings: ThresholdCheck[];
  note?: string;
}

/** A baseline that could not be measured for a reason that is not the release's fault (e.g. a first release). */
export interface SkippedBaseline {
  kind: "skipped";
  reason: string;
}

/** Holds one measured value (and its baseline) against a metric's thresholds and warnings. */
export function judgeMeasurement(spec: MetricSpec, value: QueryValue, baseline?: QueryValue | SkippedBaseline): Judgement {
  if (value.kind === "no-data") return noData(spec, `no data (${value.reason})`);
  const v = value.value;
  const checks: ThresholdCheck[] = [];
  if (spec.max !== undefined) {
    checks.push({ threshold: "max", expected: `at most ${formatValue(spec.max)}`, measured: formatValue(v), ok: v <= spec.max });
  }
  if (spec.min !== undefined) {
    checks.push({ threshold: "min", expected: `at least ${formatValue(spec.min)}`, measured: formatValue(v), ok: v >= spec.min });
  }
  const warnings: ThresholdCheck[] = [];
  const warnMax = spec["warn-max"];
  if (warnMax !== undefined && !(v <= warnMax)) {
    warnings.push({ threshold: "warn-max", expected: `at most ${formatValue(warnMax)}`, measured: formatValue(v), ok: false });
  }
  const warnMin = spec["warn-min"];
  if (warnMin !== undefined && !(v >= warnMin)) {
    warnings.push({ threshold: "warn-min", expected: `at least ${formatValue(warnMin)}`, measured: formatValue(v), ok: false });
  }
  let note: string | undefined;
  let baselineMissing = false;
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
    baselineMissing = true;
  } else if (baseline?.kind === "skipped") {
    // Nothing to compare with is not the release's fault: the other thresholds decide.
    note = `baseline not judged: ${baseline.reason}`;
  }
  if (checks.some((c) => !c.ok)) return { outcome: "fail", checks, warnings, ...(note ? { note } : {}) };
  if (baselineMissing && note) return { ...noData(spec, note), checks, warnings };
  return { outcome: "pass", checks, warnings, ...(note ? { note } : {}) };
}

function noData(spec: MetricSpec, reason: string): Judgement {
  const policy = spec["on-no-data"];
  return { outcome: policy, checks: [], warnings: [], note: `${reason}; on-no-data: ${policy}` };
}
