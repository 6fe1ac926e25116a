// Step environment: the variables a step process starts with, as the runner sets them — the
// machine's, the runner's GITHUB_* / RUNNER_*, the workflow's env layers, PATH additions and, for
// an action, one INPUT_* per input (the `with:` value or the action.yml default).
import { delimiter, join } from "node:path";
import { inputVariable } from "@cutover/core";
import type { ActionDefinition } from "./action-metadata.js";
import { type Contexts, evaluateString } from "./expressions.js";
import type { StepFiles } from "./step-files.js";

/** What the runner knows about the run, for its variables. */
export interface RunnerFacts {
  github: Record<string, unknown>;
  event: string;
  workspace: string;
  /** RUNNER_TEMP of the run; each job has its own directory in it. */
  runTemp: string;
  debug: boolean;
}

/** The GITHUB_* and RUNNER_* variables, and the step's file-command files. */
export function runnerVariables(
  run: RunnerFacts,
  job: { id: string; temp: string },
  files: StepFiles,
  actionId: string,
): Record<string, string> {
  const g = run.github;
  return {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION: actionId,
    GITHUB_ACTOR: String(g.actor),
    GITHUB_API_URL: String(g.api_url),
    GITHUB_EVENT_NAME: run.event,
    GITHUB_EVENT_PATH: String(g.event_path),
    GITHUB_GRAPHQL_URL: String(g.graphql_url),
    GITHUB_JOB: job.id,
    GITHUB_REF: String(g.ref),
    GITHUB_REF_NAME: String(g.ref_name),
    GITHUB_REPOSITORY: String(g.repository),
    GITHUB_REPOSITORY_OWNER: String(g.repository_owner),
    GITHUB_RUN_ATTEMPT: String(g.run_attempt),
    GITHUB_RUN_ID: String(g.run_id),
    GITHUB_RUN_NUMBER: String(g.run_number),
    GITHUB_SERVER_URL: String(g.server_url),
    GITHUB_SHA: String(g.sha),
    GITHUB_WORKFLOW: String(g.workflow),
    GITHUB_WORKSPACE: run.workspace,
    RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
    RUNNER_ENVIRONMENT: "self-hosted",
    RUNNER_NAME: "cutover-sandbox",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: job.temp,
    RUNNER_TOOL_CACHE: join(run.runTemp, "tool-cache"),
    ...(run.debug ? { RUNNER_DEBUG: "1" } : {}),
    ...files,
  };
}

/** A step's whole environment: machine, runner, then the workflow's env (workflow < job < GITHUB_ENV < step). */
export function stepEnvironment(
  base: Record<string, string>,
  runner: Record<string, string>,
  env: Record<string, string>,
  pathAdditions: readonly string[],
): Record<string, string> {
  const processEnv: Record<string, string> = { ...base, ...runner, ...env };
  if (pathAdditions.length > 0) processEnv.PATH = [...pathAdditions, processEnv.PATH ?? ""].join(delimiter);
  return processEnv;
}

/** `with:` keys the action does not declare (the runner warns, and passes them on). */
export function undeclaredInputs(action: ActionDefinition, withValues: Record<string, string>): string[] {
  return Object.keys(withValues).filter((name) => !(name in action.inputs));
}

/**
 * One INPUT_* variable per input of the action: the `with:` value, else the action.yml default
 * (evaluated by the caller). Inputs the action does not declare are passed on too.
 */
export function actionInputVariables(
  action: ActionDefinition,
  withValues: Record<string, string>,
  defaultOf: (name: string, text: string) => string,
): Record<string, string> {
  const variables: Record<string, string> = {};
  const unexpected = undeclaredInputs(action, withValues);
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = withValues[name] ?? (spec.default === undefined ? undefined : defaultOf(name, spec.default));
    if (value !== undefined) variables[inputVariable(name)] = value;
  }
  for (const name of unexpected) variables[inputVariable(name)] = withValues[name] as string;
  return variables;
}

/** An `env:` block evaluated in order: each variable sees the ones before it in `env`. */
export function evaluateEnv(env: Record<string, unknown>, contexts: Contexts, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    out[name] = evaluateString(value, { ...contexts, env: { ...(contexts.env as object), ...out } }, `${where}.${name}`);
  return out;
}
