import type { ConfigIssue } from "@cutover/core";
import { inputVariable } from "@cutover/core";

/**
 * Inputs renamed so that one concept has one name across the actions (docs/naming.md). The
 * runner warns "Unexpected input" for an old name and would run with the default in its place
 * (a per-request timeout as the whole deadline, or no target at all): an old name fails instead,
 * naming the new one, before anything runs.
 */
export const RENAMED_INPUTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "smoke-test": { timeout: "request-timeout" },
  "notify-slack": {
    timeout: "request-timeout",
    "from-color": "previous-color",
    "to-color": "active-color",
    token: "slack-token",
    "webhook-url": "slack-webhook-url",
    channel: "slack-channel",
    mention: "slack-mention",
  },
  "health-gate": { timeout: "deadline", duration: "bake-duration", "swapped-at": "switched-at" },
  "blue-green-swap": { "verify-timeout": "verify-deadline" },
  migrate: {
    "to-version": "target-schema",
    "base-version": "base-schema",
    dir: "migrations-dir",
    command: "migrations-command",
    "version-command": "migrations-version-command",
    "down-command": "migrations-down-command",
  },
  rollback: {
    "to-version": "target-version",
    "verify-timeout": "verify-deadline",
    "replaced-color": "previous-color",
    token: "github-token",
    dir: "migrations-dir",
    "version-command": "migrations-version-command",
    "down-command": "migrations-down-command",
    settings: "workflow-inputs",
  },
  outcome: { "new-color": "color", "swapped-back": "switched-back", "swapped-back-at": "switched-back-at" },
  preflight: { inputs: "workflow-inputs" },
};

/** One issue per old input name that was given a value (the value is not quoted: it may be anything). */
export function renamedInputIssues(action: string, env: NodeJS.ProcessEnv): ConfigIssue[] {
  return Object.entries(RENAMED_INPUTS[action] ?? {})
    .filter(([old]) => (env[inputVariable(old)] ?? "") !== "")
    .map(([old, current]) => ({
      input: old,
      path: "",
      given: "a value under a renamed input",
      expected: `the value under \`${current}\`, its new name (docs/naming.md lists every renamed input)`,
    }));
}
