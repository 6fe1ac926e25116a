// Run set-up: what a run starts from before any job is scheduled — the trigger, the inputs and
// secrets checked against the workflow's declarations, the machine environment and the `github` context.
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import { join } from "node:path";
import { processEnvironment } from "@cutover/core";
import { type Contexts, evaluateTemplate } from "./expressions.js";
import { WorkflowError } from "./workflow-error.js";
import { declaredInputs, type Workflow } from "./workflow-model.js";

export interface RunWorkflowOptions {
  /** Path of the workflow YAML. */
  workflow: string;
  /** The trigger to run as; defaults to workflow_call when the workflow has it, else its first trigger. */
  event?: string;
  inputs?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Where `$/…` resolves: this repository at the commit the caller pinned. Default: the workspace. */
  repoRoot?: string;
  /** GITHUB_WORKSPACE: the caller's checkout, where `run:` steps and `./…` actions resolve. Default: cwd. */
  workspace?: string;
  /**
   * The machine environment steps start from. Default: PATH, HOME, locale and temp variables of
   * this process, not all of it, so a test's own variables do not leak into steps.
   */
  baseEnv?: Record<string, string>;
  /** Overrides of the `github` context (repository, sha, ref, actor, token…). */
  github?: Record<string, unknown>;
  /** Cancels the run as the runner does: SIGINT to the running step, then only always()/cancelled() steps and jobs. */
  signal?: AbortSignal;
  /** Receives every printed line, already masked. Default: process.stdout. */
  print?: (line: string) => void;
  /** Print step logs (default true); the step headers and the timeline are always printed. */
  showStepLogs?: boolean;
  /** Show `::debug::` lines, like the runner with RUNNER_DEBUG. */
  debug?: boolean;
  /** SIGINT → SIGTERM grace when a step is stopped; the runner waits 7.5 s. */
  killGraceMs?: number;
  /** The node binary for JavaScript actions. Default: the one running the sandbox. */
  nodePath?: string;
}

const BASE_ENV_NAMES = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME", "SHELL", "TERM", "TZ"];

/** The part of this process's environment a runner machine would also have: what steps start from. */
export function defaultBaseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const own = processEnvironment();
  for (const name of BASE_ENV_NAMES) {
    const value = own[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function gitSha(workspace: string): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, timeout: 5_000, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "0".repeat(40);
  }
}

/** The `github` context of a local run: this checkout on main, overridden by the options' `github`. */
export function githubContext(
  workflow: Workflow,
  options: RunWorkflowOptions,
  run: { event: string; workspace: string; eventPath: string; token: string },
): Record<string, unknown> {
  return {
    event_name: run.event,
    event: {},
    repository: "local/sandbox",
    repository_owner: "local",
    ref: "refs/heads/main",
    ref_name: "main",
    ref_type: "branch",
    sha: gitSha(run.workspace),
    run_id: String(Date.now()),
    run_number: "1",
    run_attempt: "1",
    actor: userInfo().username,
    triggering_actor: userInfo().username,
    workflow: workflow.name ?? options.workflow,
    workspace: run.workspace,
    server_url: "https://github.com",
    api_url: "https://api.github.com",
    graphql_url: "https://api.github.com/graphql",
    event_path: run.eventPath,
    base_ref: "",
    head_ref: "",
    ...options.github,
    token: run.token,
  };
}

/** The trigger to run as: the one asked for (which the workflow must have), else workflow_call or the first. */
export function pickEvent(workflow: Workflow, requested: string | undefined): string {
  const events = Object.keys(workflow.on);
  if (requested !== undefined) {
    if (!events.includes(requested))
      throw new WorkflowError("on", `the workflow has no '${requested}' trigger (it has ${events.join(", ")})`);
    return requested;
  }
  return events.includes("workflow_call") ? "workflow_call" : (events[0] as string);
}

function coerceInput(name: string, spec: ReturnType<typeof declaredInputs>[string], value: unknown): string | number | boolean {
  const where = `inputs.${name}`;
  switch (spec.type) {
    case "boolean":
      if (value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      throw new WorkflowError(where, `expected a boolean (true or false), got ${JSON.stringify(value)}`);
    case "number": {
      const number = typeof value === "number" ? value : Number(value);
      if (String(value).trim() === "" || Number.isNaN(number))
        throw new WorkflowError(where, `expected a number, got ${JSON.stringify(value)}`);
      return number;
    }
    case "choice":
      if (!spec.options?.includes(String(value))) {
        throw new WorkflowError(where, `expected one of ${spec.options?.join(", ")}, got ${JSON.stringify(value)}`);
      }
      return String(value);
    default:
      return String(value);
  }
}

/** The `inputs` context: given values checked against the trigger's declarations, defaults filled in. */
export function resolveInputs(
  workflow: Workflow,
  event: string,
  given: Record<string, unknown>,
  github: Contexts,
): Record<string, unknown> {
  const specs = declaredInputs(workflow, event);
  for (const name of Object.keys(given)) {
    if (!(name in specs))
      throw new WorkflowError(
        `inputs.${name}`,
        `not declared in on.${event}.inputs (declared: ${Object.keys(specs).join(", ") || "none"})`,
      );
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (given[name] !== undefined) inputs[name] = coerceInput(name, spec, given[name]);
    else if (spec.default !== undefined) {
      inputs[name] = coerceInput(name, spec, evaluateTemplate(spec.default, { github }, `on.${event}.inputs.${name}.default`));
    } else if (spec.required) throw new WorkflowError(`inputs.${name}`, "required input was not given");
    else inputs[name] = spec.type === "boolean" ? false : spec.type === "number" ? 0 : "";
  }
  return inputs;
}

/** The `secrets` context: given secrets checked against on.workflow_call.secrets, plus GITHUB_TOKEN. */
export function resolveSecrets(workflow: Workflow, event: string, given: Record<string, string>, token: string): Record<string, string> {
  const secrets: Record<string, string> = { ...given };
  if (event === "workflow_call") {
    const declared = (workflow.on.workflow_call?.secrets ?? {}) as Record<string, { required?: boolean } | null>;
    for (const name of Object.keys(given)) {
      if (!(name in declared))
        throw new WorkflowError(
          `secrets.${name}`,
          `not declared in on.workflow_call.secrets (declared: ${Object.keys(declared).join(", ") || "none"})`,
        );
    }
    for (const [name, spec] of Object.entries(declared)) {
      if (spec?.required && !given[name]) throw new WorkflowError(`secrets.${name}`, "required secret was not given");
    }
  }
  secrets.GITHUB_TOKEN = token;
  return secrets;
}

/** A `timeout-minutes` value in milliseconds. */
export function minutes(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new WorkflowError(where, `expected a positive number of minutes, got ${JSON.stringify(value)}`);
  return number * 60_000;
}

/** The contexts every expression of the run sees: github, inputs, secrets, vars, runner. */
export function baseContexts(
  run: { github: Record<string, unknown>; inputs: Record<string, unknown>; secrets: Record<string, string>; vars: Record<string, string> },
  machine: { runTemp: string; debug: boolean },
): Contexts {
  return {
    ...run,
    matrix: {},
    strategy: {},
    runner: {
      os: "Linux",
      arch: process.arch === "arm64" ? "ARM64" : "X64",
      name: "cutover-sandbox",
      environment: "self-hosted",
      temp: machine.runTemp,
      tool_cache: join(machine.runTemp, "tool-cache"),
      debug: machine.debug ? "1" : "",
    },
  };
}
