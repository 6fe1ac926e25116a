import { type ConfigIssue, missingPlaceholders, type PlaceholderValues } from "@cutover/core";

type QueryField = "query" | "errors" | "total" | "histogram" | "baseline-query";

/** The analysis inputs these rules read (see analysisInputs). */
export interface AnalysisInputsGiven {
  "prometheus-url"?: string | undefined;
  "alert-rules"?: string | undefined;
  scope?: Record<string, string> | undefined;
  metrics?: readonly Partial<Record<QueryField, string>>[] | undefined;
}

/**
 * Rules between the analysis inputs that no single schema sees: Prometheus with something to
 * ask it, scope with something to scope, every placeholder filled by `values`. Shared by every
 * action that takes analysisInputs.
 */
export function analysisInputIssues(inputs: AnalysisInputsGiven, values: PlaceholderValues): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const analyses = Boolean(inputs.metrics || inputs["alert-rules"]);
  if (analyses && !inputs["prometheus-url"]) {
    issues.push({
      input: "prometheus-url",
      path: "",
      expected: `the Prometheus base URL, because ${inputs.metrics ? "metrics are" : "alert-rules is"} given`,
    });
  }
  if (inputs["prometheus-url"] && !analyses) {
    issues.push({ input: "metrics", path: "", expected: "a list of metrics (or alert-rules), because prometheus-url is given" });
  }
  if (inputs.scope && !analyses) issues.push({ input: "scope", path: "", expected: "metrics or alert-rules to scope" });
  for (const [label, value] of Object.entries(inputs.scope ?? {})) issues.push(...unfilledPlaceholders("scope", label, value, values));
  (inputs.metrics ?? []).forEach((metric, index) => {
    for (const key of ["query", "errors", "total", "histogram", "baseline-query"] as const) {
      const text = metric[key];
      if (text) issues.push(...unfilledPlaceholders("metrics", `[${index}].${key}`, text, values));
    }
  });
  return issues;
}

/** A placeholder used where the input that fills it is empty. */
export function unfilledPlaceholders(input: string, path: string, text: string, values: PlaceholderValues): ConfigIssue[] {
  return missingPlaceholders(text, values).map((name) => ({
    input,
    path,
    given: `{${name}} in ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}`,
    expected: `the ${name} input, which fills {${name}}`,
  }));
}
