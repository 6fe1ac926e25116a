import type { ConfigIssue, GitHubContext } from "@cutover/core";

type TextInput = "migrations-dir" | "database-url" | "verify-url" | "status" | "version" | "ref" | "sha" | "slack-channel" | "slack-ts";

/** The inputs these rules look at: a slice of the action's parsed inputs. */
type Inputs = Partial<Record<TextInput, string>> & {
  mode: "rollback" | "record";
  "migrate-down": boolean;
  "verify-expect"?: unknown;
  "deployment-id"?: number;
  strategy?: string;
} & { "traffic-steps"?: unknown };

/** Inputs that only make sense together, per mode; reported with the schema's issues (the spec's checks). */
export function rollbackInputIssues(inputs: Inputs, github: GitHubContext): ConfigIssue[] {
  return inputs.mode === "record" ? recordIssues(inputs, github) : rollbackIssues(inputs);
}

function rollbackIssues(inputs: Inputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // Without migrations-dir or a down command: the recorded migrations-dir, else refused when a way down is needed.
  const down = "the database to migrate down when migrate-down is true with migrations-dir";
  if (inputs["migrate-down"] && inputs["migrations-dir"] && !inputs["database-url"])
    issues.push({ input: "database-url", path: "", expected: down });
  if (inputs["traffic-steps"] && inputs.strategy === "redeploy")
    issues.push({ input: "traffic-steps", path: "", expected: "strategy auto or traffic: a redeploy moves no traffic here" });
  if (inputs["verify-expect"] && !inputs["verify-url"])
    issues.push({ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" });
  return issues;
}

function recordIssues(inputs: Inputs, github: GitHubContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { "slack-channel": channel, "slack-ts": ts } = inputs;
  if (inputs["deployment-id"] !== undefined) {
    if (!inputs.status)
      issues.push({ input: "status", path: "", expected: "in_progress, success, failure or inactive when deployment-id is given" });
    return issues;
  }
  if (!inputs.version) issues.push({ input: "version", path: "", expected: "the version being deployed, to open a record" });
  if (!(inputs.ref ?? github.refName))
    issues.push({ input: "ref", path: "", expected: "a git ref (or GITHUB_REF_NAME set by the runner)" });
  if (!(inputs.sha ?? github.sha)) issues.push({ input: "sha", path: "", expected: "a commit SHA (or GITHUB_SHA set by the runner)" });
  if ((channel === undefined) !== (ts === undefined))
    issues.push({ input: channel ? "slack-ts" : "slack-channel", path: "", expected: "slack-channel and slack-ts given together" });
  return issues;
}
