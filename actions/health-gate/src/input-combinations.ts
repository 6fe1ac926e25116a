import { analysisInputIssues } from "@cutover/analysis";
import { type ColorUrl, type ConfigIssue, type PlaceholderValues, placeholderValuesOf, unfilledColorUrlIssues } from "@cutover/core";

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
  if (inputs.expect && !inputs.url) {
    issues.push({ input: "url", path: "", expected: "the endpoint to poll, because expect is given" });
  }
  const values = placeholderValues(inputs);
  if (inputs.url) issues.push(...unfilledColorUrlIssues("url", inputs.url, values));
  issues.push(...analysisInputIssues(inputs, values));
  return issues;
}

/** The placeholder values the inputs give. */
export function placeholderValues(inputs: Inputs): PlaceholderValues {
  return placeholderValuesOf(inputs);
}
