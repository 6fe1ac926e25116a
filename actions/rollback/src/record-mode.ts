import { definedEntries, type GitHubContext, type Redactor, runUrl } from "@cutover/core";
import type { DeploymentLedger } from "@cutover/ledger";
import { describeRecord, type RecordRequest, recordDeployment, recordedSettings } from "@cutover/rollback";
import { setOutputs, setReport, writeSummary } from "@cutover/runner";
import type { RollbackInputs } from "./inputs.js";
import { renderRecordSummary } from "./summary.js";

/** Inputs that belong to the payload, which is fixed when a record is opened. */
const PAYLOAD_INPUTS = [
  "version",
  "ref",
  "sha",
  "color",
  "previous-color",
  "schema-before",
  "schema-after",
  "compatibility",
  "migrations",
  "slack-channel",
  "slack-ts",
  "backup",
  "workflow-inputs",
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
    ...definedEntries({ status: inputs.status, description: inputs.description, environmentUrl: inputs["environment-url"], logUrl }),
  };
  if (id !== undefined) {
    const ignored = PAYLOAD_INPUTS.filter((name) => inputs[name] !== undefined);
    if (ignored.length > 0)
      warn(`record: ${ignored.join(", ")} ignored: a record's payload is fixed when it is opened (deployment #${id})`);
    return { ...common, deploymentId: id };
  }
  const schema = definedEntries({
    before: inputs["schema-before"],
    after: inputs["schema-after"],
    compatibility: inputs.compatibility,
    migrations: inputs.migrations,
    backup: inputs.backup,
  });
  const settings = inputs["workflow-inputs"] ? recordedSettings(inputs["workflow-inputs"], warn) : {};
  const deployment = {
    version: version as string,
    ref: ref as string,
    sha: sha as string,
    ...definedEntries({ color: inputs.color, replacedColor: inputs["previous-color"] }),
    ...(Object.keys(schema).length > 0 ? { schema } : {}),
    ...(channel && ts ? { slack: { channel, ts } } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
  };
  return { ...common, deployment };
}
