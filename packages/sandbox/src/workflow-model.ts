import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { calledWorkflow, localActionReference } from "./cutover-references.js";
import { isLocalCheckout } from "./local-checkout.js";
import { UnsupportedKeyError, WorkflowError } from "./workflow-error.js";

type Mapping = Record<string, unknown>;

/** One step as written, with the path the sandbox names in errors. */
export interface WorkflowStep {
  index: number;
  where: string;
  /** What the timeline shows: `name`, else `id`, else the `run`/`uses` text. */
  label: string;
  id?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  with: Mapping;
  env: Mapping;
  shell?: string;
  workingDirectory?: unknown;
  continueOnError?: unknown;
  timeoutMinutes?: unknown;
}

/** A job that calls a reusable workflow instead of running steps. */
export interface WorkflowCall {
  uses: string;
  with: Mapping;
  /** `inherit` passes the caller's secrets on. */
  secrets: Mapping | "inherit";
}

export interface WorkflowJob {
  id: string;
  where: string;
  call?: WorkflowCall;
  name?: string;
  needs: string[];
  if?: unknown;
  env: Mapping;
  defaults: RunDefaults;
  steps: WorkflowStep[];
  outputs: Mapping;
  timeoutMinutes?: unknown;
  concurrency?: unknown;
  environment?: unknown;
}

export interface RunDefaults {
  shell?: string;
  workingDirectory?: string;
}

export interface InputSpec {
  type: "string" | "boolean" | "number" | "choice" | "environment";
  required: boolean;
  default?: unknown;
  options?: string[];
}

export interface Workflow {
  file: string;
  name?: string;
  /** Triggers as a mapping (`on: push` and `on: [a, b]` normalised). */
  on: Record<string, Mapping | null>;
  env: Mapping;
  defaults: RunDefaults;
  concurrency?: unknown;
  jobs: WorkflowJob[];
}

