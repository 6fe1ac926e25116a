import {
  type ColorUrl,
  type ConfigIssue,
  missingPlaceholders,
  type PlaceholderValues,
  placeholderValuesOf,
  unfilledColorUrlIssues,
} from "@cutover/core";

type PlaceholderInput = "color" | "previous-color" | "version" | "previous-version" | "environment";
type QueryField = "query" | "errors" | "total" | "histogram" | "baseline-query";

/** The inputs these rules look at: a slice of the action's parsed inputs. */
type Inputs = Partial<Record<PlaceholderInput | "prometheus-url" | "alert-rules", string>> & {
  url?: ColorUrl;
  expect?: unknown;
  scope?: Record<string, string>;
  metrics?: readonly Partial<Record<QueryField, string>>[];
};

/** Rules between inputs that no single input's schema can see; reported with the schema's issues (the spec's checks). */
export function combinationIssues(inputs: Inputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const analyses = Boolean(inputs.metrics || inputs["alert-rules"]);
  if (!inputs.url && !analyses) {
    issues.push({ input: "url", path: "", expected: "url, metrics, alert-rules, or several: the gate needs something to check" });
  }
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
  if (inputs.scope && !analyses) {
    issues.push({ input: "scope", path: "", expected: "metrics or alert-rules to scope" });
  }
  if (inputs.expect && !inputs.url) {
    issues.push({ input: "url", path: "", expected: "the endpoint to poll, because expect is given" });
  }
  const values = placeholderValues(inputs);
  if (inputs.url) issues.push(...unfilledColorUrlIssues("url", inputs.url, values));
  for (const [label, value] of Object.entries(inputs.scope ?? {})) issues.push(...unfilled("scope", label, value, values));
  (inputs.metrics ?? []).forEach((metric, index) => {
    for (const key of ["query", "errors", "total", "histogram", "baseline-query"] as const) {
      const text = metric[key];
      if (text) issues.push(...unfilled("metrics", `[${index}].${key}`, text, values));
    }
  });
  return issues;
}

/** The placeholder values the inputs give. */
export function placeholderValues(inputs: Inputs): PlaceholderValues {
  return placeholderValuesOf(inputs);
}

/** A placeholder used where the input that fills it is empty. */
export function unfilled(input: string, path: string, text: string, values: PlaceholderValues): ConfigIssue[] {
  return missingPlaceholders(text, values).map((name) => ({
    input,
    path,
    given: `{${name}} in ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}`,
    expected: `the ${name} input, which fills {${name}}`,
  }));
}
