import { ConfigError, type ConfigIssue } from "@cutover/core";
import { deployOutcome, type OutcomeDecision, rollbackOutcome, trafficTimeline, WORKFLOW_STAGES } from "@cutover/pipeline";
import { type ActionInputs, runAction, setOutputs, setReport, takeSummarySections, writeSummary } from "@cutover/runner";
import { outcome } from "./inputs.js";
import { renderOverview } from "./overview.js";

type Inputs = ActionInputs<(typeof outcome)["inputs"]>;

await runAction(outcome, async (inputs, { redactor, log }) => {
  checkStages(inputs);
  const decision = decide(inputs);
  const finding = decision.failedStage ? inputs["stage-reasons"]?.[decision.failedStage.id] || undefined : undefined;
  const reason = finding ? `${decision.summary} — ${finding}` : decision.summary;
  const moves = trafficTimeline({
    previousColor: inputs["previous-color"],
    newColor: inputs.color,
    switchedAt: inputs["switched-at"],
    revertedAt: inputs["reverted-at"],
    swappedBackAt: inputs["switched-back-at"],
    ...(inputs["swap-steps"] ? { steps: inputs["swap-steps"] } : {}),
    ...(decision.failedStage ? { backBecause: `${decision.failedStage.description} failed` } : {}),
  });
  // A traffic rollback moves traffic inside the rollback step: only the color it left is known here.
  const timeline = moves.length === 0 && decision.activeColor ? [{ color: decision.activeColor, what: "serves when the run ends" }] : moves;
  setOutputs(
    {
      outcome: decision.outcome,
      "ledger-status": decision.ledgerStatus,
      "slack-status": decision.slackStatus,
      "active-color": decision.activeColor ?? "",
      "failed-stage": decision.failedStage?.id ?? "",
      summary: decision.summary,
      reason,
    },
    redactor,
  );
  setReport({ ...decision, reason, timeline, stages: inputs.stages }, redactor);
  // The steps' own summaries were kept aside (CUTOVER_COLLECT_SUMMARY): the overview goes on top.
  const sections = takeSummarySections();
  const overview = renderOverview({
    workflow: inputs.workflow,
    environment: inputs.environment,
    ...(inputs.version ? { version: inputs.version } : {}),
    decision,
    ...(finding ? { finding } : {}),
    timeline,
    stages: inputs.stages,
  });
  await writeSummary([overview, ...sections].join("\n"), redactor);
  log.info(`Outcome: ${decision.outcome} (${reason})`);
});

function decide(inputs: Inputs): OutcomeDecision {
  const jobStatus = inputs["job-status"];
  if (inputs.workflow === "deploy") {
    return deployOutcome({
      jobStatus,
      stages: inputs.stages,
      switched: inputs.switched,
      reverted: inputs.reverted,
      swappedBack: inputs["switched-back"],
      ...(inputs["previous-color"] ? { previousColor: inputs["previous-color"] } : {}),
      ...(inputs.color ? { newColor: inputs.color } : {}),
    });
  }
  return rollbackOutcome({
    jobStatus,
    stages: inputs.stages,
    ...(inputs.strategy ? { strategy: inputs.strategy } : {}),
    ...(inputs.version ? { targetVersion: inputs.version } : {}),
    ...(inputs["rollback-color"] ? { rollbackColor: inputs["rollback-color"] } : {}),
    ...(inputs.color ? { swapColor: inputs.color } : {}),
    ...(inputs["previous-color"] ? { liveColor: inputs["previous-color"] } : {}),
  });
}

/** Every stage named must be one of the workflow's, so a renamed step id is caught, not ignored. */
function checkStages(inputs: Inputs): void {
  const known: readonly string[] = WORKFLOW_STAGES[inputs.workflow].map(([id]) => id);
  const issues: ConfigIssue[] = [];
  for (const input of ["stages", "stage-reasons"] as const) {
    for (const id of Object.keys(inputs[input] ?? {})) {
      if (!known.includes(id))
        issues.push({ input, path: id, given: id, expected: `a stage of ${inputs.workflow}.yml: ${known.join(", ")}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
