import type { ConfigIssue } from "@cutover/core";

const COMMAND_INPUTS = ["command", "version-command", "down-command"] as const;

/** The inputs these rules look at: a slice of the action's parsed inputs. */
type Inputs = Partial<Record<(typeof COMMAND_INPUTS)[number] | "database-url", string>> & {
  mode: "apply" | "plan" | "down" | "lint";
  "base-version"?: bigint;
  "to-version"?: bigint;
};

/** Inputs that only make sense together, per mode; reported with the schema's issues (the spec's checks). */
export function migrateInputIssues(inputs: Inputs): ConfigIssue[] {
  const given = COMMAND_INPUTS.filter((input) => inputs[input]);
  if (inputs.mode === "lint") {
    return given.map((input) => ({
      input,
      path: "",
      given: "a command",
      expected: "no command with mode: lint (it lints the SQL files of the built-in engine; command mode has no lint)",
    }));
  }
  const issues: ConfigIssue[] = [];
  if (given.length > 0) {
    if (inputs.mode === "apply" && !inputs.command)
      issues.push({ input: "command", path: "", expected: "the command that applies migrations in command mode (mode: apply)" });
    if (inputs.mode === "down" && !inputs["down-command"])
      issues.push({ input: "down-command", path: "", expected: "the command that reverts migrations in command mode (mode: down)" });
    return issues;
  }
  if (!inputs["database-url"]) issues.push({ input: "database-url", path: "", expected: "a database URL (or command for command mode)" });
  if (inputs.mode === "down" && inputs["to-version"] === undefined)
    issues.push({ input: "to-version", path: "", expected: "the version to go down to for mode: down (0 reverts everything)" });
  if (inputs["base-version"] !== undefined) {
    issues.push({
      input: "base-version",
      path: "",
      given: String(inputs["base-version"]),
      expected: "no base-version outside mode: lint (with a database the applied version is read from it)",
    });
  }
  return issues;
}
