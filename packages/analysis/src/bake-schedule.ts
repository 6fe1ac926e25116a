/**
 * A bake given as "watch for `durationMs`" turned into the gate's own settings. The readiness
 * probes cover the whole bake unless metrics or alert rules judge it, in which case readiness
 * needs only two passes in a row and the analysis fills the duration instead.
 */
export interface BakeScheduleInput {
  durationMs: number;
  /** Time between readiness probes. */
  intervalMs: number;
  /** Time between metric measurements. */
  analysisIntervalMs: number;
  /** Metrics or alert rules are judged. */
  analyses: boolean;
}

export interface BakeSchedule {
  healthyThreshold: number;
  analysisCount: number;
  /** The readiness deadline: the duration, two intervals of slack, and a minute for slow first answers. */
  timeoutMs: number;
}

// Two passes in a row: the color answers, and did not answer by luck once.
const READINESS_PASSES_BEFORE_ANALYSIS = 2;
const DEADLINE_SLACK_MS = 60_000;

export function bakeSchedule(input: BakeScheduleInput): BakeSchedule {
  const probes = Math.max(1, Math.ceil(input.durationMs / input.intervalMs));
  return {
    healthyThreshold: input.analyses ? READINESS_PASSES_BEFORE_ANALYSIS : probes,
    analysisCount: Math.max(1, Math.ceil(input.durationMs / input.analysisIntervalMs)),
    timeoutMs: input.durationMs + 2 * input.intervalMs + DEADLINE_SLACK_MS,
  };
}
