import { bakeSchedule } from "@cutover/analysis";
import type { ActionInputs } from "@cutover/runner";
import type { healthGate } from "./inputs.js";

type Inputs = ActionInputs<(typeof healthGate)["inputs"]>;

/** With `duration`, healthy-threshold, analysis-count and timeout follow from it (the bake's schedule). */
export function withBakeDuration(inputs: Inputs): Inputs {
  if (inputs.duration === undefined) return inputs;
  const schedule = bakeSchedule({
    durationMs: inputs.duration,
    intervalMs: inputs.interval,
    analysisIntervalMs: inputs["analysis-interval"],
    analyses: Boolean(inputs.metrics || inputs["alert-rules"]),
  });
  return {
    ...inputs,
    "healthy-threshold": schedule.healthyThreshold,
    "analysis-count": schedule.analysisCount,
    timeout: schedule.timeoutMs,
  };
}
