import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigIssue, formatConfigIssue, inputVariable, Redactor } from "@cutover/core";
import { type ActionSpec, preloadInputs, readInputs } from "@cutover/runner";
import { parse } from "yaml";
import type { z } from "zod";
import { blueGreenSwap } from "../../actions/blue-green-swap/src/inputs.js";
import { healthGate } from "../../actions/health-gate/src/inputs.js";
import { migrate } from "../../actions/migrate/src/inputs.js";
import { notifySlack } from "../../actions/notify-slack/src/inputs.js";
import { checkSteps } from "../../actions/preflight/src/check-steps.js";
import { checkWorkflow } from "../../actions/preflight/src/workflow-checks.js";
import { type StepSpec, WORKFLOW_STEPS } from "../../actions/preflight/src/workflow-steps.js";
import { rollback } from "../../actions/rollback/src/inputs.js";
import { smokeTest } from "../../actions/smoke-test/src/inputs.js";

/**
 * A team's workflow checked without running it: each call of deploy.yml / rollback.yml goes
 * through preflight's checks (as the workflow's first step would run them), each step using a
 * cutover action through that action's input schema. Values that are expressions stand for what
 * they would give; one that cannot be told (`${{ vars.ROUTER }}`) is left unjudged.
 */
export interface WorkflowCall {
  where: string;
  workflow: "deploy" | "rollback";
  with: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

export interface ActionStep {
  where: string;
  action: string;
  with: Record<string, unknown>;
}

/** What the runner sets for every step, so inputs that default to it (record mode's sha) are judged as on the runner. */
const STAND_IN_RUNNER = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "owner/repository",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_REF: "refs/heads/main",
  GITHUB_REF_NAME: "main",
  GITHUB_RUN_ID: "1",
  GITHUB_RUN_NUMBER: "1",
  GITHUB_RUN_ATTEMPT: "1",
};

/**
 * What an opaque value stands for: present, so rules about which inputs go together see it; "1"
 * passes as an id, a count or a version. A problem with the opaque input itself is not reported.
 */
const OPAQUE = "1";
/** An opaque URL input stands for a URL, so checks between inputs (verify-expect needs verify-url) see one. */
const OPAQUE_URL = "https://stand-in.invalid";
const opaqueValue = (name: string) => (name.endsWith("-url") ? OPAQUE_URL : OPAQUE);

const WORKFLOW_USES = /\/cutover\/\.github\/workflows\/(deploy|rollback)\.yml@/;
const ACTION_USES = /\/cutover\/actions\/([a-z-]+)@/;

const ACTION_SPECS: Record<string, StepSpec> = {
  "smoke-test": smokeTest,
  "health-gate": healthGate,
  migrate,
  "blue-green-swap": blueGreenSwap,
  "notify-slack": notifySlack,
  rollback,
};

/** Whether a YAML text calls cutover at all. */
export function usesCutover(yaml: string): boolean {
  return WORKFLOW_USES.test(yaml) || ACTION_USES.test(yaml);
}

/** Every call of cutover's workflows, and every step using one of its actions, anywhere in `doc`. */
export function findCutoverUses(doc: unknown, where: string): { calls: WorkflowCall[]; steps: ActionStep[] } {
  const calls: WorkflowCall[] = [];
  const steps: ActionStep[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === "object") {
      const object = node as Record<string, unknown>;
      const uses = typeof object.uses === "string" ? object.uses : "";
      const call = WORKFLOW_USES.exec(uses);
      const action = ACTION_USES.exec(uses);
      const withBlock = (object.with ?? {}) as Record<string, unknown>;
      if (call) {
        calls.push({
          where,
          workflow: call[1] as WorkflowCall["workflow"],
          with: withBlock,
          secrets: (object.secrets ?? {}) as Record<string, unknown>,
        });
      } else if (action?.[1] && action[1] in ACTION_SPECS) {
        steps.push({ where, action: action[1], with: withBlock });
      } else for (const value of Object.values(object)) visit(value);
    }
  };
  visit(doc);
  return { calls, steps };
}

/**
 * What a value would be once the runner evaluates it. A whole-value expression stands for its
 * first quoted literal (`env == 'production' && 'http://{color}.prod:8080' || …`), or is opaque
 * (undefined); so is a value that starts with an expression (`${{ vars.IDLE_URL }}/healthz`: the
 * expression decides what kind of value it is); an expression further inside text becomes a stand-in word.
 */
