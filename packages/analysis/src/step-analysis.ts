import { formatDuration, type GateFinding, sleep } from "@cutover/core";
import { type AnalysisOptions, type AnalysisResult, runAnalysis } from "./analysis-loop.js";
import { judgeGate } from "./gate-verdict.js";
import type { MetricProvider } from "./prometheus-client.js";

export interface StepAnalysisOptions extends Omit<AnalysisOptions, "count" | "initialDelayMs" | "provider"> {
  /** Needed when there are metrics or rules. */
  provider?: MetricProvider | undefined;
  /** How long the share is held: measurements every `intervalMs` within it, the first one interval in. */
  durationMs: number;
  onInconclusive: "pass" | "fail";
}

export interface StepAnalysis {
  ok: boolean;
  reason: string;
  findings?: GateFinding[];
  analysis?: AnalysisResult;
}

/**
 * Holds one step of a rollout for `durationMs` and judges the new color on its own metrics and
 * alert rules meanwhile, as the bake does; with nothing to measure the share is only held.
 */
export async function analyseStep(options: StepAnalysisOptions): Promise<StepAnalysis> {
  const { durationMs, intervalMs } = options;
  const { provider } = options;
  if (!provider || options.metrics.length + (options.rules?.length ?? 0) === 0) {
    await sleep(durationMs, options.signal);
    return { ok: true, reason: `held for ${formatDuration(durationMs)} (no metrics or alert rules to judge it by)` };
  }
  // The first measurement one interval in: right after the shift the metrics hold none of it yet.
  const count = Math.max(1, Math.floor(durationMs / intervalMs));
  const analysis = await runAnalysis({ ...options, provider, count, initialDelayMs: Math.min(intervalMs, durationMs) });
  const judged = judgeGate({ analysis, onInconclusive: options.onInconclusive, readinessTimeoutMs: 0, healthyThreshold: 1 });
  return {
    ok: judged.healthy,
    reason: judged.headline,
    ...(judged.refusal ? { findings: judged.refusal.findings } : {}),
    analysis,
  };
}
