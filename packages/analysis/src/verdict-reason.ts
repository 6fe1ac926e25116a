import type { GateFinding } from "@cutover/core";
import type { AnalysisResult, AnalysisWarning, MetricResult, Verdict } from "./analysis-loop.js";

/**
 * One line that names what decided the analysis: the metric or rule, the measured value, the
 * threshold, the window, the release judged and the scoped query, e.g.
 * `error-ratio measured 0.1, expected at most 0.05 over 5m, judging color green, version v2: \`…\``.
 */
export function decidingReason(analysis: AnalysisResult, form: "full" | "short" = "full"): string {
  const metric = analysis.metrics.find((m) => m.verdict === analysis.verdict && analysis.verdict !== "pass");
  if (!metric) return `${analysis.reason}`;
  const decisive = metric.measurements.filter((m) => (analysis.verdict === "fail" ? m.outcome === "fail" : m.outcome !== "pass")).at(-1);
  const check = decisive?.checks.find((c) => !c.ok);
  const what = metric.noTraffic
    ? metric.reason
    : check
      ? `measured ${check.measured}, expected ${check.expected}`
      : (decisive?.note ?? metric.reason);
  if (form === "short") return `${label(metric)} ${what}${judging(analysis)}`;
  return `${label(metric)} ${what}${over(metric)}, judging ${analysis.judged}: \`${metric.query}\``;
}

/** Every measurement that made the verdict, with its scoped query, value, threshold and window, for the annotation. */
export function analysisFindings(analysis: AnalysisResult, verdict: Verdict): GateFinding[] {
  return analysis.metrics
    .filter((m) => m.verdict === verdict)
    .flatMap((metric) => {
      if (metric.noTraffic) {
        return [
          {
            subject: `${label(metric)} of ${analysis.judged} (\`${metric.trafficQuery ?? metric.query}\`)`,
            measured: metric.reason,
            expected: `at least min-requests in ${metric.window}`,
          },
        ];
      }
      const bad = metric.measurements.filter((m) =>
        verdict === "fail" ? m.outcome === "fail" : m.outcome !== "pass" && m.outcome !== "no-traffic",
      );
      return bad.map((m) => {
        const failing = m.checks.filter((c) => !c.ok);
        const baseline =
          m.baselineDisplay === undefined
            ? ""
            : ` (baseline ${m.baselineDisplay} from \`${metric.baselineQuery ?? "—"}\`${metric.baselineAt ? ` at ${metric.baselineAt}` : ""})`;
        const context = [
          metric.window && `window ${metric.window}`,
          analysis.judged !== "the service" && `judging ${analysis.judged}`,
        ].filter(Boolean);
        return {
          subject: `${label(metric)} measurement ${m.n} of \`${metric.query}\``,
          measured: `${failing.length > 0 ? failing.map((c) => c.measured).join(", ") : m.display}${baseline}${m.note ? ` — ${m.note}` : ""}`,
          expected: `${failing.length > 0 ? failing.map((c) => c.expected).join(" and ") : metric.thresholds.join(", ")}${context.length > 0 ? ` (${context.join(", ")})` : ""}`,
        };
      });
    });
}

/** A warning in one line, for annotations and Slack. */
export function describeWarning(warning: AnalysisWarning, judged: string): string {
  return `${warning.metric} measured ${warning.measured}, expected ${warning.expected} (measurement ${warning.n}, judging ${judged}): \`${warning.query}\``;
}

function label(metric: MetricResult): string {
  return metric.kind === "rule" ? `alert rule ${metric.name}` : metric.name;
}

function judging(analysis: AnalysisResult): string {
  return analysis.judged === "the service" ? "" : ` (${analysis.judged})`;
}

function over(metric: MetricResult): string {
  return metric.window ? ` over ${metric.window}` : "";
}
