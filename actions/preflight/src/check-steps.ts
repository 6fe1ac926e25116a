import { ConfigError, type ConfigIssue, inputVariable, type Redactor } from "@cutover/core";
import { type ActionSpec, preloadInputs, readInputs } from "@cutover/runner";
import type { z } from "zod";
import type { Source, WorkflowStep } from "./workflow-steps.js";

export interface StepsToCheck {
  steps: readonly WorkflowStep[];
  /** The workflow's inputs as the runner prints them into `with:`. */
  inputs: Record<string, string>;
  secrets: Record<string, string | undefined>;
  /** Masks secrets as they are read, as each step will. */
  redactor: Redactor;
  /** The GITHUB_* variables each step will have (some inputs default to them, e.g. record mode's sha). */
  runnerVariables: Record<string, string>;
}

/**
 * Parses every workflow input with the schema of each step that will take it, as that step
 * will, and reports every problem under the workflow input's own name, all at once.
 */
export async function checkSteps(check: StepsToCheck): Promise<{ issues: ConfigIssue[]; checked: number }> {
  const issues: ConfigIssue[] = [];
  let checked = 0;
  for (const step of check.steps) {
    const when = step.when === undefined ? undefined : [step.when].flat();
    if (when && !when.some((name) => isSet(check.inputs[name]))) continue;
    if (step.whenAlso && !isSet(check.inputs[step.whenAlso])) continue;
    const env: Record<string, string> = { ...check.runnerVariables };
    for (const [name, source] of Object.entries(step.with)) {
      const value = sourceValue(source, check);
      if (value) env[inputVariable(name)] = value;
    }
    checked += 1;
    const spec = step.spec as ActionSpec<Record<string, z.ZodType>>;
    await preloadInputs(spec, env);
    try {
      // The step's schema and its checks between inputs, exactly as the step will run them.
      readInputs(spec, check.redactor, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues.map((issue) => inWorkflowTerms(issue, step, check)));
    }
  }
  return { issues: dedupe(issues), checked };
}

/** A workflow input that turns a step on: given, and not the boolean false. */
function isSet(value: string | undefined): boolean {
  return Boolean(value) && value !== "false";
}

function sourceValue(source: Source, check: StepsToCheck): string | undefined {
  if ("setting" in source) return check.inputs[source.setting] || (source.orInput && check.inputs[source.orInput]) || source.standIn;
  if ("onlyWith" in source) {
    const passed = source.onlyWith.some((name) => check.inputs[name]) && (!source.alsoWith || check.inputs[source.alsoWith]);
    return passed ? check.inputs[source.input] : undefined;
  }
  if ("input" in source) return check.inputs[source.input];
  if ("firstOf" in source) return source.firstOf.map((name) => check.inputs[name]).find(Boolean);
  if ("secret" in source) return check.secrets[source.secret];
  return source.value;
}

/** The issue under the name the workflow's caller wrote, saying which step would have refused it. */
function inWorkflowTerms(issue: ConfigIssue, step: WorkflowStep, check: StepsToCheck): ConfigIssue {
  const source = step.with[issue.input];
  const input =
    source === undefined || "value" in source
      ? issue.input
      : "input" in source
        ? source.input
        : "secret" in source
          ? source.secret
          : "setting" in source
            ? check.inputs[source.setting] || !source.orInput
              ? source.setting
              : source.orInput
            : (source.firstOf.find((name) => check.inputs[name]) ?? source.firstOf[0] ?? issue.input);
  return { ...issue, input, expected: `${issue.expected} (step "${step.name}", ${step.spec.name} input ${issue.input})` };
}

/** One workflow input feeds several steps (router: status and swap): say each problem once. */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.input}\u0000${issue.path}\u0000${issue.given ?? ""}\u0000${issue.expected.replace(/ \(step ".*$/, "")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
