import { formatDuration } from "@cutover/core";
import type { StepOutcome, WorkflowResult } from "./run-result.js";

const MARKS: Record<StepOutcome, string> = { success: "✓", failure: "✗", cancelled: "⊘", skipped: "○" };

/** The symbol the live log and the timeline put before a step. */
export function outcomeMark(outcome: StepOutcome): string {
  return MARKS[outcome];
}

/** Renders every job and step with its start offset and duration, in the order they ran. */
export function formatTimeline(result: WorkflowResult): string {
  const rows: string[][] = [];
  for (const job of result.jobs) {
    rows.push([
      `+${formatDuration(job.startedAtMs)}`,
      formatDuration(job.durationMs),
      `${outcomeMark(job.result)} ${job.result}`,
      `${job.name}`,
    ]);
    for (const step of job.steps) {
      const status = step.outcome === step.conclusion ? step.outcome : `${step.outcome} (continue-on-error)`;
      const duration = step.outcome === "skipped" ? "-" : formatDuration(step.durationMs);
      rows.push([`+${formatDuration(step.startedAtMs)}`, duration, `${outcomeMark(step.outcome)} ${status}`, `  ${step.name}`]);
    }
  }
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  const lines = rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell)).join("  "));
  return [
    `Timeline of ${result.workflow} (${result.conclusion}, ${formatDuration(result.durationMs)})`,
    ...lines.map((line) => `  ${line}`),
  ].join("\n");
}
