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
  "notify-slack": { timeout: "request-timeout", "from-color": "previous-color", "to-color": "active-color" },
  "health-gate": { timeout: "deadline" },
  "blue-green-swap": { "verify-timeout": "verify-deadline" },
  migrate: { "to-version": "target-schema", "base-version": "base-schema" },
  rollback: { "to-version": "target-version", "verify-timeout": "verify-deadline", "replaced-color": "previous-color" },
  outcome: { "new-color": "color" },
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
