import { expandPlaceholders, type PlaceholderValues } from "@cutover/core";
import { type MetricSpec, metricKindOf } from "./metric-schema.js";
import { parseSelector, type Scope, scopeQuery } from "./promql-scope.js";

/** The PromQL a metric runs for one release: its value and, for ratio/quantile, the traffic behind it. */
export interface MetricQueries {
  /** The scoped query whose result is judged. */
  value: string;
  /** Requests in the window (kind ratio / quantile): below `min-requests`, the release is not judged. */
  traffic?: string;
}

/**
 * Builds a metric's queries for one release: placeholders filled from `values`, then every
 * selector scoped to `scope` (whose own values may be placeholders, e.g. `{ color: "{color}" }`).
 * A ratio with no error series is 0 (`or vector(0)`), not empty.
 */
export function metricQueries(spec: MetricSpec, scope: Scope, values: PlaceholderValues): MetricQueries {
  const fill = (text: string) => expandPlaceholders(text, values);
  const scoped = (query: string) => scopeQuery(query, expandScope(scope, values));
  switch (metricKindOf(spec)) {
    case "ratio": {
      const window = spec.window ?? "5m";
      const errors = fill(spec.errors ?? "");
      const total = fill(spec.total ?? "");
      return {
        value: scoped(`(sum(rate(${errors}[${window}])) or vector(0)) / sum(rate(${total}[${window}]))`),
        traffic: scoped(`sum(increase(${total}[${window}]))`),
      };
    }
    case "quantile": {
      const window = spec.window ?? "5m";
      const { bucket, count } = histogramSeries(fill(spec.histogram ?? ""));
      return {
        value: scoped(`histogram_quantile(${spec.quantile}, sum by (le) (rate(${bucket}[${window}])))`),
        traffic: scoped(`sum(increase(${count}[${window}]))`),
      };
    }
    default:
      return { value: scoped(fill(spec.query ?? "")) };
  }
}

/** The scope with its placeholders filled: `{ color: "{color}" }` → `{ color: "green" }`. */
export function expandScope(scope: Scope, values: PlaceholderValues): Scope {
  return Object.fromEntries(Object.entries(scope).map(([label, value]) => [label, expandPlaceholders(value, values)]));
}

function histogramSeries(selector: string): { bucket: string; count: string } {
  const parsed = parseSelector(selector);
  if ("problem" in parsed || !parsed.metric) throw new Error(`histogram ${selector} is not a series selector`);
  const matchers = parsed.matchers ? `{${parsed.matchers}}` : "";
  return { bucket: `${parsed.metric}_bucket${matchers}`, count: `${parsed.metric}_count${matchers}` };
}
