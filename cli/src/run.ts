import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { parse, stringify } from "yaml";

export interface RunCommand {
  workflow: string;
  event?: string;
  job?: string;
  /** GITHUB_WORKSPACE: the team's checkout, where `run:` steps and `./…` paths resolve. Default: the current directory. */
  workspace?: string;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
}

/** Parses `cutover run <workflow.yml> [--event E] [--job J] [--workspace DIR] [--input K=V]… [--secret K=V]… [--secret-file F] [--var K=V]… [--var-file F]`. */
export function parseRunArgs(args: string[], cwd: string): RunCommand {
  const command: RunCommand = { workflow: "", inputs: {}, secrets: {}, vars: {} };
  const pair = (flag: string, text: string | undefined): [string, string] => {
    const match = /^([A-Za-z_][\w-]*)=(.*)$/s.exec(text ?? "");
    if (!match) throw new Error(`${flag} takes KEY=VALUE, got ${text === undefined ? "nothing" : JSON.stringify(text)}`);
    return [match[1] as string, match[2] as string];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = () => {
      i += 1;
      return args[i];
    };
    const value = (flag: string): string => {
      const given = next();
      if (given === undefined || given.startsWith("--")) throw new Error(`${flag} takes a value`);
      return given;
    };
    if (arg === "--event") command.event = value(arg);
    else if (arg === "--job") command.job = value(arg);
    else if (arg === "--workspace") command.workspace = existingDirectory(arg, resolve(cwd, value(arg)));
    else if (arg === "--input") Object.assign(command.inputs, Object.fromEntries([pair(arg, next())]));
    else if (arg === "--secret") Object.assign(command.secrets, Object.fromEntries([pair(arg, next())]));
    else if (arg === "--var") Object.assign(command.vars, Object.fromEntries([pair(arg, next())]));
    else if (arg === "--secret-file") Object.assign(command.secrets, readKeyValueFile(resolve(cwd, value(arg))));
    else if (arg === "--var-file") Object.assign(command.vars, readKeyValueFile(resolve(cwd, value(arg))));
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else if (!command.workflow) command.workflow = arg;
    else throw new Error(`one workflow at a time, got ${command.workflow} and ${arg}`);
  }
  if (!command.workflow) throw new Error("which workflow? cutover run <workflow.yml>");
  return command;
}

function existingDirectory(flag: string, path: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`${flag}: ${path} is not a directory`);
  return path;
}

/** KEY=VALUE lines (blank lines and # comments skipped, one pair of surrounding quotes removed), as act's .secrets and .vars. */
export function readKeyValueFile(path: string): Record<string, string> {
  const secrets: Record<string, string> = {};
  readFileSync(path, "utf8")
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (!line.trim() || line.trimStart().startsWith("#")) return;
      const match = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line);
      // The line is not quoted back: it may hold a secret.
      if (!match) throw new Error(`${path} line ${index + 1} is not KEY=VALUE`);
      const value = (match[2] as string).trim();
      secrets[match[1] as string] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
    });
  return secrets;
}

/** Runs a team's workflow with the sandbox: cutover's references resolve to this checkout, the workspace is `cwd`. */
export async function runCommand(
  command: RunCommand,
  options: { cwd: string; repoRoot: string; showStepLogs?: boolean },
): Promise<WorkflowResult> {
  const path = resolve(options.cwd, command.workflow);
  return runWorkflow({
    workflow: command.job ? onlyJob(path, command.job) : path,
    ...(command.event ? { event: command.event } : {}),
    inputs: command.inputs,
    secrets: command.secrets,
    vars: command.vars,
    workspace: command.workspace ?? options.cwd,
    repoRoot: options.repoRoot,
    ...(options.showStepLogs === undefined ? {} : { showStepLogs: options.showStepLogs }),
  });
}

/** A copy of the workflow with `job` and the jobs it needs, transitively. */
function onlyJob(path: string, job: string): string {
  const doc = parse(readFileSync(path, "utf8")) as { jobs?: Record<string, { needs?: string | string[] }> };
  const jobs = doc.jobs ?? {};
  if (!jobs[job]) throw new Error(`${path} has no job '${job}' (jobs: ${Object.keys(jobs).join(", ")})`);
  const keep = new Set<string>();
  const visit = (id: string) => {
    if (keep.has(id) || !jobs[id]) return;
    keep.add(id);
    const needs = jobs[id]?.needs;
    for (const need of needs === undefined ? [] : Array.isArray(needs) ? needs : [needs]) visit(need);
  };
  visit(job);
  doc.jobs = Object.fromEntries(Object.entries(jobs).filter(([id]) => keep.has(id)));
  const copy = join(mkdtempSync(join(tmpdir(), "cutover-run-")), "workflow.yml");
  writeFileSync(copy, stringify(doc));
  return copy;
}
