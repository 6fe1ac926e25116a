import { ConfigError, type ConfigIssue } from "@cutover/core";
import type { ActionInputs } from "@cutover/runner";
import type { healthGate } from "./inputs.js";

type Inputs = ActionInputs<(typeof healthGate)["inputs"]>;

/** Rules between inputs that no single input's schema can see; all reported at once. */
export function checkCombination(inputs: Inputs): void {
  const issues: ConfigIssue[] = [];
  if (!inputs.url && !inputs.metrics) {
    issues.push({ input: "url", path: "", expected: "url, metrics, or both: the gate needs something to check" });
  }
  if (inputs.metrics && !inputs["prometheus-url"]) {
    issues.push({ input: "prometheus-url", path: "", expected: "the Prometheus base URL, because metrics are given" });
  }
  if (inputs["prometheus-url"] && !inputs.metrics) {
    issues.push({ input: "metrics", path: "", expected: "a list of metrics, because prometheus-url is given" });
  }
  if (inputs.expect && !inputs.url) {
    issues.push({ input: "url", path: "", expected: "the endpoint to poll, because expect is given" });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
