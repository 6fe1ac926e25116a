import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { type ConfigIssue, formatConfigIssue, Redactor } from "@cutover/core";
import { type ActionSpec, inputVariable, readInputs } from "@cutover/runner";
import { describe, expect, it } from "vitest";
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
import { repoRoot } from "../harness/action-metadata.js";

/**
 * Every caller of deploy.yml or rollback.yml that we show users — the example workflows and the
 * YAML blocks of the docs — is run through preflight's checks, as the workflow's first step would.
 */
interface Caller {
  where: string;
  workflow: "deploy" | "rollback";
  with: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

const USES = /\/cutover\/\.github\/workflows\/(deploy|rollback)\.yml@/;
const ACTION_USES = /\/cutover\/actions\/([a-z-]+)@/;

interface ActionStep {
  where: string;
  action: string;
  with: Record<string, unknown>;
}

function actionStepsIn(doc: unknown, where: string, out: ActionStep[] = []): ActionStep[] {
  if (Array.isArray(doc)) for (const item of doc) actionStepsIn(item, where, out);
  else if (doc && typeof doc === "object") {
    const node = doc as Record<string, unknown>;
    const match = typeof node.uses === "string" ? ACTION_USES.exec(node.uses) : null;
    if (match) out.push({ where, action: match[1] ?? "", with: (node.with ?? {}) as Record<string, unknown> });
    else for (const value of Object.values(node)) actionStepsIn(value, where, out);
  }
  return out;
}

function callersIn(doc: unknown, where: string, out: Caller[] = []): Caller[] {
  if (Array.isArray(doc)) for (const item of doc) callersIn(item, where, out);
  else if (doc && typeof doc === "object") {
    const node = doc as Record<string, unknown>;
    const match = typeof node.uses === "string" ? USES.exec(node.uses) : null;
    if (match) {
      out.push({
        where,
        workflow: match[1] as Caller["workflow"],
        with: (node.with ?? {}) as Record<string, unknown>,
        secrets: (node.secrets ?? {}) as Record<string, unknown>,
      });
    } else for (const value of Object.values(node)) callersIn(value, where, out);
  }
  return out;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

const unparsable: string[] = [];

/** The example workflows and every YAML block of the README and docs that uses cutover, parsed. */
function shownDocuments(): { where: string; doc: unknown }[] {
  const docs: { where: string; doc: unknown }[] = [];
  const examples = join(repoRoot, "examples", "workflows");
  for (const name of readdirSync(examples).filter((n) => n.endsWith(".yml"))) {
    docs.push({ where: `examples/workflows/${name}`, doc: parse(readFileSync(join(examples, name), "utf8")) });
  }
  const readmes = readdirSync(join(repoRoot, "actions")).map((name) => join(repoRoot, "actions", name, "README.md"));
  for (const file of [join(repoRoot, "README.md"), ...readmes, ...markdownFiles(join(repoRoot, "docs"))]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const [index, block] of [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
      const yaml = block[1] ?? "";
      if (!USES.test(yaml) && !ACTION_USES.test(yaml)) continue;
      const where = `${relative(repoRoot, file)} (YAML block ${index + 1})`;
      try {
        docs.push({ where, doc: parse(yaml) });
      } catch (error) {
        unparsable.push(`${where}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  }
  return docs;
}

const shown = shownDocuments();

interface WorkflowInput {
  type: "string" | "boolean" | "number";
  required?: boolean;
  default?: unknown;
}

function declaredInputs(workflow: string): { inputs: Record<string, WorkflowInput>; secrets: Record<string, unknown> } {
  const doc = parse(readFileSync(join(repoRoot, ".github", "workflows", `${workflow}.yml`), "utf8"));
  return { inputs: doc.on.workflow_call.inputs, secrets: doc.on.workflow_call.secrets ?? {} };
}

/**
 * A value as the runner would hand it on. A whole-value expression stands for its first quoted
 * literal (`env == 'production' && 'http://{color}.prod:8080' || …`), or is opaque (`vars.ROUTER`:
 * undefined, not judged here); an expression inside text becomes a stand-in word.
 */
function standIn(value: unknown): string | undefined {
  if (typeof value !== "string") return String(value);
  const whole = /^\$\{\{(.*)\}\}$/s.exec(value.trim());
  if (whole) {
    const literals = [...(whole[1] ?? "").matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "");
    return literals.find((literal) => literal.length > 0 && !/^(production|staging|true|false)$/.test(literal));
  }
  return value.replace(/\$\{\{[^}]*\}\}/g, "x");
}

const callers = shown.flatMap(({ where, doc }) => callersIn(doc, where));

describe("callers we show users pass preflight", () => {
  it("every YAML block that uses cutover parses", () => {
    expect(unparsable).toEqual([]);
  });

  it("there are callers in the examples and the docs", () => {
    expect(callers.filter((c) => c.where.startsWith("examples/")).length).toBeGreaterThanOrEqual(3);
    expect(callers.filter((c) => c.where.startsWith("docs/")).length).toBeGreaterThanOrEqual(2);
  });

  it.each(callers.map((c, i) => [`${c.where} → ${c.workflow}.yml #${i + 1}`, c] as const))("%s", async (_, caller) => {
    const declared = declaredInputs(caller.workflow);
    const unknown = [
      ...Object.keys(caller.with).filter((name) => !(name in declared.inputs)),
      ...Object.keys(caller.secrets).filter((name) => !(name in declared.secrets)),
    ];
    expect(unknown, "inputs or secrets the workflow does not declare").toEqual([]);
    const missing = Object.entries(declared.inputs)
      .filter(([name, input]) => input.required && caller.with[name] === undefined)
      .map(([name]) => name);
    expect(missing, "required inputs left out").toEqual([]);

    const inputs: Record<string, string> = {};
    const opaque = new Set<string>();
    for (const [name, input] of Object.entries(declared.inputs)) {
      const value = caller.with[name] ?? input.default;
      const given = value === undefined ? "" : standIn(value);
      if (given === undefined) opaque.add(name);
      inputs[name] = given ?? "opaque-value";
    }
    const secret = (name: string, sample: string) => (caller.secrets[name] === undefined ? undefined : sample);
    const secrets = {
      "database-url": secret("database-url", "postgres://app:pw@127.0.0.1:5432/app"),
      "router-env": typeof caller.secrets["router-env"] === "string" ? standIn(caller.secrets["router-env"]) : undefined,
      "prometheus-headers":
        typeof caller.secrets["prometheus-headers"] === "string" ? standIn(caller.secrets["prometheus-headers"]) : undefined,
    };
    // The caller's own repository: its migrations directory and rule file exist there.
    const workspace = mkdtempSync(join(tmpdir(), "cutover-caller-"));
    if (inputs["migrations-dir"]) mkdirSync(join(workspace, inputs["migrations-dir"]), { recursive: true });
    if (inputs["alert-rules"]) {
      mkdirSync(dirname(join(workspace, inputs["alert-rules"])), { recursive: true });
      writeFileSync(
        join(workspace, inputs["alert-rules"]),
        "groups:\n  - name: app\n    rules:\n      - alert: Errors\n        expr: up == 0\n",
      );
    }
    const steps = checkSteps({ steps: WORKFLOW_STEPS[caller.workflow], inputs, secrets, redactor: new Redactor() });
    const workflow = await checkWorkflow({ workflow: caller.workflow, inputs, secrets, workspace });
    const issues = [...steps.issues, ...workflow].filter((issue) => !opaque.has(issue.input));
    expect(issues.map(formatConfigIssue)).toEqual([]);
  });
});

const SPECS: Record<string, StepSpec> = {
  "smoke-test": smokeTest,
  "health-gate": healthGate,
  migrate,
  "blue-green-swap": blueGreenSwap,
  "notify-slack": notifySlack,
  rollback,
};

const actionSteps = shown.flatMap(({ where, doc }) => actionStepsIn(doc, where)).filter((step) => step.action in SPECS);

describe("action steps we show users pass their action's input schema", () => {
  it("there are action steps in the examples and the docs", () => {
    expect(actionSteps.length).toBeGreaterThanOrEqual(5);
  });

  it.each(actionSteps.map((s, i) => [`${s.where} → ${s.action} #${i + 1}`, s] as const))("%s", (_, step) => {
    const spec = SPECS[step.action] as StepSpec;
    const env: Record<string, string> = {};
    const opaque = new Set<string>();
    for (const [name, value] of Object.entries(step.with)) {
      const given = standIn(value);
      if (given === undefined) opaque.add(name);
      else env[inputVariable(name)] = given;
    }
    const unknown = Object.keys(step.with).filter((name) => !(name in spec.inputs));
    expect(unknown, "inputs the action does not have").toEqual([]);
    let issues: string[] = [];
    try {
      readInputs(spec as ActionSpec<Record<string, z.ZodType>>, new Redactor(), env);
    } catch (error) {
      issues = ((error as { issues?: ConfigIssue[] }).issues ?? []).filter((i) => !opaque.has(i.input)).map(formatConfigIssue);
      if (!(error as { issues?: unknown }).issues) throw error;
    }
    expect(issues).toEqual([]);
  });
});
