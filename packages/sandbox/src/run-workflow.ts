import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import {
  type Annotation,
  formatDuration,
  inputVariable,
  parseCommandLine,
  parseFileCommands,
  parsePathFile,
  Redactor,
  runProcess,
  signalProcessGroup,
} from "@cutover/core";
import { type ActionDefinition, readActionDefinition } from "./action-metadata.js";
import { type Contexts, evaluateCondition, evaluateString, evaluateTemplate, type JobStatus } from "./expressions.js";
import { isLocalCheckout } from "./local-checkout.js";
import { type JobResult, pendingStepResult, type StepOutcome, type StepResult, type WorkflowResult } from "./run-result.js";
import { formatTimeline, outcomeMark } from "./timeline.js";
import { WorkflowError } from "./workflow-error.js";
import { declaredInputs, loadWorkflow, type Workflow, type WorkflowJob, type WorkflowStep } from "./workflow-model.js";

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

interface StepRecord {
  outputs: Record<string, string>;
  outcome: StepOutcome;
  conclusion: StepOutcome;
}

interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STEP_SUMMARY: string;
  GITHUB_STATE: string;
}

interface PostStep {
  step: WorkflowStep;
  action: ActionDefinition;
  env: Record<string, string>;
  state: Record<string, string>;
}

interface JobState {
  job: WorkflowJob;
  temp: string;
  steps: Record<string, StepRecord>;
  filesEnv: Record<string, string>;
  path: string[];
  failed: boolean;
  cancelled: boolean;
  timedOut: boolean;
  processGroups: number[];
  posts: PostStep[];
  results: StepResult[];
}

function defaultBaseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_ENV_NAMES) {
    const value = process.env[name];
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

function pickEvent(workflow: Workflow, requested: string | undefined): string {
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

function resolveInputs(workflow: Workflow, event: string, given: Record<string, unknown>, github: Contexts): Record<string, unknown> {
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

function resolveSecrets(workflow: Workflow, event: string, given: Record<string, string>, token: string): Record<string, string> {
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

function minutes(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new WorkflowError(where, `expected a positive number of minutes, got ${JSON.stringify(value)}`);
  return number * 60_000;
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** A local executor for cutover's workflows: reads the YAML, evaluates expressions, runs jobs and steps as the runner does. */
export class WorkflowRun {
  private readonly redactor = new Redactor();
  private readonly workflow: Workflow;
  private readonly event: string;
  private readonly workspace: string;
  private readonly repoRoot: string;
  private readonly baseEnv: Record<string, string>;
  private readonly github: Record<string, unknown>;
  private readonly inputs: Record<string, unknown>;
  private readonly secrets: Record<string, string>;
  private readonly vars: Record<string, string>;
  private readonly actions = new Map<string, ActionDefinition>();
  private readonly print: (line: string) => void;
  private readonly runTemp: string;
  private started = 0;
  private cancelled = false;

  constructor(private readonly options: RunWorkflowOptions) {
    this.print = options.print ?? ((line) => process.stdout.write(`${line}\n`));
    this.workflow = loadWorkflow(options.workflow);
    this.workspace = resolve(options.workspace ?? process.cwd());
    this.repoRoot = resolve(options.repoRoot ?? this.workspace);
    this.baseEnv = options.baseEnv ?? defaultBaseEnv();
    this.event = pickEvent(this.workflow, options.event);
    this.runTemp = mkdtempSync(join(tmpdir(), "cutover-sandbox-"));
    const token = String(options.github?.token ?? "");
    const eventPath = join(this.runTemp, "event.json");
    this.github = {
      event_name: this.event,
      event: {},
      repository: "local/sandbox",
      repository_owner: "local",
      ref: "refs/heads/main",
      ref_name: "main",
      ref_type: "branch",
      sha: gitSha(this.workspace),
      run_id: String(Date.now()),
      run_number: "1",
      run_attempt: "1",
      actor: userInfo().username,
      triggering_actor: userInfo().username,
      workflow: this.workflow.name ?? options.workflow,
      workspace: this.workspace,
      server_url: "https://github.com",
      api_url: "https://api.github.com",
      graphql_url: "https://api.github.com/graphql",
      event_path: eventPath,
      base_ref: "",
      head_ref: "",
      ...options.github,
      token,
    };
    this.inputs = resolveInputs(this.workflow, this.event, options.inputs ?? {}, this.github);
    if (this.event === "workflow_dispatch") this.github.event = { inputs: this.inputs };
    writeFileSync(eventPath, JSON.stringify(this.github.event));
    this.secrets = resolveSecrets(this.workflow, this.event, options.secrets ?? {}, token);
    this.vars = options.vars ?? {};
    for (const value of Object.values(this.secrets)) this.redactor.add(value);
    this.checkActions();
  }

  /** Resolves every action the workflow uses before anything runs, so a bad reference changes nothing. */
  private checkActions(): void {
    for (const job of this.workflow.jobs) {
      for (const step of job.steps) if (step.uses && !isLocalCheckout(step.uses)) this.actionFor(step);
    }
  }

  private actionFor(step: WorkflowStep): ActionDefinition {
    const uses = step.uses as string;
    const cached = this.actions.get(uses);
    if (cached) return cached;
    const base = uses.startsWith("$/") ? this.repoRoot : this.workspace;
    const action = readActionDefinition(join(base, uses.slice(2)), `${step.where}.uses`);
    this.actions.set(uses, action);
    return action;
  }

  private emit(line: string): void {
    this.print(this.redactor.redact(line));
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  /** Runs the workflow to the end and prints the timeline. */
  async run(): Promise<WorkflowResult> {
    this.started = performance.now();
    const onAbort = () => {
      this.cancelled = true;
      this.emit("Cancellation requested: stopping the running step; only always()/cancelled() steps and jobs still run");
    };
    if (this.options.signal?.aborted) onAbort();
    else this.options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const base = this.baseContexts();
      const env = this.evaluateEnv(this.workflow.env, base, "env");
      if (this.workflow.concurrency !== undefined) this.noteConcurrency(this.workflow.concurrency, { ...base, env }, "concurrency");
      const jobs = new Map<string, JobResult>();
      for (const job of this.workflow.jobs) jobs.set(job.id, await this.runJob(job, env, jobs));
      const results = [...jobs.values()];
      const conclusion = this.cancelled ? "cancelled" : results.some((job) => job.result === "failure") ? "failure" : "success";
      const outputs = this.workflowOutputs(jobs, base);
      const result: WorkflowResult = {
        workflow: this.workflow.name ?? this.options.workflow,
        event: this.event,
        conclusion,
        outputs,
        jobs: results,
        durationMs: this.elapsed(),
      };
      this.emit("");
      for (const line of formatTimeline(result).split("\n")) this.emit(line);
      return result;
    } finally {
      this.options.signal?.removeEventListener("abort", onAbort);
      rmSync(this.runTemp, { recursive: true, force: true });
    }
  }

  private baseContexts(): Contexts {
    return {
      github: this.github,
      inputs: this.inputs,
      secrets: this.secrets,
      vars: this.vars,
      matrix: {},
      strategy: {},
      runner: {
        os: "Linux",
        arch: process.arch === "arm64" ? "ARM64" : "X64",
        name: "cutover-sandbox",
        environment: "self-hosted",
        temp: this.runTemp,
        tool_cache: join(this.runTemp, "tool-cache"),
        debug: this.options.debug ? "1" : "",
      },
    };
  }

  private evaluateEnv(env: Record<string, unknown>, contexts: Contexts, where: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(env))
      out[name] = evaluateString(value, { ...contexts, env: { ...(contexts.env as object), ...out } }, `${where}.${name}`);
    return out;
  }

  private noteConcurrency(concurrency: unknown, contexts: Contexts, where: string): void {
    const group = typeof concurrency === "object" && concurrency !== null ? (concurrency as { group?: unknown }).group : concurrency;
    this.emit(
      `concurrency group '${evaluateString(group, contexts, `${where}.group`)}' (accepted; one run at a time is all the sandbox does)`,
    );
  }

  private ancestors(job: WorkflowJob, seen = new Set<string>()): Set<string> {
    for (const need of job.needs) {
      if (seen.has(need)) continue;
      seen.add(need);
      const parent = this.workflow.jobs.find((candidate) => candidate.id === need);
      if (parent) this.ancestors(parent, seen);
    }
    return seen;
  }

  private async runJob(job: WorkflowJob, workflowEnv: Record<string, string>, done: Map<string, JobResult>): Promise<JobResult> {
    const startedAtMs = this.elapsed();
    const needs = Object.fromEntries(
      job.needs.map((id) => {
        const result = done.get(id) as JobResult;
        return [id, { result: result.result, outputs: result.outputs }];
      }),
    );
    const status: JobStatus = {
      success: !this.cancelled && job.needs.every((id) => done.get(id)?.result === "success"),
      failure: !this.cancelled && [...this.ancestors(job)].some((id) => done.get(id)?.result === "failure"),
      cancelled: this.cancelled,
    };
    const contexts: Contexts = { ...this.baseContexts(), github: { ...this.github, job: job.id }, needs, env: workflowEnv };
    // A job name may hold expressions (github, inputs, needs, vars…), as on the run page.
    const name = job.name === undefined ? job.id : evaluateString(job.name, contexts, `${job.where}.name`);
    const finish = (result: JobResult["result"], extra: Partial<JobResult> = {}): JobResult => ({
      id: job.id,
      name,
      result,
      outputs: {},
      steps: [],
      startedAtMs,
      durationMs: this.elapsed() - startedAtMs,
      ...extra,
    });
    this.emit("");
    let run: boolean;
    try {
      run = evaluateCondition(job.if, contexts, `${job.where}.if`, status);
    } catch (error) {
      this.emit(`${outcomeMark("failure")} job ${name}: ${(error as Error).message}`);
      return finish("failure", { error: (error as Error).message });
    }
    if (!run) {
      this.emit(`${outcomeMark("skipped")} job ${name}: skipped (if: ${job.if === undefined ? "success()" : String(job.if)})`);
      return finish("skipped");
    }
    this.emit(`── job ${name} ──`);
    const state: JobState = {
      job,
      temp: mkdtempSync(join(this.runTemp, `${job.id}-`)),
      steps: {},
      filesEnv: {},
      path: [],
      failed: false,
      cancelled: this.cancelled,
      timedOut: false,
      processGroups: [],
      posts: [],
      results: [],
    };
    let jobError: string | undefined;
    let outputs: Record<string, string> = {};
    const jobTimeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const jobEnv = { ...workflowEnv, ...this.evaluateEnv(job.env, contexts, `${job.where}.env`) };
      if (job.concurrency !== undefined) this.noteConcurrency(job.concurrency, { ...contexts, env: jobEnv }, `${job.where}.concurrency`);
      if (job.environment !== undefined) {
        const environment = typeof job.environment === "object" ? (job.environment as { name?: unknown }).name : job.environment;
        this.emit(
          `environment '${evaluateString(environment, contexts, `${job.where}.environment`)}' (accepted; no protection rules locally)`,
        );
      }
      const timeoutMs = minutes(
        evaluateTemplate(job.timeoutMinutes, contexts, `${job.where}.timeout-minutes`),
        `${job.where}.timeout-minutes`,
      );
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          state.timedOut = true;
          state.cancelled = true;
          this.emit(`job ${name} exceeded timeout-minutes (${formatDuration(timeoutMs)}): stopping it`);
          jobTimeout.abort();
        }, timeoutMs);
      }
      for (const step of job.steps) {
        await this.runStep(step, state, { ...contexts, env: jobEnv }, jobEnv, jobTimeout.signal);
      }
      for (const post of state.posts.reverse()) await this.runPost(post, state, { ...contexts, env: jobEnv });
      outputs = this.jobOutputs(job, state, { ...contexts, env: jobEnv });
    } catch (error) {
      jobError = (error as Error).message;
      state.failed = true;
      this.emit(`${outcomeMark("failure")} job ${name}: ${jobError}`);
    } finally {
      clearTimeout(timer);
      // The runner ends orphan processes when a job completes.
      for (const group of state.processGroups) signalProcessGroup(group, "SIGTERM");
      rmSync(state.temp, { recursive: true, force: true });
    }
    // Interrupted by a cancellation: cancelled. Started after it (an always() job): judged by its steps.
    const interrupted = (this.cancelled && !status.cancelled) || state.results.some((step) => step.outcome === "cancelled");
    const result: JobResult["result"] = interrupted ? "cancelled" : state.failed || state.timedOut ? "failure" : "success";
    const job_ = finish(result, { outputs, steps: state.results, ...(jobError ? { error: jobError } : {}) });
    this.emit(`${outcomeMark(result)} job ${name}: ${result} in ${formatDuration(job_.durationMs)}`);
    return job_;
  }

  private jobOutputs(job: WorkflowJob, state: JobState, contexts: Contexts): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(job.outputs)) {
      const evaluated = evaluateString(value, { ...contexts, steps: state.steps }, `${job.where}.outputs.${name}`);
      if (this.redactor.redact(evaluated) !== evaluated) {
        // The runner drops a job output that carries a secret rather than pass it on.
        this.emit(`Warning: skipped output '${name}' of job ${job.id} since it may contain a secret`);
        continue;
      }
      outputs[name] = evaluated;
    }
    return outputs;
  }

  private workflowOutputs(jobs: Map<string, JobResult>, base: Contexts): Record<string, string> {
    const declared = (this.workflow.on.workflow_call?.outputs ?? {}) as Record<string, { value?: unknown } | null>;
    const jobsContext = Object.fromEntries([...jobs].map(([id, job]) => [id, { result: job.result, outputs: job.outputs }]));
    const outputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(declared)) {
      outputs[name] = this.redactor.redact(
        evaluateString(spec?.value, { ...base, jobs: jobsContext }, `on.workflow_call.outputs.${name}.value`),
      );
    }
    return outputs;
  }

  private stepStatus(state: JobState): JobStatus {
    return { success: !state.failed && !state.cancelled, failure: state.failed && !state.cancelled, cancelled: state.cancelled };
  }

  private runnerEnv(state: JobState, files: StepFiles, actionId: string): Record<string, string> {
    const g = this.github;
    return {
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION: actionId,
      GITHUB_ACTOR: String(g.actor),
      GITHUB_API_URL: String(g.api_url),
      GITHUB_EVENT_NAME: this.event,
      GITHUB_EVENT_PATH: String(g.event_path),
      GITHUB_GRAPHQL_URL: String(g.graphql_url),
      GITHUB_JOB: state.job.id,
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
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
      RUNNER_ENVIRONMENT: "self-hosted",
      RUNNER_NAME: "cutover-sandbox",
      RUNNER_OS: "Linux",
      RUNNER_TEMP: state.temp,
      RUNNER_TOOL_CACHE: join(this.runTemp, "tool-cache"),
      ...(this.options.debug ? { RUNNER_DEBUG: "1" } : {}),
      ...files,
    };
  }

  private stepFiles(state: JobState, index: string): StepFiles {
    const files = {
      GITHUB_OUTPUT: join(state.temp, `output-${index}`),
      GITHUB_ENV: join(state.temp, `env-${index}`),
      GITHUB_PATH: join(state.temp, `path-${index}`),
      GITHUB_STEP_SUMMARY: join(state.temp, `summary-${index}`),
      GITHUB_STATE: join(state.temp, `state-${index}`),
    };
    for (const file of Object.values(files)) writeFileSync(file, "");
    return files;
  }

  private async runStep(
    step: WorkflowStep,
    state: JobState,
    jobContexts: Contexts,
    jobEnv: Record<string, string>,
    jobSignal: AbortSignal,
  ): Promise<void> {
    const startedAtMs = this.elapsed();
    const contexts: Contexts = {
      ...jobContexts,
      job: { status: state.cancelled ? "cancelled" : state.failed ? "failure" : "success" },
      steps: state.steps,
      env: { ...jobEnv, ...state.filesEnv },
    };
    const result = pendingStepResult(state.job.id, step, step.label, "main", startedAtMs);
    const record = () => {
      result.durationMs = this.elapsed() - startedAtMs;
      if (step.id) state.steps[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
      if (result.conclusion === "failure") state.failed = true;
      state.results.push(this.masked(result));
      const extra = result.outcome === result.conclusion ? "" : ` (${result.outcome}, continue-on-error)`;
      const took = result.outcome === "skipped" ? "skipped" : formatDuration(result.durationMs);
      this.emit(`${outcomeMark(result.conclusion)} ${step.label} · ${took}${extra}${result.error ? ` — ${result.error}` : ""}`);
    };
    state.cancelled ||= this.cancelled;
    let run: boolean;
    try {
      run = evaluateCondition(step.if, contexts, `${step.where}.if`, this.stepStatus(state));
    } catch (error) {
      result.outcome = result.conclusion = "failure";
      result.error = (error as Error).message;
      return record();
    }
    if (!run) return record();
    this.emit(`▶ ${step.label}`);
    if (step.uses && isLocalCheckout(step.uses)) {
      this.emit(`The workspace ${this.workspace} already is the checkout; nothing to fetch.`);
      result.outcome = result.conclusion = "success";
      return record();
    }
    let continueOnError = false;
    try {
      continueOnError = Boolean(evaluateTemplate(step.continueOnError ?? false, contexts, `${step.where}.continue-on-error`));
      const stepEnv = this.evaluateEnv(step.env, contexts, `${step.where}.env`);
      const env = { ...jobEnv, ...state.filesEnv, ...stepEnv };
      const stepTimeout = minutes(
        evaluateTemplate(step.timeoutMinutes, contexts, `${step.where}.timeout-minutes`),
        `${step.where}.timeout-minutes`,
      );
      const files = this.stepFiles(state, String(step.index));
      const actionId = step.id ?? `__run_${step.index}`;
      const processEnv: Record<string, string> = { ...this.baseEnv, ...this.runnerEnv(state, files, actionId), ...env };
      if (state.path.length > 0) processEnv.PATH = [...state.path, processEnv.PATH ?? ""].join(delimiter);
      let command: string;
      let args: string[];
      let cwd = this.workspace;
      let action: ActionDefinition | undefined;
      if (step.run !== undefined) {
        const workingDirectory = step.workingDirectory ?? state.job.defaults.workingDirectory ?? this.workflow.defaults.workingDirectory;
        if (workingDirectory !== undefined) {
          const dir = evaluateString(workingDirectory, contexts, `${step.where}.working-directory`);
          cwd = isAbsolute(dir) ? dir : join(this.workspace, dir);
          if (!existsSync(cwd) || !statSync(cwd).isDirectory())
            throw new WorkflowError(`${step.where}.working-directory`, `${cwd} is not a directory`);
        }
        const script = join(state.temp, `step-${step.index}.sh`);
        writeFileSync(script, step.run);
        const shell = step.shell ?? state.job.defaults.shell ?? this.workflow.defaults.shell;
        command = shell === "sh" ? "sh" : "bash";
        args = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail", script] : ["-e", script];
      } else {
        action = this.actionFor(step);
        const withValues: Record<string, string> = {};
        for (const [name, value] of Object.entries(step.with))
          withValues[name] = evaluateString(value, contexts, `${step.where}.with.${name}`);
        const unexpected = Object.keys(withValues).filter((name) => !(name in action!.inputs));
        if (unexpected.length > 0) {
          const message = `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(action.inputs).join("', '")}']`;
          result.annotations.push({ level: "warning", message, properties: {} });
          this.emit(`Warning: ${message}`);
        }
        for (const [name, spec] of Object.entries(action.inputs)) {
          const value =
            withValues[name] ??
            (spec.default === undefined ? undefined : evaluateString(spec.default, contexts, `${step.uses} default of ${name}`));
          if (value !== undefined) processEnv[inputVariable(name)] = value;
        }
        for (const name of unexpected) processEnv[inputVariable(name)] = withValues[name] as string;
        processEnv.GITHUB_ACTION_PATH = action.directory;
        command = this.options.nodePath ?? process.execPath;
        args = [action.main];
      }
      const outcome = await this.execute(command, args, cwd, processEnv, stepTimeout, state, jobSignal, result);
      result.outcome = outcome;
      this.collectFiles(files, state, result);
      if (action?.post && outcome !== "skipped") {
        state.posts.push({ step, action, env: processEnv, state: parseFileCommands(readIfExists(files.GITHUB_STATE)) });
      }
    } catch (error) {
      result.outcome = "failure";
      result.error = (error as Error).message;
    }
    result.conclusion = result.outcome === "failure" && continueOnError ? "success" : result.outcome;
    return record();
  }

  private async runPost(post: PostStep, state: JobState, jobContexts: Contexts): Promise<void> {
    const startedAtMs = this.elapsed();
    const contexts: Contexts = { ...jobContexts, steps: state.steps };
    const result = pendingStepResult(state.job.id, post.step, `Post ${post.step.label}`, "post", startedAtMs);
    try {
      if (evaluateCondition(post.action.postIf ?? "always()", contexts, `${post.step.where} post-if`, this.stepStatus(state))) {
        this.emit(`▶ ${result.name}`);
        const files = this.stepFiles(state, `post-${post.step.index}`);
        const env: Record<string, string> = { ...post.env, ...files };
        for (const [name, value] of Object.entries(post.state)) env[`STATE_${name}`] = value;
        result.outcome = await this.execute(
          this.options.nodePath ?? process.execPath,
          [post.action.post as string],
          this.workspace,
          env,
          undefined,
          state,
          undefined,
          result,
        );
        this.collectFiles(files, state, result);
      }
    } catch (error) {
      result.outcome = "failure";
      result.error = (error as Error).message;
    }
    result.conclusion = result.outcome;
    if (result.conclusion === "failure") state.failed = true;
    result.durationMs = this.elapsed() - startedAtMs;
    state.results.push(this.masked(result));
    this.emit(
      `${outcomeMark(result.conclusion)} ${result.name} · ${result.outcome === "skipped" ? "skipped" : formatDuration(result.durationMs)}`,
    );
  }

  /** Runs one step process, acting on workflow commands as they are printed. */
  private async execute(
    command: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
    timeoutMs: number | undefined,
    state: JobState,
    jobSignal: AbortSignal | undefined,
    result: StepResult,
  ): Promise<StepOutcome> {
    let stopToken: string | undefined;
    const show = this.options.showStepLogs ?? true;
    const log = (text: string) => {
      result.log.push(this.redactor.redact(text));
      if (show) this.emit(`  ${text}`);
    };
    const annotate = (annotation: Annotation) => {
      result.annotations.push({ ...annotation, message: this.redactor.redact(annotation.message) });
      const level = annotation.level[0]?.toUpperCase() + annotation.level.slice(1);
      const title = annotation.properties.title ? `${annotation.properties.title}: ` : "";
      this.emit(`  ${level}: ${title}${annotation.message}`);
    };
    // A step started after cancellation still runs to the end, as always() steps do on GitHub.
    const signals = [state.cancelled ? undefined : this.options.signal, state.cancelled ? undefined : jobSignal].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    // Stopped the way the runner stops a step: SIGINT, SIGTERM after the grace (the runner waits 7.5 s), then SIGKILL.
    const processResult = await runProcess(command, args, {
      cwd,
      env,
      inheritEnv: false,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      interruptGraceMs: this.options.killGraceMs ?? 7_500,
      killGraceMs: 2_500,
      onLine: (line, stream) => {
        if (stream === "stderr") return log(line);
        if (stopToken !== undefined) {
          if (line === `::${stopToken}::`) stopToken = undefined;
          else log(line);
          return;
        }
        const parsed = parseCommandLine(line);
        switch (parsed.kind) {
          case "add-mask":
            this.redactor.add(parsed.value);
            return;
          case "annotation":
            return annotate(parsed.annotation);
          case "debug":
            if (this.options.debug) log(`##[debug]${parsed.text}`);
            return;
          case "group":
            return log(`▸ ${parsed.title}`);
          case "endgroup":
            return;
          case "stop-commands":
            stopToken = parsed.token;
            return;
          default:
            return log(parsed.text);
        }
      },
    });
    if (processResult.processGroup !== undefined) state.processGroups.push(processResult.processGroup);
    if (processResult.timedOut) {
      result.error = `exceeded timeout-minutes (${formatDuration(timeoutMs ?? 0)})`;
      return "failure";
    }
    if (processResult.cancelled) {
      result.error = state.timedOut ? "stopped: the job exceeded its timeout-minutes" : "stopped: the run was cancelled";
      return state.timedOut ? "failure" : "cancelled";
    }
    if (processResult.exitCode !== 0) {
      result.error = processResult.signal ? `killed by ${processResult.signal}` : `exit code ${processResult.exitCode}`;
      return "failure";
    }
    return "success";
  }

  private collectFiles(files: StepFiles, state: JobState, result: StepResult): void {
    result.outputs = parseFileCommands(readIfExists(files.GITHUB_OUTPUT));
    Object.assign(state.filesEnv, parseFileCommands(readIfExists(files.GITHUB_ENV)));
    state.path.unshift(...parsePathFile(readIfExists(files.GITHUB_PATH)).reverse());
    result.summary = readIfExists(files.GITHUB_STEP_SUMMARY);
  }

  /** A copy of a step result fit to leave the sandbox: every known secret scrubbed. */
  private masked(result: StepResult): StepResult {
    const scrub = (text: string) => this.redactor.redact(text);
    return {
      ...result,
      outputs: Object.fromEntries(Object.entries(result.outputs).map(([name, value]) => [name, scrub(value)])),
      summary: scrub(result.summary),
      log: result.log.map(scrub),
      ...(result.error ? { error: scrub(result.error) } : {}),
    };
  }
}

/** Runs a workflow file locally and returns what happened; the timeline is printed at the end. */
export function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
  return new WorkflowRun(options).run();
}
