import { type GitHubContext, type Redactor, runUrl } from "@cutover/core";
import type { DeploymentLedger } from "@cutover/ledger";
import { type RecordRequest, recordDeployment } from "@cutover/rollback";
import { setOutputs, setReport, writeSummary } from "@cutover/runner";
import type { RollbackInputs } from "./inputs.js";
import { describeRecord } from "./rollback-report.js";
import { renderRecordSummary } from "./summary.js";

/** Inputs that belong to the payload, which is fixed when a record is opened. */
const PAYLOAD_INPUTS = [
  "version",
  "ref",
  "sha",
  "color",
  "replaced-color",
  "schema-before",
  "schema-after",
  "compatibility",
  "migrations",
  "slack-channel",
  "slack-ts",
] as const;

/** mode: record — the inputs as a request to recordDeployment, its record as outputs, report and summary. */
export async function runRecordMode(
  ledger: DeploymentLedger,
  inputs: RollbackInputs,
  io: { log: (line: string) => void; warn: (line: string) => void; redactor: Redactor; github: GitHubContext },
): Promise<void> {
  const result = await recordDeployment(ledger, recordRequestOf(inputs, io.github, io.warn));
  const { record } = result;
  io.log(`record: ${result.action} deployment #${record.id} of ${record.environment} (${record.payload.version}): ${record.state}`);
  setOutputs({ "deployment-id": record.id, "previous-version": result.live?.payload.version ?? "" }, io.redactor);
  setReport({ mode: "record", action: result.action, ledger: ledger.where, deployment: describeRecord(record) }, io.redactor);
  await writeSummary(renderRecordSummary(result, ledger.where), io.redactor);
}

/** The request to recordDeployment (inputs that only make sense together were checked with the schema). */
function recordRequestOf(inputs: RollbackInputs, github: GitHubContext, warn: (line: string) => void): RecordRequest {
  const id = inputs["deployment-id"];
  const ref = inputs.ref ?? github.refName;
  const sha = inputs.sha ?? github.sha;
  const { version, "slack-channel": channel, "slack-ts": ts } = inputs;
  const logUrl = inputs["log-url"] ?? runUrl(github);
  const common = {
    environment: inputs.environment,
    ...(inputs.status ? { status: inputs.status } : {}),
    ...(inputs.description ? { description: inputs.description } : {}),
    ...(inputs["environment-url"] ? { environmentUrl: inputs["environment-url"] } : {}),
    ...(logUrl ? { logUrl } : {}),
  };
  if (id !== undefined) {
    const ignored = PAYLOAD_INPUTS.filter((name) => inputs[name] !== undefined);
    if (ignored.length > 0)
      warn(`record: ${ignored.join(", ")} ignored: a record's payload is fixed when it is opened (deployment #${id})`);
    return { ...common, deploymentId: id };
  }
  const schemaGiven = [inputs["schema-before"], inputs["schema-after"], inputs.compatibility, inputs.migrations].some(
    (v) => v !== undefined,
  );
  const deployment = {
    version: version as string,
    ref: ref as string,
    sha: sha as string,
    ...(inputs.color ? { color: inputs.color } : {}),
    ...(inputs["replaced-color"] ? { replacedColor: inputs["replaced-color"] } : {}),
    ...(schemaGiven
      ? {
          schema: {
            ...(inputs["schema-before"] ? { before: inputs["schema-before"] } : {}),
            ...(inputs["schema-after"] ? { after: inputs["schema-after"] } : {}),
            ...(inputs.compatibility ? { compatibility: inputs.compatibility } : {}),
            ...(inputs.migrations ? { migrations: inputs.migrations } : {}),
          },
        }
      : {}),
    ...(channel && ts ? { slack: { channel, ts } } : {}),
  };
  return { ...common, deployment };
}