export function standIn(value: unknown): string | undefined {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") return String(value);
  const whole = /^\$\{\{(.*)\}\}$/s.exec(value.trim());
  if (whole) {
    const literals = [...(whole[1] ?? "").matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "");
    return literals.find((literal) => literal.length > 0 && !/^(production|staging|true|false)$/.test(literal));
  }
  if (value.trimStart().startsWith("${{")) return undefined;
  return value.replace(/\$\{\{[^}]*\}\}/g, "x");
}

interface WorkflowInputDeclaration {
  type: "string" | "boolean" | "number";
  required?: boolean;
  default?: unknown;
}

function declared(repoRoot: string, workflow: string) {
  const doc = parse(readFileSync(join(repoRoot, ".github", "workflows", `${workflow}.yml`), "utf8"));
  return {
    inputs: doc.on.workflow_call.inputs as Record<string, WorkflowInputDeclaration>,
    secrets: (doc.on.workflow_call.secrets ?? {}) as Record<string, unknown>,
  };
}

/** The problems preflight would report for this call, and the inputs the workflow does not have. */
export async function checkWorkflowCall(call: WorkflowCall, options: { repoRoot: string; workspace: string }): Promise<string[]> {
  const { inputs: declaredInputs, secrets: declaredSecrets } = declared(options.repoRoot, call.workflow);
  const problems = [
    ...Object.keys(call.with)
      .filter((name) => !(name in declaredInputs))
      .map((name) => `input '${name}': ${call.workflow}.yml has no such input`),
    ...Object.keys(call.secrets)
      .filter((name) => !(name in declaredSecrets))
      .map((name) => `secret '${name}': ${call.workflow}.yml has no such secret`),
    ...Object.entries(declaredInputs)
      .filter(([name, input]) => input.required && call.with[name] === undefined)
      .map(([name]) => `input '${name}': required by ${call.workflow}.yml, not given`),
  ];
  const inputs: Record<string, string> = {};
  const opaque = new Set<string>();
  for (const [name, input] of Object.entries(declaredInputs)) {
    const value = call.with[name] ?? input.default;
    const given = value === undefined ? "" : standIn(value);
    if (given === undefined) opaque.add(name);
    inputs[name] = given ?? opaqueValue(name);
  }
  const secretText = (name: string) => {
    const value = call.secrets[name];
    if (value === undefined) return undefined;
    return standIn(value) ?? "";
  };
  const secrets = {
    // A database URL's text cannot be read from the caller: any given secret is a URL to migrate.
    "database-url": call.secrets["database-url"] === undefined ? undefined : "postgres://app:pw@127.0.0.1:5432/app",
    "router-env": secretText("router-env") || undefined,
    "prometheus-headers": secretText("prometheus-headers") || undefined,
  };
  const steps = await checkSteps({
    steps: WORKFLOW_STEPS[call.workflow],
    inputs,
    secrets,
    redactor: new Redactor(),
    runnerVariables: STAND_IN_RUNNER,
  });
  const workflow = await checkWorkflow({ workflow: call.workflow, inputs, secrets, workspace: options.workspace });
  const issues = [...steps.issues, ...workflow].filter((issue) => !opaque.has(issue.input));
  return [...problems, ...issues.map(formatConfigIssue)];
}

/** The problems the action would report for this step's `with:` before doing anything. */
export async function checkActionStep(step: ActionStep): Promise<string[]> {
  const spec = ACTION_SPECS[step.action] as StepSpec;
  const problems = Object.keys(step.with)
    .filter((name) => !(name in spec.inputs))
    .map((name) => `input '${name}': ${step.action} has no such input`);
  const env: Record<string, string> = { ...STAND_IN_RUNNER };
  const opaque = new Set<string>();
  for (const [name, value] of Object.entries(step.with)) {
    const given = standIn(value);
    if (given === undefined) opaque.add(name);
    env[inputVariable(name)] = given ?? opaqueValue(name);
  }
  await preloadInputs(spec as ActionSpec<Record<string, z.ZodType>>, env);
  try {
    readInputs(spec as ActionSpec<Record<string, z.ZodType>>, new Redactor(), env);
  } catch (error) {
    const issues = (error as { issues?: ConfigIssue[] }).issues;
    if (!issues) throw error;
    problems.push(...issues.filter((issue) => !opaque.has(issue.input)).map(formatConfigIssue));
  }
  return problems;
}
