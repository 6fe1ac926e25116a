import {
  type AnalysisResult,
  describeProbe,
  type Measurement,
  type MetricResult,
  type ReadinessProbe,
  type ReadinessResult,
  type Verdict,
} from "@cutover/analysis";
import { formatDuration, redactUrl } from "@cutover/core";
import { table } from "@cutover/runner";

const VERDICT_ICON: Record<Verdict, string> = { pass: "✅", fail: "❌", inconclusive: "⚠️" };

export interface GateOutcome {
  verdict: Verdict | "cancelled";
  healthy: boolean;
  headline: string;
}

/** The step summary: the verdict, the readiness timeline, then one table per metric. */
export function renderSummary(
  outcome: GateOutcome,
  readiness: { result?: ReadinessResult; probes: readonly ReadinessProbe[]; url: string; healthyThreshold: number } | undefined,
  analysis: { result?: AnalysisResult; measurements: readonly Measurement[] } | undefined,
): string {
  const icon = outcome.verdict === "cancelled" ? "⏹️" : VERDICT_ICON[outcome.verdict];
  let md = `### health-gate: ${icon} ${outcome.verdict} — ${outcome.headline}\n\n`;
  if (readiness) md += renderReadiness(readiness);
  if (analysis?.result) md += renderAnalysis(analysis.result);
  else if (analysis && analysis.measurements.length > 0) {
    md += `#### Analysis: stopped after ${analysis.measurements.length} measurement(s)\n\n`;
    md += measurementTable(analysis.measurements);
  }
  return md;
}

function renderReadiness(readiness: {
  result?: ReadinessResult;
  probes: readonly ReadinessProbe[];
  url: string;
  healthyThreshold: number;
}): string {
  const { result, probes } = readiness;
  const state = result
    ? result.healthy
      ? `✅ healthy in ${formatDuration(result.timeToHealthyMs ?? 0)}`
      : `❌ ${result.outcome}`
    : "⏹️ stopped";
  let md = `#### Readiness: ${state}\n\nEndpoint: \`${redactUrl(readiness.url)}\`\n\n`;
  const rows: (string | number)[][] = [];
  const first = probes[0];
  if (first) rows.push(["First probe", formatDuration(first.atMs), describeProbe(first)]);
  const firstAnswer = probes.find((p) => p.answered);
  if (firstAnswer && firstAnswer !== first) rows.push(["First answer", formatDuration(firstAnswer.atMs), describeProbe(firstAnswer)]);
  const firstPass = probes.find((p) => p.ok);
  if (firstPass && firstPass !== first && firstPass !== firstAnswer) {
    rows.push(["First pass", formatDuration(firstPass.atMs), describeProbe(firstPass)]);
  }
  if (result?.healthy) {
    rows.push(["Healthy", formatDuration(result.timeToHealthyMs ?? 0), `${readiness.healthyThreshold} passes in a row`]);
  } else if (result) {
    rows.push([result.outcome === "deadline" ? "Deadline" : "Unhealthy", formatDuration(result.elapsedMs), result.message]);
  }
  md += table(["Event", "After", "Probe"], rows);
  const refused = probes.filter((p) => !p.answered).length;
  const passed = probes.filter((p) => p.ok).length;
  md += `\n${probes.length} probe(s): ${passed} passed, ${probes.length - passed - refused} failed, ${refused} without an answer.\n\n`;
  return md;
}

function renderAnalysis(result: AnalysisResult): string {
  const early = result.stoppedEarly ? " (stopped early: the verdict could no longer be pass)" : "";
  let md = `#### Analysis: ${VERDICT_ICON[result.verdict]} ${result.verdict} after ${result.taken} of ${result.planned} measurement(s)${early}\n\n`;
  md += `Judged: **${result.judged}**\n\n`;
  if (result.verdict !== "pass") md += `${result.reason}\n\n`;
  const noTraffic = result.metrics.filter((m) => m.noTraffic);
  if (noTraffic.length > 0) md += `ℹ️ No traffic to judge: ${noTraffic.map((m) => `${m.name} (${m.reason})`).join("; ")}\n\n`;
  if (result.warnings.length > 0) {
    const last = new Map(result.warnings.map((w) => [w.metric, w]));
    md += `⚠️ Warnings (never failing): ${[...last.values()].map((w) => `${w.metric} measured ${w.measured}, expected ${w.expected}`).join("; ")}\n\n`;
  }
  for (const metric of result.metrics) md += renderMetric(metric);
  return md;
}

function renderMetric(metric: MetricResult): string {
  const kind = metric.kind === "rule" ? "alert rule" : `kind ${metric.kind}`;
  let md = `##### ${VERDICT_ICON[metric.verdict]} ${metric.name}: ${metric.verdict} (${kind}${metric.window ? `, window ${metric.window}` : ""})\n\n`;
  md += `Query: \`${metric.query}\``;
  if (metric.trafficQuery) md += `  \nTraffic: \`${metric.trafficQuery}\``;
  if (metric.baselineQuery)
    md += `  \nBaseline: \`${metric.baselineQuery}\`${metric.baselineAt ? ` at ${metric.baselineAt} (just before the swap)` : ""}`;
  md += `  \nThresholds: ${metric.thresholds.join(", ")} — ${metric.reason}\n\n`;
  return md + measurementTable(metric.measurements);
}

function measurementTable(measurements: readonly Measurement[]): string {
  const withBaseline = measurements.some((m) => m.baselineDisplay !== undefined);
  const header = ["#", "After", "Value", ...(withBaseline ? ["Baseline"] : []), "Threshold", "Result"];
  const rows = measurements.map((m) => {
    const failed = m.outcome === "fail";
    const all = [...m.checks, ...m.warnings.map((w) => ({ ...w, expected: `warn: ${w.expected}` }))];
    const threshold =
      all.length > 0
        ? all
            .map(
              (c) =>
                `${c.ok ? "" : c.threshold.startsWith("warn") || c.expected.startsWith("warn") ? "⚠️ " : "❌ "}${c.expected}${c.measured !== m.display ? ` (${c.measured})` : ""}`,
            )
            .join("; ")
        : (m.note ?? "—");
    return [
      m.n,
      formatDuration(m.atMs),
      failed ? `**${m.display}**` : m.display,
      ...(withBaseline ? [m.baselineDisplay ?? "—"] : []),
      threshold,
      outcomeText(m),
    ];
  });
  return `${table(header, rows)}\n`;
}

function outcomeText(m: Measurement): string {
  switch (m.outcome) {
    case "pass":
      return m.warnings.length > 0 ? "✅ pass ⚠️ warning" : "✅ pass";
    case "fail":
      return "❌ **fail**";
    case "inconclusive":
      return "⚠️ inconclusive";
    case "no-traffic":
      return "· no traffic: not judged";
    default:
      return `⚠️ error: ${m.note ?? ""}`;
  }
}
