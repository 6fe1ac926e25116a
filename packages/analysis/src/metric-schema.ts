import { PLACEHOLDERS } from "@cutover/core";
import { z } from "zod";
import { parseSelector, promqlSyntaxError } from "./promql-scope.js";

/** What a measurement with no data counts as. */
export const noDataPolicy = z.enum(["fail", "pass", "inconclusive"]);
export type NoDataPolicy = z.output<typeof noDataPolicy>;

/** How a metric is measured: a raw PromQL `query`, an error `ratio`, or a histogram `quantile`. */
export const metricKinds = ["query", "ratio", "quantile"] as const;
export type MetricKind = (typeof metricKinds)[number];

/** A PromQL range such as 5m or 1h30m. */
const promqlDuration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, "a PromQL duration such as 30s, 5m or 1h30m");

const KIND_KEYS: Record<MetricKind, readonly string[]> = {
  query: ["query"],
  ratio: ["errors", "total", "window"],
  quantile: ["histogram", "quantile", "window"],
};

/** One metric as users write it in the `metrics` input. */
export const metricSchema = z
  .strictObject({
    name: z.string().min(1),
    /** Default `query`, or `ratio` / `quantile` when their keys are given. */
    kind: z.enum(metricKinds).optional(),
    /** PromQL that returns one value (a one-series vector or a scalar). */
    query: z.string().min(1).optional(),
    /** kind: ratio — the selector of failed requests, e.g. http_requests_total{code=~"5.."}. */
    errors: z.string().min(1).optional(),
    /** kind: ratio — the selector of all requests, e.g. http_requests_total. */
    total: z.string().min(1).optional(),
    /** kind: quantile — the histogram's name without `_bucket`, optionally with matchers. */
    histogram: z.string().min(1).optional(),
    quantile: z.number().gt(0).lt(1).optional(),
    /** kind: ratio / quantile — the PromQL range the rate is taken over. */
    window: promqlDuration.optional(),
    /** kind: ratio / quantile — requests in the window below which the release is not judged. Default 1. */
    "min-requests": z.number().int().min(1).optional(),
    /** kind: ratio / quantile — what "no traffic to judge" for the whole analysis means. Default pass. */
    "on-no-traffic": noDataPolicy.optional(),
    max: z.number().optional(),
    min: z.number().optional(),
    /** Reported and annotated above/below these, never failing. */
    "warn-max": z.number().optional(),
    "warn-min": z.number().optional(),
    "on-no-data": noDataPolicy.default("inconclusive"),
    /** The same metric for the color that serves now, to judge the release against it. */
    "baseline-query": z.string().min(1).optional(),
    /** `previous`: the same scoped query for {previous-color}/{previous-version}, just before the swap. */
    baseline: z.literal("previous").optional(),
    /** Highest value / baseline allowed, e.g. 1.5 for "at most 50% worse". */
    "max-ratio": z.number().positive().optional(),
    /** Highest value − baseline allowed. */
    "max-delta": z.number().optional(),
  })
  .superRefine((metric, ctx) => {
    const kind = metricKindOf(metric);
    for (const key of KIND_KEYS[kind]) {
      if (metric[key as keyof typeof metric] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} (needed by kind: ${kind})` });
      }
    }
    for (const other of metricKinds.filter((k) => k !== kind)) {
      for (const key of KIND_KEYS[other]) {
        if (KIND_KEYS[kind].includes(key) || metric[key as keyof typeof metric] === undefined) continue;
        ctx.addIssue({ code: "custom", path: [key], message: `no ${key} with kind: ${kind} (${key} belongs to kind: ${other})` });
      }
    }
    if (kind === "query") {
      for (const key of ["min-requests", "on-no-traffic"] as const) {
        if (metric[key] !== undefined)
          ctx.addIssue({ code: "custom", path: [key], message: `no ${key} with kind: query (use kind: ratio or quantile)` });
      }
    }
    checkPromql(metric.query, "query", ctx);
    checkPromql(metric["baseline-query"], "baseline-query", ctx);
    checkSelector(metric.errors, "errors", ctx);
    checkSelector(metric.total, "total", ctx);
    const histogram = checkSelector(metric.histogram, "histogram", ctx);
    if (histogram && "metric" in histogram && histogram.metric?.endsWith("_bucket")) {
      ctx.addIssue({
        code: "custom",
        path: ["histogram"],
        message: `the histogram's name without _bucket (${histogram.metric.slice(0, -7)})`,
      });
    } else if (histogram && !("problem" in histogram) && !histogram.metric) {
      ctx.addIssue({ code: "custom", path: ["histogram"], message: "the histogram's metric name, e.g. http_request_duration_seconds" });
    }
    const hasBaseline = metric["baseline-query"] !== undefined || metric.baseline !== undefined;
    const hasComparison = metric["max-ratio"] !== undefined || metric["max-delta"] !== undefined;
    if (metric["baseline-query"] !== undefined && metric.baseline !== undefined) {
      ctx.addIssue({ code: "custom", path: ["baseline"], message: "either baseline: previous or baseline-query, not both" });
    }
    const baselineKey = metric.baseline !== undefined ? "baseline" : "baseline-query";
    if (hasBaseline && !hasComparison) {
      ctx.addIssue({ code: "custom", path: [baselineKey], message: `max-ratio and/or max-delta beside ${baselineKey}` });
    }
    if (hasComparison && !hasBaseline) {
      const key = metric["max-ratio"] !== undefined ? "max-ratio" : "max-delta";
      ctx.addIssue({ code: "custom", path: [key], message: "baseline: previous or a baseline-query to compare against" });
    }
    const thresholds = ["max", "min", "warn-max", "warn-min"] as const;
    if (thresholds.every((key) => metric[key] === undefined) && !hasBaseline && !hasComparison) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "at least one threshold: max, min, warn-max, warn-min, or baseline: previous / baseline-query with max-ratio/max-delta",
      });
    }
    if (metric.max !== undefined && metric.min !== undefined && metric.min > metric.max) {
      ctx.addIssue({ code: "custom", path: ["min"], message: `a min no greater than max (${metric.max})` });
    }
  });

