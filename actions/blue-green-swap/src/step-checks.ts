import { type ConfigIssue, missingPlaceholders, placeholderValuesOf } from "@cutover/core";

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
  const analyses = Boolean(inputs.metrics || inputs["alert-rules"]);
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
  if (steps && analyses && !inputs["prometheus-url"]) {
    issues.push({
      input: "prometheus-url",
      path: "",
      expected: `the Prometheus base URL, because ${inputs.metrics ? "metrics are" : "alert-rules is"} given`,
    });
  }
  if (steps && inputs["prometheus-url"] && !analyses) {
    issues.push({ input: "metrics", path: "", expected: "a list of metrics (or alert-rules), because prometheus-url is given" });
  }
  // {color} and {previous-color} are the swap's own; the rest come from inputs.
  const values = placeholderValuesOf({ ...inputs, color: "blue", "previous-color": "green" });
  const texts: [string, string, string][] = Object.entries(inputs.scope ?? {}).map(([label, text]) => ["scope", label, text]);
  (inputs.metrics ?? []).forEach((metric, index) => {
    for (const [key, text] of Object.entries(metric)) if (typeof text === "string") texts.push(["metrics", `[${index}].${key}`, text]);
  });
  for (const [input, path, text] of texts) {
    for (const name of missingPlaceholders(text, values))
      issues.push({ input, path, given: `{${name}}`, expected: `the ${name} input, which fills {${name}}` });
  }
  return issues;
}
