import type { ConfigIssue } from "@cutover/core";

const COMMAND_INPUTS = ["migrations-command", "migrations-version-command", "migrations-down-command"] as const;

/** The inputs these rules look at: a slice of the action's parsed inputs. */
type Inputs = Partial<Record<(typeof COMMAND_INPUTS)[number] | "database-url" | "backup-command" | "target-schema", string>> & {
  mode: "apply" | "plan" | "down" | "lint";
  backup: "none" | "auto";
  "base-schema"?: bigint;
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
  return given.length > 0 ? commandModeIssues(inputs) : builtInIssues(inputs);
}

function commandModeIssues(inputs: Inputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (inputs.mode === "apply" && !inputs["migrations-command"])
    issues.push({ input: "migrations-command", path: "", expected: "the command that applies migrations in command mode (mode: apply)" });
  if (inputs.mode === "down" && !inputs["migrations-down-command"])
    issues.push({
      input: "migrations-down-command",
      path: "",
      expected: "the command that reverts migrations in command mode (mode: down)",
    });
  if (inputs.mode === "apply" && inputs.backup === "auto" && !inputs["backup-command"]) {
    issues.push({
      input: "backup-command",
      path: "",
      expected:
        "the command that backs up your data store before the migrations (its last line: the backup's path or id), because backup is auto in command mode; or backup: none",
    });
  }
  issues.push(...backupCommandIssues(inputs));
  return issues;
}

/** backup-command runs only where it is asked for: never silently ignored. */
function backupCommandIssues(inputs: Inputs): ConfigIssue[] {
  if (!inputs["backup-command"]) return [];
  if (inputs.mode !== "apply")
    return [
      {
        input: "backup-command",
        path: "",
        given: "a command",
        expected: `no backup-command with mode: ${inputs.mode} (it runs before applying)`,
      },
    ];
  if (inputs.backup !== "auto")
    return [
      { input: "backup", path: "", given: inputs.backup, expected: "auto, to run backup-command before applying (or no backup-command)" },
    ];
  return [];
}

function builtInIssues(inputs: Inputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!inputs["database-url"]) issues.push({ input: "database-url", path: "", expected: "a database URL (or command for command mode)" });
  const toVersion = inputs["target-schema"];
  if (inputs.mode === "down" && toVersion === undefined)
    issues.push({ input: "target-schema", path: "", expected: "the version to go down to for mode: down (0 reverts everything)" });
  if (toVersion !== undefined && !/^\d{1,19}$/.test(toVersion)) {
    issues.push({
      input: "target-schema",
      path: "",
      given: JSON.stringify(toVersion),
      expected:
        "a migration version: digits only, e.g. 3 or 20260101120000 (the built-in engine numbers its files; your tool's own ids, -1 or head need command mode)",
    });
  }
  if (inputs["backup-command"]) {
    issues.push({
      input: "backup-command",
      path: "",
      given: "a command",
      expected:
        "command mode (migrations-command, migrations-version-command or migrations-down-command); the built-in engine backs up with pg_dump or a SQLite copy",
    });
  }
  if (inputs["base-schema"] !== undefined) {
    issues.push({
      input: "base-schema",
      path: "",
      given: String(inputs["base-schema"]),
      expected: "no base-schema outside mode: lint (with a database the applied version is read from it)",
    });
  }
  return issues;
}
