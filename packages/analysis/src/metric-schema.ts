import { z } from "zod";

/** What a measurement with no data counts as. */
export const noDataPolicy = z.enum(["fail", "pass", "inconclusive"]);
export type NoDataPolicy = z.output<typeof noDataPolicy>;

/** One metric as users write it in the `metrics` input. */
export const metricSchema = z
  .strictObject({
    name: z.string().min(1),
    /** PromQL that returns one value (a one-series vector or a scalar). */
    query: z.string().min(1),
    max: z.number().optional(),
    min: z.number().optional(),
    "on-no-data": noDataPolicy.default("inconclusive"),
    /** The same metric for the color that serves now, to judge the release against it. */
    "baseline-query": z.string().min(1).optional(),
    /** Highest value / baseline allowed, e.g. 1.5 for "at most 50% worse". */
    "max-ratio": z.number().positive().optional(),
    /** Highest value − baseline allowed. */
    "max-delta": z.number().optional(),
  })
  .superRefine((metric, ctx) => {
    const hasBaseline = metric["baseline-query"] !== undefined;
    const hasComparison = metric["max-ratio"] !== undefined || metric["max-delta"] !== undefined;
    if (hasBaseline && !hasComparison) {
      ctx.addIssue({ code: "custom", path: ["baseline-query"], message: "max-ratio and/or max-delta beside baseline-query" });
    }
    if (hasComparison && !hasBaseline) {
      const key = metric["max-ratio"] !== undefined ? "max-ratio" : "max-delta";
      ctx.addIssue({ code: "custom", path: [key], message: "a baseline-query to compare against" });
    }
    if (metric.max === undefined && metric.min === undefined && !hasBaseline && !hasComparison) {
      ctx.addIssue({ code: "custom", path: [], message: "at least one threshold: max, min, or baseline-query with max-ratio/max-delta" });
    }
    if (metric.max !== undefined && metric.min !== undefined && metric.min > metric.max) {
      ctx.addIssue({ code: "custom", path: ["min"], message: `a min no greater than max (${metric.max})` });
    }
  });

export type MetricSpec = z.output<typeof metricSchema>;

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
