import { type OutcomeDecision, type StepOutcome, type TimelineEntry, timeOfDay, WORKFLOW_STAGES, type Workflow } from "@cutover/pipeline";
import { cell } from "@cutover/runner";

export interface RunOverview {
  workflow: Workflow;
  environment: string;
  version?: string;
  decision: OutcomeDecision;
  /** The deciding gate's own one-line finding, e.g. the bake's metric, value and threshold. */
  finding?: string;
  timeline: TimelineEntry[];
  stages: Partial<Record<string, StepOutcome>>;
}

const HEADLINE: Record<OutcomeDecision["outcome"], string> = {
  success: "✅",
  "rolled-back": "↩️",
  failure: "❌",
  cancelled: "⏹️",
};

const MARK: Record<StepOutcome, string> = { success: "✓", failure: "✗", cancelled: "⏹", skipped: "–", "": "·" };

/** The overview that opens a workflow run's job summary: outcome, the stage that decided, traffic. */
export function renderOverview(overview: RunOverview): string {
  const { decision, workflow } = overview;
  const what = workflow === "deploy" ? `deploy of ${overview.version ?? "the release"}` : "rollback";
  const lines = [
    `## ${HEADLINE[decision.outcome]} ${overview.environment}: ${what} — ${decision.outcome}`,
    "",
    `**${capitalise(decision.summary)}.**`,
    "",
    "| | |",
    "| --- | --- |",
    `| Decided by | ${cell(decidedBy(overview))} |`,
    `| Traffic | ${cell(describeTimeline(overview.timeline))} |`,
    `| Stages | ${WORKFLOW_STAGES[workflow].map(([id, description]) => `${MARK[overview.stages[id] ?? ""]} ${description}`).join(" · ")} |`,
    "",
  ];
  return lines.join("\n");
}

function decidedBy(overview: RunOverview): string {
  const failed = overview.decision.failedStage;
  if (!failed) {
    const last = [...WORKFLOW_STAGES[overview.workflow]].reverse().find(([id]) => overview.stages[id] === "success");
    return last ? `every stage passed, the last one ${last[1]}` : "no stage ran";
  }
  const verb = failed.outcome === "cancelled" ? "was cancelled" : "failed";
  return `${failed.description} ${verb}${overview.finding ? `: ${overview.finding}` : ""}`;
}

function describeTimeline(timeline: TimelineEntry[]): string {
  if (timeline.length === 0) return "unknown: no router status was read";
  return timeline.map((e) => `${e.at ? `${timeOfDay(e.at)} ` : ""}**${e.color}** ${e.what}`).join(" → ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