export type MetricSpec = z.output<typeof metricSchema>;

/** The kind a metric is measured as: `kind:` when given, else `query`. */
export function metricKindOf(metric: { kind?: MetricKind | undefined }): MetricKind {
  return metric.kind ?? "query";
}

/** The `metrics` list: at least one metric, names unique (they key the report). */
export const metricListSchema = z
  .array(metricSchema)
  .min(1)
  .superRefine((metrics, ctx) => {
    const seen = new Set<string>();
    metrics.forEach((metric, index) => {
      if (seen.has(metric.name)) ctx.addIssue({ code: "custom", path: [index, "name"], message: "a name no other metric uses" });
      seen.add(metric.name);
    });
  });

// Placeholders are filled before the query runs; a stand-in lets the grammar check the rest now.
function withStandIns(text: string): string {
  return PLACEHOLDERS.reduce((out, name) => out.replaceAll(`{${name}}`, "placeholder"), text);
}

function checkPromql(text: string | undefined, key: string, ctx: z.RefinementCtx): void {
  if (text === undefined) return;
  const error = promqlSyntaxError(withStandIns(text));
  if (error)
    ctx.addIssue({ code: "custom", path: [key], message: "PromQL the official grammar accepts", params: { syntaxError: error.message } });
}

function checkSelector(text: string | undefined, key: string, ctx: z.RefinementCtx) {
  if (text === undefined) return undefined;
  const selector = parseSelector(withStandIns(text));
  if ("problem" in selector) {
    ctx.addIssue({
      code: "custom",
      path: [key],
      message: 'one series selector such as http_requests_total{code=~"5.."}',
      params: { syntaxError: selector.problem },
    });
  }
  return selector;
}
