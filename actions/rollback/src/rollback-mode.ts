import { CancelledError, definedEntries, type GitHubContext, type Redactor, runUrl } from "@cutover/core";
import type { DeploymentLedger } from "@cutover/ledger";
import { type RollbackContext, type RollbackRequest, rollBack } from "@cutover/rollback";
import { secretDirRecorder, setOutputs, setReport, writeSummary } from "@cutover/runner";
import type { RollbackInputs } from "./inputs.js";
import { buildRollbackReport } from "./rollback-report.js";
import { renderRollbackSummary } from "./summary.js";

/** mode: rollback — the inputs as a request to @cutover/rollback, its outcome as outputs, report and summary. */
export async function runRollbackMode(
  ledger: DeploymentLedger,
  inputs: RollbackInputs,
  context: Omit<RollbackContext, "onSecretDir"> & { redactor: Redactor; github: GitHubContext },
): Promise<void> {
  const { redactor, github, ...rest } = context;
  // Each private directory (an ssh key) is recorded at once: the post step removes it even after a kill.
  const outcome = await rollBack(ledger, requestOf(inputs, github), { ...rest, onSecretDir: secretDirRecorder() });
  const target = outcome.plan.selection.target.payload;
  setOutputs(
    {
      strategy: outcome.plan.strategy.strategy,
      "target-version": target.version,
      "target-ref": target.ref,
      "target-sha": target.sha,
      "active-color": outcome.activeColor,
      "deployment-id": outcome.record.id,
      settings: JSON.stringify(outcome.settings),
    },
    redactor,
  );
  setReport(buildRollbackReport(inputs, ledger.where, outcome), redactor);
  await writeSummary(renderRollbackSummary(inputs.environment, outcome, inputs.reason), redactor);
  if (outcome.cancelled) {
    throw new CancelledError(`${outcome.cancelled}; the rollback to ${target.version} is recorded as #${outcome.record.id}`);
  }
}

/** The request to @cutover/rollback (inputs that only make sense together were checked with the schema). */
function requestOf(inputs: RollbackInputs, github: GitHubContext): RollbackRequest {
  const { "migrations-dir": dir, "database-url": databaseUrl, "verify-url": verifyUrl, "workflow-inputs": settings } = inputs;
  const down = { dir, databaseUrl, downCommand: inputs["migrations-down-command"], versionCommand: inputs["migrations-version-command"] };
  const logUrl = runUrl(github);
  return {
    environment: inputs.environment,
    strategy: inputs.strategy,
    ...(inputs["target-version"] ? { toVersion: inputs["target-version"] } : {}),
    ...(inputs.reason ? { reason: inputs.reason } : {}),
    ...(logUrl ? { logUrl } : {}),
    ...(inputs["migrate-down"] ? { migrateDown: definedEntries({ ...down, restoreCommand: inputs["restore-command"] }) } : {}),
    ...(settings ? { settings } : {}),
    verifyTimeoutMs: inputs["verify-deadline"],
    ...(inputs.router ? { router: { config: inputs.router, access: inputs } } : {}),
    ...(inputs["traffic-steps"] ? { steps: { shares: inputs["traffic-steps"], holdMs: inputs["step-duration"] } } : {}),
    ...(verifyUrl ? { verify: { url: verifyUrl, expect: inputs["verify-expect"], timeoutMs: inputs["verify-deadline"] } } : {}),
  };
}
