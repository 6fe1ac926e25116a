import { formatDuration, GateFailedError, redactUrl } from "@cutover/core";
import type { AnalysisResult, Verdict } from "./analysis-loop.js";
import type { ReadinessResult } from "./readiness.js";
import { analysisFindings, decidingReason } from "./verdict-reason.js";

export interface GateVerdictInput {
  /** The readiness poll's result, when the gate polled a URL. */
  readiness?: ReadinessResult | undefined;
  /** The metric analysis's result, when the gate analysed metrics. */
  analysis?: AnalysisResult | undefined;
  /** What an inconclusive analysis means: `fail` stops the release, `pass` lets it through with a warning. */
  onInconclusive: "pass" | "fail";
  /** The readiness settings, quoted in the refusal. */
  readinessTimeoutMs: number;
  healthyThreshold: number;
}

export interface GateVerdict {
  verdict: Verdict;
  /** Whether the release may take traffic (an inconclusive verdict can be let through). */
  healthy: boolean;
  /** One sentence for the summary and report. */
  headline: string;
  /** The gate's no, with every measured value against its threshold; throw it after publishing. */
  refusal?: GateFailedError;
  /** Said when an inconclusive verdict was let through. */
  warning?: string;
}

/** Readiness plus analysis into one verdict: fail when either fails, inconclusive per `onInconclusive`. */
export function judgeGate(input: GateVerdictInput): GateVerdict {
  const { readiness, analysis } = input;
  const verdict: Verdict = readiness && !readiness.healthy ? "fail" : (analysis?.verdict ?? "pass");
  const healthy = verdict === "pass" || (verdict === "inconclusive" && input.onInconclusive === "pass");
  const headline = headlineFor(verdict, healthy, readiness, analysis);

  if (readiness && !readiness.healthy) {
    const last = readiness.probes.at(-1);
    const refusal = new GateFailedError(
      readiness.outcome === "deadline" ? `not healthy within ${formatDuration(input.readinessTimeoutMs)}` : "endpoint unhealthy",
      [
        {
          subject: `readiness of ${redactUrl(readiness.url)}`,
          measured: readiness.message,
          expected: `${input.healthyThreshold} passing probe(s) in a row${last && !last.answered ? " (the endpoint never answered)" : ""}`,
        },
      ],
    );
    return { verdict, healthy, headline, refusal };
  }
  if (!analysis) return { verdict, healthy, headline };
  if (verdict === "fail") {
    return {
      verdict,
      healthy,
      headline,
      refusal: new GateFailedError(`analysis failed: ${decidingReason(analysis, "short")}`, analysisFindings(analysis, "fail")),
    };
  }
  if (verdict === "inconclusive") {
    const why = `could not judge the release (${analysis.reason}); this says nothing about the app's health`;
    return healthy
      ? { verdict, healthy, headline, warning: `health-gate: ${why}; on-inconclusive is pass, so the gate lets it through` }
      : { verdict, healthy, headline, refusal: new GateFailedError(`inconclusive: ${why}`, analysisFindings(analysis, "inconclusive")) };
  }
  return { verdict, healthy, headline };
}

function headlineFor(verdict: Verdict, letThrough: boolean, readiness?: ReadinessResult, analysis?: AnalysisResult): string {
  if (readiness && !readiness.healthy) return readiness.message;
  if (verdict === "fail" && analysis) return decidingReason(analysis);
  if (verdict === "inconclusive" && analysis)
    return `could not judge the release${letThrough ? " (on-inconclusive: pass)" : ""}: ${decidingReason(analysis)}`;
  if (analysis?.metrics.some((m) => m.noTraffic)) return `the release may take traffic (${analysis.reason})`;
  return "the release may take traffic";
}
