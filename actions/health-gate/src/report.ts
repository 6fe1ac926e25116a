import type { AnalysisResult, Measurement, ReadinessProbe, ReadinessResult } from "@cutover/analysis";
import { redactUrl } from "@cutover/core";
import type { ActionInputs } from "@cutover/runner";
import type { healthGate } from "./inputs.js";
import type { GateOutcome } from "./summary.js";

type Inputs = ActionInputs<(typeof healthGate)["inputs"]>;

/** The `report` output: every probe and every measurement with its value, threshold and outcome. */
export function buildReport(
  outcome: GateOutcome,
  inputs: Inputs,
  readiness: { url: string | undefined; readiness: ReadinessResult | undefined; probes: readonly ReadinessProbe[] },
  analysis: { analysis: AnalysisResult | undefined; measurements: readonly Measurement[] },
) {
  const r = readiness.readiness;
  const a = analysis.analysis;
  return {
    verdict: outcome.verdict,
    healthy: outcome.healthy,
    reason: outcome.headline,
    readiness: readiness.url
      ? {
          url: redactUrl(readiness.url),
          outcome: r?.outcome ?? "cancelled",
          healthy: r?.healthy ?? false,
          message: r?.message ?? null,
          "time-to-healthy-ms": r?.timeToHealthyMs ?? null,
          "first-answer-ms": r?.firstAnswerMs ?? null,
          "first-pass-ms": r?.firstPassMs ?? null,
          "healthy-threshold": inputs["healthy-threshold"],
          "unhealthy-threshold": inputs["unhealthy-threshold"],
          probes: readiness.probes,
        }
      : null,
    analysis:
      inputs.metrics || inputs["alert-rules"]
        ? {
            prometheus: inputs["prometheus-url"] ? redactUrl(inputs["prometheus-url"]) : null,
            verdict: a?.verdict ?? null,
            reason: a?.reason ?? null,
            judged: a?.judged ?? null,
            scope: inputs.scope ?? {},
            "alert-rules": inputs["alert-rules"] ?? null,
            "switched-at": inputs["switched-at"]?.toISOString() ?? null,
            warnings: a?.warnings ?? [],
            taken: a?.taken ?? analysis.measurements.length,
            planned: inputs["analysis-count"],
            "stopped-early": a?.stoppedEarly ?? true,
            "interval-ms": inputs["analysis-interval"],
            "failure-limit": inputs["failure-limit"],
            "inconclusive-limit": inputs["inconclusive-limit"],
            "on-inconclusive": inputs["on-inconclusive"],
            metrics: a
              ? a.metrics
              : (inputs.metrics ?? []).map((spec) => ({
                  name: spec.name,
                  query: spec.query,
                  measurements: analysis.measurements.filter((m) => m.metric === spec.name),
                })),
          }
        : null,
  };
}
