/** When traffic moved during a run, from the swap steps' outputs. */
export interface TrafficMoves {
  previousColor?: string;
  newColor?: string;
  /** blue-green-swap moved traffic to the new color (ISO 8601). */
  switchedAt?: string;
  /** blue-green-swap moved it back itself after a failed or cancelled verification. */
  revertedAt?: string;
  /** The later "swap traffic back" step moved it back. */
  swappedBackAt?: string;
  /** Why traffic went back, in a few words (the deciding stage). */
  backBecause?: string;
  /** A rollout in steps: the new color's share at each, when it was set and what judging it found. */
  steps?: readonly { share: number; at: string; verdict?: string | undefined }[];
}

export interface TimelineEntry {
  /** ISO 8601; absent for the state before the run. */
  at?: string;
  color: string;
  what: string;
}

/** The colors that served, in order: who served before, each move, and why it went back. */
export function trafficTimeline(moves: TrafficMoves): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (moves.previousColor && !moves.switchedAt) return [{ color: moves.previousColor, what: "served throughout; traffic never moved" }];
  if (moves.previousColor) entries.push({ color: moves.previousColor, what: "served before the run" });
  if (moves.steps && moves.steps.length > 0 && moves.newColor) {
    for (const step of moves.steps) {
      const judged = step.verdict ? `, ${step.verdict === "pass" ? "passed" : step.verdict === "fail" ? "failed" : step.verdict}` : "";
      const what = step.share === 100 ? "took all traffic (last step)" : `took ${step.share}% (step${judged})`;
      entries.push({ at: step.at, color: moves.newColor, what });
    }
  } else if (moves.switchedAt && moves.newColor) entries.push({ at: moves.switchedAt, color: moves.newColor, what: "took traffic (swap)" });
  const back = moves.revertedAt ?? moves.swappedBackAt;
  if (back && moves.previousColor) {
    const failedStep = moves.steps?.find((step) => step.verdict === "fail" || step.verdict === "cancelled");
    const how = failedStep
      ? `the ${failedStep.share}% step ${failedStep.verdict === "fail" ? "failed" : "was cancelled"}, traffic returned`
      : moves.revertedAt
        ? "verification failed, the swap reverted"
        : "swapped back";
    entries.push({ at: back, color: moves.previousColor, what: `${how}${moves.backBecause ? `: ${moves.backBecause}` : ""}` });
  }
  entries.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? ""));
  return entries;
}

/** `07:31:02 UTC`: a time of day is what a person compares within one run. */
export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(11, 19)} UTC`;
}
