import type { SwitchRecord } from "@cutover/traffic";

/** Everything the step did, in the order it did it: the source of outputs, report and summary. */
export interface SwapOutcome extends SwitchRecord {
  mode: "switch" | "status";
  router: string;
  provider: string;
  statusMs: number;
  error?: string;
}
