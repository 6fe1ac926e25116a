import type { MeasurementOutcome, ThresholdCheck } from "./judge-measurement.js";
import type { NoDataPolicy } from "./metric-schema.js";
import type { QuerySeries, QueryValue } from "./prometheus-client.js";

/** Queries with the loop's retries and cancellation; `at` evaluates at a past instant. */
export interface QueryRunner {
  value(query: string, at?: Date): Promise<QueryValue>;
  series(query: string): Promise<QuerySeries>;
}

/** What one measurement of one check found (the loop adds its number and time). */
export interface CheckReading {
  value: number | null;
  display: string;
  baseline?: number | null;
  baselineDisplay?: string;
  /** Requests in the window behind the value (kind ratio / quantile). */
  traffic?: number;
  outcome: MeasurementOutcome;
  checks: ThresholdCheck[];
  warnings: ThresholdCheck[];
  note?: string;
}

/** One thing the analysis judges each round: a metric or an alert rule, compiled for the release. */
export interface AnalysisCheck {
  name: string;
  kind: "query" | "ratio" | "quantile" | "rule";
  /** The scoped query whose result is judged. */
  query: string;
  trafficQuery?: string;
  baselineQuery?: string;
  /** When the baseline is taken: `previous` is judged over the window just before the swap. */
  baselineAt?: string;
  window?: string;
  thresholds: string[];
  /** What a whole analysis without enough traffic counts as (kind ratio / quantile). */
  onNoTraffic?: NoDataPolicy;
  measure(run: QueryRunner, atMs: number): Promise<CheckReading>;
}

/** A number for JSON (which has no NaN or Infinity). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
