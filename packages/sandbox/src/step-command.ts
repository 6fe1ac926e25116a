// How a `run:` step becomes a process: its script written to a file, the shell that runs it
// (bash with -eo pipefail, or sh -e, as the runner's defaults are), and its working directory.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type Contexts, evaluateString } from "./expressions.js";
import { WorkflowError } from "./workflow-error.js";
import type { RunDefaults, WorkflowStep } from "./workflow-model.js";

export interface ScriptCommand {
  command: string;
  args: string[];
  cwd: string;
}

/** The command for a `run:` step; `defaults` are the job's then the workflow's (the first that sets a key wins). */
export function scriptCommand(
  step: WorkflowStep,
  contexts: Contexts,
  where: { workspace: string; temp: string; defaults: readonly RunDefaults[] },
): ScriptCommand {
  let cwd = where.workspace;
  const workingDirectory = step.workingDirectory ?? where.defaults.find((d) => d.workingDirectory !== undefined)?.workingDirectory;
  if (workingDirectory !== undefined) {
    const dir = evaluateString(workingDirectory, contexts, `${step.where}.working-directory`);
    cwd = isAbsolute(dir) ? dir : join(where.workspace, dir);
    if (!existsSync(cwd) || !statSync(cwd).isDirectory())
      throw new WorkflowError(`${step.where}.working-directory`, `${cwd} is not a directory`);
  }
  const script = join(where.temp, `step-${step.index}.sh`);
  writeFileSync(script, step.run as string);
  const shell = step.shell ?? where.defaults.find((d) => d.shell !== undefined)?.shell;
  const command = shell === "sh" ? "sh" : "bash";
  const args = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail", script] : ["-e", script];
  return { command, args, cwd };
}
