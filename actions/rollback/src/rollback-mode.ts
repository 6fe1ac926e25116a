import { CancelledError, ConfigError, type ConfigIssue, type Redactor } from "@cutover/core";
import type { DeploymentLedger } from "@cutover/ledger";
import { type RollbackContext, type RollbackRequest, rollBack } from "@cutover/rollback";
import { secretDirRecorder, setOutputs, setReport, writeSummary } from "@cutover/runner";
import type { RollbackInputs } from "./inputs.js";
import { runUrl } from "./open-ledger.js";
import { buildRollbackReport } from "./rollback-report.js";
import { renderRollbackSummary } from "./summary.js";

/** mode: rollback — the inputs as a request to @cutover/rollback, its outcome as outputs, report and summary. */
export async function runRollbackMode(
  ledger: DeploymentLedger,
  inputs: RollbackInputs,
  context: Omit<RollbackContext, "tempDir" | "onSecretDir"> & { redactor: Redactor },
): Promise<void> {
  const { redactor, ...rest } = context;
  const tempDir = process.env.RUNNER_TEMP;
  const outcome = await rollBack(ledger, requestOf(inputs), {
    ...rest,
    ...(tempDir ? { tempDir } : {}),
    onSecretDir: secretDirRecorder(),
  });
  const target = outcome.plan.selection.target.payload;
  setOutputs(
    {
      strategy: outcome.plan.strategy.strategy,
      "target-version": target.version,
      "target-ref": target.ref,
      "target-sha": target.sha,
      "active-color": outcome.activeColor,
      "deployment-id": outcome.record.id,
    },
    redactor,
  );
  setReport(buildRollbackReport(inputs, ledger.where, outcome), redactor);
  await writeSummary(renderRollbackSummary(inputs.environment, outcome, inputs.reason), redactor);
  if (outcome.cancelled) {
    throw new CancelledError(`${outcome.cancelled}; the rollback to ${target.version} is recorded as #${outcome.record.id}`);
  }
}

/** The request, once the inputs that only make sense together are all there (reported together). */
function requestOf(inputs: RollbackInputs): RollbackRequest {
  const issues: ConfigIssue[] = [];
  const { dir, "database-url": databaseUrl, "verify-url": verifyUrl } = inputs;
  if (inputs["migrate-down"] && !dir)
    issues.push({ input: "dir", path: "", expected: "the migrations directory when migrate-down is true" });
  if (inputs["migrate-down"] && !databaseUrl)
    issues.push({ input: "database-url", path: "", expected: "the database to migrate down when migrate-down is true" });
  if (inputs["verify-expect"] && !verifyUrl)
    issues.push({ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" });
  if (issues.length > 0) throw new ConfigError(issues);
  const logUrl = runUrl();
  return {
    environment: inputs.environment,
    strategy: inputs.strategy,
    ...(inputs["to-version"] ? { toVersion: inputs["to-version"] } : {}),
    ...(inputs.reason ? { reason: inputs.reason } : {}),
    ...(logUrl ? { logUrl } : {}),
    ...(inputs["migrate-down"] && dir && databaseUrl ? { migrateDown: { dir, databaseUrl } } : {}),
    ...(inputs.router ? { router: { config: inputs.router, access: inputs } } : {}),
    ...(verifyUrl ? { verify: { url: verifyUrl, expect: inputs["verify-expect"], timeoutMs: inputs["verify-timeout"] } } : {}),
  };
}
