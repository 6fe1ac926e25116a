import * as core from "@actions/core";
import { ConfigError, type ConfigIssue } from "@cutover/core";
import type { DeploymentLedger, DeploymentPayloadInput, DeploymentRecord } from "@cutover/ledger";
import type { RollbackInputs } from "./inputs.js";
import { runUrl } from "./open-ledger.js";

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

export interface RecordResult {
  action: "opened" | "updated";
  record: DeploymentRecord;
}

/** Checks the record-mode inputs together, before anything is written. */
export function checkRecordInputs(inputs: RollbackInputs, env: NodeJS.ProcessEnv = process.env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (inputs["deployment-id"] !== undefined) {
    if (!inputs.status)
      issues.push({ input: "status", path: "", expected: "in_progress, success, failure or inactive when deployment-id is given" });
    return issues;
  }
  if (!inputs.version) issues.push({ input: "version", path: "", expected: "the version being deployed, to open a record" });
  if (!(inputs.ref ?? env.GITHUB_REF_NAME))
    issues.push({ input: "ref", path: "", expected: "a git ref (or GITHUB_REF_NAME set by the runner)" });
  if (!(inputs.sha ?? env.GITHUB_SHA)) issues.push({ input: "sha", path: "", expected: "a commit SHA (or GITHUB_SHA set by the runner)" });
  if ((inputs["slack-channel"] === undefined) !== (inputs["slack-ts"] === undefined)) {
    issues.push({
      input: inputs["slack-channel"] ? "slack-ts" : "slack-channel",
      path: "",
      expected: "slack-channel and slack-ts given together",
    });
  }
  return issues;
}

/** mode: record — opens a record (then sets `status` if it is not in_progress), or adds a status to one. */
export async function recordDeployment(
  ledger: DeploymentLedger,
  inputs: RollbackInputs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RecordResult> {
  const issues = checkRecordInputs(inputs, env);
  if (issues.length > 0) throw new ConfigError(issues);
  const logUrl = inputs["log-url"] ?? runUrl(env);
  const urls = {
    ...(inputs["environment-url"] ? { environmentUrl: inputs["environment-url"] } : {}),
    ...(logUrl ? { logUrl } : {}),
  };
  const id = inputs["deployment-id"];
  if (id !== undefined) {
    const ignored = PAYLOAD_INPUTS.filter((name) => inputs[name] !== undefined);
    if (ignored.length > 0) {
      core.warning(`record: ${ignored.join(", ")} ignored: a record's payload is fixed when it is opened (deployment #${id})`);
    }
    const existing = await ledger.get(id);
    if (existing.environment !== inputs.environment) {
      throw ConfigError.single({
        input: "deployment-id",
        path: "",
        given: String(id),
        expected: `a deployment of '${inputs.environment}' (#${id} belongs to '${existing.environment}')`,
      });
    }
    const record = await ledger.update(id, {
      state: inputs.status ?? "in_progress",
      ...(inputs.description ? { description: inputs.description } : {}),
      ...urls,
    });
    return { action: "updated", record };
  }
  const opened = await ledger.open({
    environment: inputs.environment,
    payload: payloadFrom(inputs, env),
    ...(inputs.description ? { description: inputs.description } : {}),
    ...urls,
  });
  const status = inputs.status ?? "in_progress";
  const record = status === "in_progress" ? opened : await ledger.update(opened.id, { state: status, ...urls });
  return { action: "opened", record };
}

function payloadFrom(inputs: RollbackInputs, env: NodeJS.ProcessEnv): DeploymentPayloadInput {
  const schemaGiven =
    inputs["schema-before"] !== undefined ||
    inputs["schema-after"] !== undefined ||
    inputs.compatibility !== undefined ||
    inputs.migrations !== undefined;
  return {
    version: inputs.version as string,
    ref: (inputs.ref ?? env.GITHUB_REF_NAME) as string,
    sha: (inputs.sha ?? env.GITHUB_SHA) as string,
    ...(inputs.color ? { color: inputs.color } : {}),
    ...(inputs["replaced-color"] ? { replacedColor: inputs["replaced-color"] } : {}),
    ...(schemaGiven
      ? {
          schema: {
            ...(inputs["schema-before"] ? { before: inputs["schema-before"] } : {}),
            ...(inputs["schema-after"] ? { after: inputs["schema-after"] } : {}),
            compatibility:
              inputs.compatibility ??
              (inputs.migrations?.some((m) => m.classification === "contract")
                ? "contract"
                : inputs.migrations?.length
                  ? "expand"
                  : "none"),
            migrations: inputs.migrations ?? [],
          },
        }
      : {}),
    ...(inputs["slack-channel"] && inputs["slack-ts"] ? { slack: { channel: inputs["slack-channel"], ts: inputs["slack-ts"] } } : {}),
  };
}
