// Job scheduling: the run's jobs in order, each with its `if:`, `needs`, env layers, timeout
// and steps (and post steps), as the runner schedules them. Run set-up, the step environment,
// the step process and its output files live beside this file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatDuration, Redactor, signalProcessGroup } from "@cutover/core";
import { type ActionDefinition, readActionDefinition } from "./action-metadata.js";
import { type Contexts, evaluateCondition, evaluateString, evaluateTemplate, type JobStatus } from "./expressions.js";
import type { JobState, PostStep } from "./job-state.js";
import { isLocalCheckout } from "./local-checkout.js";
import { jobOutputs, maskedStepResult, workflowOutputs } from "./run-outputs.js";
import { type JobResult, pendingStepResult, type StepOutcome, type StepResult, type WorkflowResult } from "./run-result.js";
import {
  baseContexts,
  defaultBaseEnv,
  githubContext,
  minutes,
  pickEvent,
  type RunWorkflowOptions,
  resolveInputs,
  resolveSecrets,
} from "./run-setup.js";
import { scriptCommand } from "./step-command.js";
import { actionInputVariables, evaluateEnv, runnerVariables, stepEnvironment, undeclaredInputs } from "./step-environment.js";
import { createStepFiles, readStepFiles, readStepState, type StepFiles } from "./step-files.js";
import { runStepProcess } from "./step-process.js";
import { formatTimeline, outcomeMark } from "./timeline.js";
import { runWorkflowCall } from "./workflow-call.js";
import { loadWorkflow, type Workflow, type WorkflowJob, type WorkflowStep } from "./workflow-model.js";

export type { RunWorkflowOptions } from "./run-setup.js";

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
    this.github = githubContext(this.workflow, options, { event: this.event, workspace: this.workspace, eventPath, token });
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
      const env = evaluateEnv(this.workflow.env, base, "env");
      if (this.workflow.concurrency !== undefined) this.noteConcurrency(this.workflow.concurrency, { ...base, env }, "concurrency");
      const jobs = new Map<string, JobResult>();
      for (const job of this.workflow.jobs) jobs.set(job.id, await this.runJob(job, env, jobs));
      const results = [...jobs.values()];
      const conclusion = this.cancelled ? "cancelled" : results.some((job) => job.result === "failure") ? "failure" : "success";
      const outputs = workflowOutputs(this.workflow, jobs, base, this.redactor);
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
    const run = { github: this.github, inputs: this.inputs, secrets: this.secrets, vars: this.vars };
    return baseContexts(run, { runTemp: this.runTemp, debug: this.options.debug ?? false });
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
    if (job.call) {
      this.emit(`── job ${name}: ${job.call.uses} ──`);
      const setting = { options: this.options, secrets: this.secrets, contexts, where: job.where, run: runWorkflow };
      const called = await runWorkflowCall(job.call, { ...setting, print: (line) => this.emit(line) }).catch((error: Error) => error);
      const call =
        called instanceof Error
          ? finish("failure", { error: called.message })
          : finish(called.result, { outputs: called.outputs, steps: called.steps });
      this.emit(`${outcomeMark(call.result)} job ${name}: ${call.error ?? call.result} in ${formatDuration(call.durationMs)}`);
      return call;
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
      const jobEnv = { ...workflowEnv, ...evaluateEnv(job.env, contexts, `${job.where}.env`) };
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
      outputs = jobOutputs(job, { ...contexts, env: jobEnv, steps: state.steps }, this.redactor, (line) => this.emit(line));
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

  private stepStatus(state: JobState): JobStatus {
    return { success: !state.failed && !state.cancelled, failure: state.failed && !state.cancelled, cancelled: state.cancelled };
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
      state.results.push(maskedStepResult(result, this.redactor));
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
      const stepEnv = evaluateEnv(step.env, contexts, `${step.where}.env`);
      const env = { ...jobEnv, ...state.filesEnv, ...stepEnv };
      const stepTimeout = minutes(
        evaluateTemplate(step.timeoutMinutes, contexts, `${step.where}.timeout-minutes`),
        `${step.where}.timeout-minutes`,
      );
      const files = createStepFiles(state.temp, String(step.index));
      const actionId = step.id ?? `__run_${step.index}`;
      const runner = runnerVariables(this.runnerFacts(), { id: state.job.id, temp: state.temp }, files, actionId);
      const processEnv = stepEnvironment(this.baseEnv, runner, env, state.path);
      let command: string;
      let args: string[];
      let cwd = this.workspace;
      let action: ActionDefinition | undefined;
      if (step.run !== undefined) {
        ({ command, args, cwd } = scriptCommand(step, contexts, {
          workspace: this.workspace,
          temp: state.temp,
          defaults: [state.job.defaults, this.workflow.defaults],
        }));
      } else {
        action = this.actionFor(step);
        const withValues: Record<string, string> = {};
        for (const [name, value] of Object.entries(step.with))
          withValues[name] = evaluateString(value, contexts, `${step.where}.with.${name}`);
        const unexpected = undeclaredInputs(action, withValues);
        if (unexpected.length > 0) {
          const message = `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(action.inputs).join("', '")}']`;
          result.annotations.push({ level: "warning", message, properties: {} });
          this.emit(`Warning: ${message}`);
        }
        Object.assign(
          processEnv,
          actionInputVariables(action, withValues, (name, text) => evaluateString(text, contexts, `${step.uses} default of ${name}`)),
        );
        processEnv.GITHUB_ACTION_PATH = action.directory;
        command = this.options.nodePath ?? process.execPath;
        args = [action.main];
      }
      const outcome = await this.execute(command, args, cwd, processEnv, stepTimeout, state, jobSignal, result);
      result.outcome = outcome;
      this.collectFiles(files, state, result);
      if (action?.post && outcome !== "skipped") {
        state.posts.push({ step, action, env: processEnv, state: readStepState(files) });
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
        const files = createStepFiles(state.temp, `post-${post.step.index}`);
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
    state.results.push(maskedStepResult(result, this.redactor));
    this.emit(
      `${outcomeMark(result.conclusion)} ${result.name} · ${result.outcome === "skipped" ? "skipped" : formatDuration(result.durationMs)}`,
    );
  }

  /** Runs one step process; the job's end cleans up its process group. */
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
    // A step started after cancellation still runs to the end, as always() steps do on GitHub.
    const signals = [state.cancelled ? undefined : this.options.signal, state.cancelled ? undefined : jobSignal].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    const end = await runStepProcess(
      { command, args, cwd, env, timeoutMs, signals, killGraceMs: this.options.killGraceMs ?? 7_500 },
      {
        redactor: this.redactor,
        emit: (line) => this.emit(line),
        showStepLogs: this.options.showStepLogs ?? true,
        debug: this.options.debug ?? false,
      },
      result,
      () => state.timedOut,
    );
    if (end.processGroup !== undefined) state.processGroups.push(end.processGroup);
    return end.outcome;
  }

  private collectFiles(files: StepFiles, state: JobState, result: StepResult): void {
    const written = readStepFiles(files);
    result.outputs = written.outputs;
    Object.assign(state.filesEnv, written.env);
    state.path.unshift(...[...written.path].reverse());
    result.summary = written.summary;
  }

  private runnerFacts() {
    return { github: this.github, event: this.event, workspace: this.workspace, runTemp: this.runTemp, debug: this.options.debug ?? false };
  }
}

/** Runs a workflow file locally and returns what happened; the timeline is printed at the end. */
export function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
  return new WorkflowRun(options).run();
}
