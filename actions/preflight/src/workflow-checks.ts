import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { loadAlertRules } from "@cutover/analysis";
import { ConfigError, type ConfigIssue, colorUrlInput, namesEachColor } from "@cutover/core";

export interface WorkflowFacts {
  workflow: "deploy" | "rollback";
  inputs: Record<string, string>;
  secrets: Record<string, string | undefined>;
  /** The checkout the workflow's steps read files from. */
  workspace: string;
}

/** What no single step can see: rules between the workflow's inputs and the repository's files. */
export async function checkWorkflow(facts: WorkflowFacts): Promise<ConfigIssue[]> {
  const { inputs } = facts;
  const issues: ConfigIssue[] = [];
  for (const name of ["idle-url", "health-url"]) {
    const text = inputs[name];
    const url = text ? colorUrlInput().safeParse(text) : undefined;
    // One URL for both colors would test the live one as if it were idle. (A bad URL is the steps' to report.)
    if (url?.success && !namesEachColor(url.data)) {
      issues.push({
        input: name,
        path: "",
        given: "a URL without {color}",
        expected:
          "the URL of one color with {color} standing for it (http://{color}.app.internal:8080), or one URL per color ({ blue: http://127.0.0.1:8081, green: http://127.0.0.1:8082 })",
      });
    }
  }
  const dir = inputs["migrations-dir"];
  if (dir && !inputs["migrations-command"]) {
    const path = resolve(facts.workspace, dir);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      issues.push({
        input: "migrations-dir",
        path: "",
        given: JSON.stringify(dir),
        expected: "a directory of migrations in the checked-out repository",
      });
    }
    if (!facts.secrets["database-url"]) {
      issues.push({ input: "database-url", path: "", expected: "the database-url secret, because migrations-dir is given" });
    }
  }
  if (facts.workflow === "deploy") issues.push(...commandModeIssues(inputs));
  const rules = inputs["alert-rules"];
  if (facts.workflow === "deploy" && rules) {
    try {
      await loadAlertRules(rules, facts.workspace);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  return issues;
}

/** The inputs that only mean something with migrations-command (deploy.yml's command mode). */
const COMMAND_MODE_INPUTS = ["migrations-version-command", "migrations-down-command", "backup-command"];

/** deploy.yml's command mode: one migration mode, the version command that makes the ledger's schema record, nothing ignored. */
function commandModeIssues(inputs: Record<string, string>): ConfigIssue[] {
  const command = inputs["migrations-command"];
  if (!command) {
    return COMMAND_MODE_INPUTS.filter((name) => inputs[name]).map((name) => ({
      input: name,
      path: "",
      given: "a command",
      expected: "migrations-command as well (it belongs to command mode; the built-in engine reads migrations-dir)",
    }));
  }
  const issues: ConfigIssue[] = [];
  if (inputs["migrations-dir"]) {
    issues.push({
      input: "migrations-dir",
      path: "",
      given: JSON.stringify(inputs["migrations-dir"]),
      expected: "empty with migrations-command: one migration mode, SQL files (migrations-dir) or your tool (migrations-command)",
    });
  }
  if (!inputs["migrations-version-command"]) {
    issues.push({
      input: "migrations-version-command",
      path: "",
      expected:
        "the command that prints the schema version (e.g. alembic current), because migrations-command is given: the ledger records it and a rollback returns to it",
    });
  }
  return issues;
}
