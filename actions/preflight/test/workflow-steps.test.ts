import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../../test/harness/action-metadata.js";
import { type Source, WORKFLOW_STEPS } from "../src/workflow-steps.js";

interface Step {
  name?: string;
  uses?: string;
  with?: Record<string, string>;
}

function workflowSteps(workflow: string): Step[] {
  const doc = parse(readFileSync(join(repoRoot, ".github", "workflows", `${workflow}.yml`), "utf8"));
  const job = Object.values(doc.jobs as Record<string, { steps: Step[] }>)[0];
  return job?.steps ?? [];
}

/** The expression a `with:` value must be for the source preflight assumes. */
function expressionOf(source: Source): string | undefined {
  if ("setting" in source) return `\${{ fromJSON(steps.rollback.outputs.settings).${source.setting} }}`;
  if ("onlyWith" in source) {
    const also = source.alsoWith ? `inputs.${source.alsoWith} && ` : "";
    return `\${{ ${also}(${source.onlyWith.map((name) => `inputs.${name}`).join(" || ")}) && inputs.${source.input} || '' }}`;
  }
  if ("input" in source) return `\${{ inputs.${source.input} }}`;
  if ("secret" in source) return `\${{ secrets.${source.secret} }}`;
  if ("firstOf" in source) return `\${{ ${source.firstOf.map((name) => `inputs.${name}`).join(" || ")} }}`;
  return undefined;
}

describe.each(["deploy", "rollback"] as const)("preflight's picture of %s.yml", (workflow) => {
  const steps = workflowSteps(workflow);

  it.each(WORKFLOW_STEPS[workflow].map((step) => [step.name, step] as const))("%s takes the inputs preflight checks", (name, checked) => {
    const step = steps.find((s) => s.name?.startsWith(name));
    expect(step, `no step named "${name}…" in ${workflow}.yml`).toBeDefined();
    expect(step?.uses).toBe(`$/actions/${checked.spec.name}`);
    for (const [input, source] of Object.entries(checked.with)) {
      const expression = expressionOf(source);
      if (expression) expect(step?.with?.[input], `${name}: ${input}`).toBe(expression);
    }
  });

  it("checks every workflow input a cutover step takes", () => {
    const checked = new Set(WORKFLOW_STEPS[workflow].flatMap((step) => Object.values(step.with).map(expressionOf)));
    const missed = steps.flatMap((step) =>
      Object.entries(step.with ?? {})
        .filter(([, value]) => /^\$\{\{ inputs\.[a-z-]+( \|\| inputs\.[a-z-]+)* \}\}$/.test(String(value)))
        .filter(([, value]) => !checked.has(String(value)))
        // Free text any value of which every step takes as it is.
        .filter(([, value]) => !/inputs\.(environment|version|target-version|reason)\b/.test(String(value)))
        .map(([input, value]) => `${step.name}: ${input}: ${value}`),
    );
    expect(missed).toEqual([]);
  });
});
