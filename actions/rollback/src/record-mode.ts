import { ConfigError, type ConfigIssue, type Redactor } from "@cutover/core";
import type { DeploymentLedger } from "@cutover/ledger";
import { type RecordRequest, recordDeployment } from "@cutover/rollback";
import { setOutputs, setReport, writeSummary } from "@cutover/runner";
import type { RollbackInputs } from "./inputs.js";
import { runUrl } from "./open-ledger.js";
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
  io: { log: (line: string) => void; warn: (line: string) => void; redactor: Redactor },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const result = await recordDeployment(ledger, recordRequestOf(inputs, env, io.warn));
  const { record } = result;
  io.log(`record: ${result.action} deployment #${record.id} of ${record.environment} (${record.payload.version}): ${record.state}`);
  setOutputs({ "deployment-id": record.id, "previous-version": result.live?.payload.version ?? "" }, io.redactor);
  setReport({ mode: "record", action: result.action, ledger: ledger.where, deployment: describeRecord(record) }, io.redactor);
  await writeSummary(renderRecordSummary(result, ledger.where), io.redactor);
}

/** Checks the record-mode inputs together, before anything is written, and builds the request. */
function recordRequestOf(inputs: RollbackInputs, env: NodeJS.ProcessEnv, warn: (line: string) => void): RecordRequest {
  const issues: ConfigIssue[] = [];
  const id = inputs["deployment-id"];
  const ref = inputs.ref ?? env.GITHUB_REF_NAME;
  const sha = inputs.sha ?? env.GITHUB_SHA;
  const { version, "slack-channel": channel, "slack-ts": ts } = inputs;
  if (id !== undefined && !inputs.status)
    issues.push({ input: "status", path: "", expected: "in_progress, success, failure or inactive when deployment-id is given" });
  if (id === undefined) {
    if (!version) issues.push({ input: "version", path: "", expected: "the version being deployed, to open a record" });
    if (!ref) issues.push({ input: "ref", path: "", expected: "a git ref (or GITHUB_REF_NAME set by the runner)" });
    if (!sha) issues.push({ input: "sha", path: "", expected: "a commit SHA (or GITHUB_SHA set by the runner)" });
    if ((channel === undefined) !== (ts === undefined))
      issues.push({ input: channel ? "slack-ts" : "slack-channel", path: "", expected: "slack-channel and slack-ts given together" });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const logUrl = inputs["log-url"] ?? runUrl(env);
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
