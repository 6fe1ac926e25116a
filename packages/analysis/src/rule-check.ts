import { expandPlaceholders, formatDuration, type PlaceholderValues } from "@cutover/core";
import { type AlertRule, ruleOnlyWarns } from "./alert-rules.js";
import type { AnalysisCheck, CheckReading } from "./analysis-check.js";
import type { ThresholdCheck } from "./judge-measurement.js";
import { expandScope } from "./metric-queries.js";
import { type Scope, scopeQuery } from "./promql-scope.js";

/**
 * Compiles an alerting rule for one release: its `expr`, scoped, is active when it returns any
 * series and fires once active for `for:` across measurements (as Prometheus pends an alert);
 * a firing `warning`/`info` rule warns, any other severity fails the measurement.
 */
export function ruleCheck(rule: AlertRule, scope: Scope, values: PlaceholderValues): AnalysisCheck {
  const query = scopeQuery(expandPlaceholders(rule.expr, values), expandScope(scope, values));
  const warnsOnly = ruleOnlyWarns(rule);
  const severity = rule.severity || "none";
  let activeSinceMs: number | undefined;
  let lastActiveMs: number | undefined;
  let firing = false;
  const expected = `no series${rule.forMs > 0 ? ` for ${formatDuration(rule.forMs)}` : ""} (severity ${severity}${warnsOnly ? ": warns only" : ""})`;

  return {
    name: rule.name,
    kind: "rule",
    query,
    thresholds: [expected],
    measure: async (run, atMs): Promise<CheckReading> => {
      const { series } = await run.series(query);
      const active = series.length > 0;
      if (active) {
        activeSinceMs ??= atMs;
        lastActiveMs = atMs;
        firing = atMs - activeSinceMs >= rule.forMs;
      } else if (!(firing && lastActiveMs !== undefined && atMs - lastActiveMs < rule.keepFiringForMs)) {
        activeSinceMs = undefined;
        firing = false;
      }
      const shown = series
        .slice(0, 3)
        .map((s) => `${JSON.stringify(s.labels)} ${s.value}`)
        .join(", ");
      const display = firing ? `firing (${series.length} series)` : active ? `pending (${series.length} series)` : "not firing";
      const check: ThresholdCheck = {
        threshold: "for",
        expected,
        measured: active
          ? `${series.length} series for ${formatDuration(atMs - (activeSinceMs ?? atMs))}: ${shown}${series.length > 3 ? ", …" : ""}`
          : firing
            ? "no series now; keep_firing_for holds the alert"
            : "no series",
        ok: !firing,
      };
      const base = { value: series.length, display, checks: [] as ThresholdCheck[], warnings: [] as ThresholdCheck[] };
      if (!firing) {
        return {
          ...base,
          checks: [check],
          outcome: "pass",
          ...(active
            ? { note: `pending: active for ${formatDuration(atMs - (activeSinceMs ?? atMs))} of for: ${formatDuration(rule.forMs)}` }
            : {}),
        };
      }
      return warnsOnly ? { ...base, warnings: [check], outcome: "pass" } : { ...base, checks: [check], outcome: "fail" };
    },
  };
}
