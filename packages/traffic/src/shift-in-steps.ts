import { abortReason, CancelledError, GateFailedError, type GateFinding } from "@cutover/core";
import { type Color, otherColor } from "./color.js";
import type { Router } from "./router.js";
import type { SwitchRecord, TrafficStep } from "./switch-record.js";
import { revertSwitch, type SwitchVerifyRevertOptions, switchVerifyRevert } from "./switch-verify-revert.js";
import { allTo, soleColor, type TrafficWeights } from "./traffic-weights.js";

/** What holding one share found: `ok` lets the rollout go on. */
export interface StepJudgement {
  ok: boolean;
  /** One sentence: what was judged and what it showed. */
  reason: string;
  /** Each measured value against its threshold, for the refusal. */
  findings?: GateFinding[];
}

export interface ShiftInStepsOptions extends Pick<SwitchVerifyRevertOptions, "target" | "version" | "verify" | "signal" | "log" | "warn"> {
  /** The target's share at each step, rising, the last 100 (see trafficStepsSchema). */
  shares: readonly number[];
  /** Holds a share and judges the target at it (the step's analysis); throws CancelledError on a cancel. */
  judge: (step: TrafficStep, signal: AbortSignal) => Promise<StepJudgement>;
  /**
   * A cancel between steps: `revert` returns all traffic (a release not yet proven), `finish`
   * sends all of it to the target (a rollback: the target is the known-good side) and sets
   * `record.cancelled`. Default `revert`.
   */
  onCancel?: "revert" | "finish";
}

/**
 * Moves traffic to the target in steps: each share is switched and verified as a swap is, then
 * held and judged; the first step the judge refuses (or a cancel) returns all traffic to where it
 * was before the rollout. `record` (see newSwitchRecord) gains `steps`. Throws GateFailedError
 * naming the step, CancelledError on a cancel.
 */
export async function shiftInSteps(router: Router, record: SwitchRecord, options: ShiftInStepsOptions): Promise<void> {
  const { target, log } = options;
  if (record.previous === target && (!record.previousWeights || soleColor(record.previousWeights) === target)) {
    record.noop = true;
    log(`${target} already has all traffic on ${router.describe()}: nothing to shift`);
    return;
  }
  const from: Color = record.previous && record.previous !== target ? record.previous : otherColor(target);
  const steps: TrafficStep[] = [];
  record.steps = steps;
  const started = performance.now();
  try {
    await takeSteps(router, record, options, from, steps);
  } finally {
    // From the first share to the last (or to the return), not only the last step's switch.
    record.durationMs = Math.round((performance.now() - started) * 10) / 10;
  }
}

async function takeSteps(
  router: Router,
  record: SwitchRecord,
  options: ShiftInStepsOptions,
  from: Color,
  steps: TrafficStep[],
): Promise<void> {
  const { target, log, signal } = options;
  const undo = { target, log, revertOnFailure: true };
  for (const share of options.shares) {
    const weights = share === 100 ? allTo(target) : ({ [target]: share, [from]: 100 - share } as TrafficWeights);
    log(`Step ${steps.length + 1} of ${options.shares.length}: ${share}% of traffic to ${target}`);
    await switchVerifyRevert(router, record, {
      ...options,
      weights,
      revertOnFailure: true,
      onCancel: options.onCancel ?? "revert",
      whenActive: "apply",
    });
    const step: TrafficStep = { share, weights, at: record.switch?.at ?? new Date().toISOString() };
    steps.push(step);
    if (record.cancelled) return finishAfterCancel(router, record, target, log);
    if (share === 100) break;
    // Between steps the larger share says which color is active.
    record.active = share > 50 ? target : from;

    let judgement: StepJudgement;
    try {
      if (signal.aborted) throw new CancelledError(abortReason(signal).message);
      judgement = await options.judge(step, signal);
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      step.verdict = "cancelled";
      if (options.onCancel === "finish") {
        record.cancelled = `${error.message} at ${share}% on ${target}: all traffic was sent to ${target}`;
        return finishAfterCancel(router, record, target, log);
      }
      const undone = await revertSwitch(router, record, `the run was cancelled at ${share}%`, undo);
      throw new CancelledError(`${error.message} at ${share}% on ${target}; ${undone}`);
    }
    step.verdict = judgement.ok ? "pass" : "fail";
    step.reason = judgement.reason;
    log(`${judgement.ok ? "✓" : "✗"} ${share}% on ${target}: ${judgement.reason}`);
    if (!judgement.ok) {
      const undone = await revertSwitch(router, record, `${share}% on ${target} failed: ${judgement.reason}`, undo);
      throw new GateFailedError(`${target} failed at ${share}% of traffic: ${judgement.reason}; ${undone}`, judgement.findings ?? []);
    }
  }
  record.active = target;
}

/** After a cancel with `finish`: all traffic to the target at once, the rest of the steps skipped. */
async function finishAfterCancel(router: Router, record: SwitchRecord, target: Color, log: (line: string) => void): Promise<void> {
  if (record.weights && soleColor(record.weights) === target) return;
  log(`Cancelled: sending all traffic to ${target} now, without the remaining steps`);
  const result = await router.switchTo(target);
  record.weights = result.weights ?? allTo(target);
  record.steps?.push({ share: 100, weights: record.weights, at: new Date().toISOString() });
  record.active = target;
  record.switched = true;
}