const WORKFLOW_KEYS = new Set(["name", "run-name", "on", "env", "defaults", "jobs", "concurrency", "permissions"]);
const JOB_KEYS = new Set([
  "name",
  "needs",
  "if",
  "runs-on",
  "environment",
  "env",
  "defaults",
  "steps",
  "outputs",
  "timeout-minutes",
  "concurrency",
  "permissions",
]);
const UNSUPPORTED_JOB_KEYS: Record<string, string> = {
  strategy: "matrix and strategy are not run by the local sandbox",
  services: "service containers are not run by the local sandbox",
  container: "job containers are not run by the local sandbox",
  "continue-on-error": "job-level continue-on-error is not run by the local sandbox (step-level is)",
  snapshot: "custom image snapshots are not run by the local sandbox",
};
const STEP_KEYS = new Set([
  "id",
  "name",
  "if",
  "uses",
  "run",
  "with",
  "env",
  "shell",
  "working-directory",
  "continue-on-error",
  "timeout-minutes",
]);
const SHELLS = new Set(["bash", "sh"]);
const LOCAL_ACTION = /^(?:\$|\.)\/[^@\s]+$/;

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapping(value: unknown, where: string): Mapping {
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) throw new WorkflowError(where, `expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

function checkKeys(node: Mapping, allowed: Set<string>, where: string, unsupported: Record<string, string> = {}): void {
  for (const key of Object.keys(node)) {
    if (key in unsupported) throw new UnsupportedKeyError(`${where}.${key}`, `'${key}' is not supported: ${unsupported[key]}`);
    if (!allowed.has(key)) {
      throw new WorkflowError(`${where}.${key}`, `unknown key '${key}'; expected one of ${[...allowed].join(", ")}`);
    }
  }
}

function runDefaults(node: unknown, where: string): RunDefaults {
  const defaults = mapping(node, where);
  checkKeys(defaults, new Set(["run"]), where);
  const run = mapping(defaults.run, `${where}.run`);
  checkKeys(run, new Set(["shell", "working-directory"]), `${where}.run`);
  if (run.shell !== undefined) checkShell(run.shell, `${where}.run.shell`);
  return {
    ...(run.shell !== undefined ? { shell: String(run.shell) } : {}),
    ...(run["working-directory"] !== undefined ? { workingDirectory: String(run["working-directory"]) } : {}),
  };
}

function checkShell(shell: unknown, where: string): void {
  if (!SHELLS.has(String(shell))) {
    throw new UnsupportedKeyError(where, `shell '${String(shell)}' is not supported by the local sandbox; use bash or sh`);
  }
}

function normaliseOn(on: unknown): Record<string, Mapping | null> {
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [String(event), null]));
  if (isMapping(on)) return Object.fromEntries(Object.entries(on).map(([event, spec]) => [event, isMapping(spec) ? spec : null]));
  throw new WorkflowError("on", "expected an event name, a list of events or a mapping of events");
}

function parseStep(raw: unknown, index: number, jobWhere: string, seenIds: Set<string>): WorkflowStep {
  const where = `${jobWhere}.steps[${index}]`;
  const node = mapping(raw, where);
  checkKeys(node, STEP_KEYS, where);
  const hasRun = node.run !== undefined;
  const hasUses = node.uses !== undefined;
  if (hasRun === hasUses) throw new WorkflowError(where, "a step needs exactly one of `run` or `uses`");
  if (hasRun && node.with !== undefined)
    throw new WorkflowError(`${where}.with`, "`with` belongs to `uses` steps; a `run` step reads `env`");
  if (hasUses && node.shell !== undefined) throw new WorkflowError(`${where}.shell`, "`shell` belongs to `run` steps");
  if (node.shell !== undefined) checkShell(node.shell, `${where}.shell`);
  // A team's pinned reference to a cutover action runs this checkout's action.
  const uses = hasUses ? localActionReference(String(node.uses)) : undefined;
  if (uses !== undefined && !LOCAL_ACTION.test(uses) && !isLocalCheckout(uses)) {
    throw new UnsupportedKeyError(
      `${where}.uses`,
      `'${uses}' is not supported: the local sandbox runs this repository's actions ($/actions/<name>, ./<path> or <owner>/cutover/actions/<name>@<ref>) and actions/checkout, not other third-party or docker actions`,
    );
  }
  const id = node.id === undefined ? undefined : String(node.id);
  if (id !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) throw new WorkflowError(`${where}.id`, `'${id}' is not a valid step id`);
    if (seenIds.has(id)) throw new WorkflowError(`${where}.id`, `step id '${id}' is used twice in this job`);
    seenIds.add(id);
  }
  const label = String(node.name ?? id ?? (hasRun ? String(node.run).split("\n")[0] : node.uses));
  return {
    index,
    where,
    label,
    ...(id !== undefined ? { id } : {}),
    ...(node.if !== undefined ? { if: node.if } : {}),
    ...(uses !== undefined ? { uses } : {}),
    ...(hasRun ? { run: String(node.run) } : {}),
    with: mapping(node.with, `${where}.with`),
    env: mapping(node.env, `${where}.env`),
    ...(node.shell !== undefined ? { shell: String(node.shell) } : {}),
    ...(node["working-directory"] !== undefined ? { workingDirectory: node["working-directory"] } : {}),
    ...(node["continue-on-error"] !== undefined ? { continueOnError: node["continue-on-error"] } : {}),
    ...(node["timeout-minutes"] !== undefined ? { timeoutMinutes: node["timeout-minutes"] } : {}),
  };
}

/** Keys a job that calls a reusable workflow may have (no steps, runner or environment of its own). */
const CALL_JOB_KEYS = new Set(["name", "needs", "if", "uses", "with", "secrets", "concurrency", "permissions"]);

function parseCallJob(id: string, where: string, node: Mapping): WorkflowJob {
  checkKeys(node, CALL_JOB_KEYS, where, UNSUPPORTED_JOB_KEYS);
  const uses = String(node.uses);
  if (!calledWorkflow(uses)) {
    throw new UnsupportedKeyError(
      `${where}.uses`,
      `'${uses}' is not supported: the local sandbox calls cutover's workflows (<owner>/cutover/.github/workflows/<file>@<ref>, run from this checkout) and the caller's own (./.github/workflows/<file>)`,
    );
  }
  const needs = node.needs === undefined ? [] : Array.isArray(node.needs) ? node.needs.map(String) : [String(node.needs)];
  return {
    id,
    where,
    call: {
      uses,
      with: mapping(node.with, `${where}.with`),
      secrets: node.secrets === "inherit" ? "inherit" : mapping(node.secrets, `${where}.secrets`),
    },
    ...(node.name !== undefined ? { name: String(node.name) } : {}),
    needs,
    ...(node.if !== undefined ? { if: node.if } : {}),
    env: {},
    defaults: {},
    steps: [],
    outputs: {},
    ...(node.concurrency !== undefined ? { concurrency: node.concurrency } : {}),
  };
}

