import { missingPlaceholders, type PlaceholderValues } from "@cutover/core";
import type { AnalysisCheck, CheckReading, QueryRunner } from "./analysis-check.js";
import { finiteOrNull } from "./analysis-check.js";
import { judgeMeasurement, type SkippedBaseline } from "./judge-measurement.js";
import { type MetricQueries, metricQueries } from "./metric-queries.js";
import { type MetricSpec, metricKindOf } from "./metric-schema.js";
import type { QueryValue } from "./prometheus-client.js";
import type { Scope } from "./promql-scope.js";
import { formatValue } from "./sample-value.js";
import { describeThresholds } from "./threshold-words.js";

export interface MetricCheckContext {
  scope: Scope;
  /** The release judged: {color}, {version}, {environment}, and the previous ones. */
  values: PlaceholderValues;
  /** The swap: `baseline: previous` is evaluated at this instant, over the window before it. */
  baselineAt: Date;
}

/** Compiles a metric into the queries and judgement for one release. */
export function metricCheck(spec: MetricSpec, context: MetricCheckContext): AnalysisCheck {
  const kind = metricKindOf(spec);
  const queries = metricQueries(spec, context.scope, context.values);
  const baseline = baselineQueries(spec, context);
  const minRequests = spec["min-requests"] ?? 1;
  let baselineReading: Promise<QueryValue | SkippedBaseline> | undefined;

  const readBaseline = (run: QueryRunner): Promise<QueryValue | SkippedBaseline> | undefined => {
    if (!baseline) return undefined;
    if ("skipped" in baseline) return Promise.resolve({ kind: "skipped", reason: baseline.skipped });
    // The old color's window before the swap does not change: measured once, then reused.
    baselineReading ??= (async () => {
      const at = spec.baseline === "previous" ? context.baselineAt : undefined;
      if (baseline.traffic) {
        const requests = await trafficOf(run, baseline.traffic, at);
        if (requests < minRequests) {
          return {
            kind: "skipped",
            reason: `the previous release had ${formatValue(requests)} request(s) in the ${spec.window} before the swap`,
          } as const;
        }
      }
      return run.value(baseline.value, at);
    })().catch((error: unknown) => {
      baselineReading = undefined;
      throw error;
    });
    return baselineReading;
  };

  return {
    name: spec.name,
    kind,
    query: queries.value,
    ...(queries.traffic ? { trafficQuery: queries.traffic } : {}),
    ...(baseline && "value" in baseline ? { baselineQuery: baseline.value } : {}),
    ...(spec.baseline === "previous" ? { baselineAt: context.baselineAt.toISOString() } : {}),
    ...(spec.window ? { window: spec.window } : {}),
    thresholds: describeThresholds(spec),
    ...(kind === "query" ? {} : { onNoTraffic: spec["on-no-traffic"] ?? "pass" }),
    measure: async (run): Promise<CheckReading> => {
      if (queries.traffic) {
        const requests = await trafficOf(run, queries.traffic);
        if (requests < minRequests) {
          return {
            value: null,
            display: "no traffic",
            traffic: requests,
            outcome: "no-traffic",
            checks: [],
            warnings: [],
            note: `${formatValue(requests)} request(s) in the last ${spec.window}, fewer than min-requests ${minRequests}: not judged`,
          };
        }
        return { ...(await judge(run)), traffic: requests };
      }
      return judge(run);
    },
  };

  async function judge(run: QueryRunner): Promise<CheckReading> {
    const [value, base] = await Promise.all([run.value(queries.value), readBaseline(run)]);
    const judgement = judgeMeasurement(spec, value, base);
    return {
      ...(value.kind === "value"
        ? { value: finiteOrNull(value.value), display: formatValue(value.value) }
        : { value: null, display: "no data" }),
      ...(base === undefined
        ? {}
        : base.kind === "value"
          ? { baseline: finiteOrNull(base.value), baselineDisplay: formatValue(base.value) }
          : { baseline: null, baselineDisplay: base.kind === "skipped" ? "not judged" : "no data" }),
      outcome: judgement.outcome,
      checks: judgement.checks,
      warnings: judgement.warnings,
      ...(judgement.note ? { note: judgement.note } : {}),
    };
  }
}

/** Requests in the window; no series at all means none. */
async function trafficOf(run: QueryRunner, query: string, at?: Date): Promise<number> {
  const traffic = await run.value(query, at);
  return traffic.kind === "value" && Number.isFinite(traffic.value) ? traffic.value : 0;
}

function baselineQueries(spec: MetricSpec, context: MetricCheckContext): MetricQueries | { skipped: string } | undefined {
  if (spec["baseline-query"]) {
    const missing = missingPlaceholders(spec["baseline-query"], context.values);
    if (missing.length > 0) return { skipped: `no value for ${missing.map((p) => `{${p}}`).join(", ")}` };
    return metricQueries({ ...spec, kind: "query", query: spec["baseline-query"] }, {}, context.values);
  }
  if (spec.baseline !== "previous") return undefined;
  // The previous release stands where this one stands: its color and version fill {color}/{version}.
  const previous = { ...context.values, color: context.values["previous-color"], version: context.values["previous-version"] };
  const used = [spec.query, spec.errors, spec.total, spec.histogram, ...Object.values(context.scope)].join(" ");
  const missing = missingPlaceholders(used, previous);
  if (missing.length > 0) {
    const names = missing.map((p) => (p === "color" ? "{previous-color}" : p === "version" ? "{previous-version}" : `{${p}}`));
    return { skipped: `no previous release to compare with (no value for ${[...new Set(names)].join(", ")})` };
  }
  return metricQueries(spec, context.scope, previous);
}
