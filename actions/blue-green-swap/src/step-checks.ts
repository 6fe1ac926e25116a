import { analysisInputIssues } from "@cutover/analysis";
import { type ConfigIssue, placeholderValuesOf } from "@cutover/core";

/** The slice of blue-green-swap's inputs these rules read. */
interface Inputs {
  mode: string;
  weights?: unknown;
  "traffic-steps"?: readonly number[];
  "prometheus-url"?: string;
  metrics?: readonly Partial<Record<"query" | "errors" | "total" | "histogram" | "baseline-query", string>>[];
  scope?: Record<string, string>;
  "alert-rules"?: string;
  version?: string;
  "previous-version"?: string;
  environment?: string;
}

/** Rules between the traffic-steps inputs that no single schema sees. */
export function stepIssues(inputs: Inputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const steps = inputs["traffic-steps"];
  if (steps && inputs.weights) {
    issues.push({
      input: "traffic-steps",
      path: "",
      expected: "traffic-steps or weights, not both: steps end with all traffic on one color",
    });
  }
  if (steps && inputs.mode !== "switch") {
    issues.push({ input: "traffic-steps", path: "", given: `mode ${inputs.mode}`, expected: "mode switch: steps move traffic" });
  }
  for (const input of ["metrics", "alert-rules", "prometheus-url", "scope"] as const) {
    if (inputs[input] && !steps)
      issues.push({
        input,
        path: "",
        expected: "traffic-steps as well: the analysis judges each step (the bake after the swap is health-gate's)",
      });
  }
  // {color} and {previous-color} are the swap's own; the rest come from inputs.
  if (steps) issues.push(...analysisInputIssues(inputs, placeholderValuesOf({ ...inputs, color: "blue", "previous-color": "green" })));
  return issues;
}
