import type { Color } from "./color.js";
import type { SwitchStep } from "./router.js";
import type { TrafficWeights } from "./traffic-weights.js";
import type { VerificationResult } from "./verify-switch.js";

/**
 * What switch → verify → revert did, filled in as it goes, so a failure still reports exactly
 * where traffic is. blue-green-swap's report and rollback's result are built from it.
 */
export interface SwitchRecord {
  /** Active before the switch; undefined when the router had no color yet. */
  previous?: Color;
  target?: Color;
  /** Active when the switch ended (after a revert: the previous color again). */
  active?: Color;
  /** Shares before the switch and when it ended, when the router knows them (a split or a step of one). */
  previousWeights?: TrafficWeights;
  weights?: TrafficWeights;
  switched: boolean;
  reverted: boolean;
  /** The target was already active and `whenActive` was `skip`: nothing was done. */
  noop: boolean;
  /** `at`: when the router finished moving traffic (ISO 8601), for timelines and `baseline: previous`. */
  switch?: { at: string; durationMs: number; changed: boolean; steps: SwitchStep[]; warnings?: string[] };
  verification?: VerificationResult & { expect?: unknown };
  revert?: { at: string; ok: boolean; durationMs: number; reason: string; error?: string };
  /** From the start of the switch to verified (or reverted). */
  durationMs: number;
  /** A rollout in steps (`traffic-steps`): each share as it was set, and what judging it found. */
  steps?: TrafficStep[];
  /**
   * Set with `onCancel: "finish"` when the run was cancelled after traffic moved: the switch
   * was finished and verification skipped or cut short. The caller records it, then reports the cancel.
   */
  cancelled?: string;
}

/** One step of a rollout in steps. */
export interface TrafficStep {
  /** The new color's share in percent. */
  share: number;
  weights: TrafficWeights;
  /** When the router finished moving traffic to these shares (ISO 8601). */
  at: string;
  /** What holding the share for the step's duration found; none on the last step (the bake judges all traffic). */
  verdict?: "pass" | "fail" | "cancelled";
  reason?: string;
}

/** An empty record for a switch from `previous`. */
export function newSwitchRecord(previous: Color | undefined): SwitchRecord {
  return {
    ...(previous ? { previous, active: previous } : {}),
    switched: false,
    reverted: false,
    noop: false,
    durationMs: 0,
  };
}
