import { bakeSchedule } from "@cutover/analysis";
import type { ActionInputs } from "@cutover/runner";
import type { healthGate } from "./inputs.js";

type Inputs = ActionInputs<(typeof healthGate)["inputs"]>;

/** With `bake-duration`, healthy-threshold, analysis-count and deadline follow from it (the bake's schedule). */
export function withBakeDuration(inputs: Inputs): Inputs {
  if (inputs["bake-duration"] === undefined) return inputs;
  const schedule = bakeSchedule({
    durationMs: inputs["bake-duration"],
    intervalMs: inputs.interval,
    analysisIntervalMs: inputs["analysis-interval"],
    analyses: Boolean(inputs.metrics || inputs["alert-rules"]),
  });
  return {
    ...inputs,
    "healthy-threshold": schedule.healthyThreshold,
    "analysis-count": schedule.analysisCount,
    deadline: schedule.timeoutMs,
  };
}
