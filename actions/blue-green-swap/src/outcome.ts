import type { Color, SwitchStep, VerificationResult } from "@cutover/traffic";

/** Everything the step did, in the order it did it: the source of outputs, report and summary. */
export interface SwapOutcome {
  mode: "switch" | "status";
  router: string;
  provider: string;
  /** Active before the step; undefined when the router had no color yet. */
  previous?: Color;
  target?: Color;
  /** Active when the step ended. */
  active?: Color;
  switched: boolean;
  reverted: boolean;
  /** The target was already active: nothing was done. */
  noop: boolean;
  switch?: { durationMs: number; changed: boolean; steps: SwitchStep[]; warnings?: string[] };
  verification?: VerificationResult & { expect?: unknown };
  revert?: { ok: boolean; durationMs: number; reason: string; error?: string };
  /** From the start of the switch to verified (or reverted). */
  durationMs: number;
  statusMs: number;
  error?: string;
}