function parseJob(id: string, raw: unknown): WorkflowJob {
  const where = `jobs.${id}`;
  const node = mapping(raw, where);
  if (node.uses !== undefined) return parseCallJob(id, where, node);
  checkKeys(node, JOB_KEYS, where, {
    ...UNSUPPORTED_JOB_KEYS,
    with: "job-level `with` belongs to a job that `uses` a workflow",
    secrets: "job-level `secrets` belongs to a job that `uses` a workflow",
  });
  if (!Array.isArray(node.steps) || node.steps.length === 0)
    throw new WorkflowError(`${where}.steps`, "a job needs a non-empty list of steps");
  const needs = node.needs === undefined ? [] : Array.isArray(node.needs) ? node.needs.map(String) : [String(node.needs)];
  const seenIds = new Set<string>();
  return {
    id,
    where,
    ...(node.name !== undefined ? { name: String(node.name) } : {}),
    needs,
    ...(node.if !== undefined ? { if: node.if } : {}),
    env: mapping(node.env, `${where}.env`),
    defaults: runDefaults(node.defaults, `${where}.defaults`),
    steps: node.steps.map((step, index) => parseStep(step, index, where, seenIds)),
    outputs: mapping(node.outputs, `${where}.outputs`),
    ...(node["timeout-minutes"] !== undefined ? { timeoutMinutes: node["timeout-minutes"] } : {}),
    ...(node.concurrency !== undefined ? { concurrency: node.concurrency } : {}),
    ...(node.environment !== undefined ? { environment: node.environment } : {}),
  };
}

/** Orders jobs so each comes after everything it `needs`, keeping file order otherwise. */
function orderJobs(jobs: WorkflowJob[]): WorkflowJob[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const job of jobs) {
    for (const need of job.needs) {
      if (!byId.has(need)) throw new WorkflowError(`${job.where}.needs`, `job '${need}' does not exist`);
    }
  }
  const ordered: WorkflowJob[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (job: WorkflowJob, chain: string[]) => {
    if (state.get(job.id) === "done") return;
    if (state.get(job.id) === "visiting")
      throw new WorkflowError(`${job.where}.needs`, `dependency cycle: ${[...chain, job.id].join(" → ")}`);
    state.set(job.id, "visiting");
    for (const need of job.needs) visit(byId.get(need) as WorkflowJob, [...chain, job.id]);
    state.set(job.id, "done");
    ordered.push(job);
  };
  for (const job of jobs) visit(job, []);
  return ordered;
}

/** Parses workflow YAML text into the model the sandbox runs, rejecting what it cannot run. */
export function parseWorkflowText(text: string, file: string): Workflow {
  let root: unknown;
  try {
    root = parse(text);
  } catch (error) {
    throw new WorkflowError(file, `not valid YAML: ${(error as Error).message}`);
  }
  const node = mapping(root, file);
  checkKeys(node, WORKFLOW_KEYS, "workflow");
  if (node.on === undefined) throw new WorkflowError("on", "a workflow needs `on`");
  const jobs = mapping(node.jobs, "jobs");
  if (Object.keys(jobs).length === 0) throw new WorkflowError("jobs", "a workflow needs at least one job");
  return {
    file,
    ...(node.name !== undefined ? { name: String(node.name) } : {}),
    on: normaliseOn(node.on),
    env: mapping(node.env, "env"),
    defaults: runDefaults(node.defaults, "defaults"),
    ...(node.concurrency !== undefined ? { concurrency: node.concurrency } : {}),
    jobs: orderJobs(Object.entries(jobs).map(([id, job]) => parseJob(id, job))),
  };
}

/** Reads and parses a workflow file. */
export function loadWorkflow(file: string): Workflow {
  return parseWorkflowText(readFileSync(file, "utf8"), file);
}

/** The declared inputs of a `workflow_call` or `workflow_dispatch` trigger. */
export function declaredInputs(workflow: Workflow, event: string): Record<string, InputSpec> {
  const trigger = workflow.on[event];
  const inputs = mapping(trigger?.inputs, `on.${event}.inputs`);
  const specs: Record<string, InputSpec> = {};
  for (const [name, raw] of Object.entries(inputs)) {
    const spec = mapping(raw, `on.${event}.inputs.${name}`);
    const type = String(spec.type ?? "string");
    if (!["string", "boolean", "number", "choice", "environment"].includes(type)) {
      throw new WorkflowError(`on.${event}.inputs.${name}.type`, `unknown input type '${type}'`);
    }
    specs[name] = {
      type: type as InputSpec["type"],
      required: spec.required === true,
      ...(spec.default !== undefined ? { default: spec.default } : {}),
      ...(Array.isArray(spec.options) ? { options: spec.options.map(String) } : {}),
    };
  }
  return specs;
}
