import { choiceInput, durationInput, integerInput, secretStructuredInput, structuredInput, textInput, urlInput } from "@cutover/core";
import { z } from "zod";
import { metricListSchema } from "./metric-schema.js";
import { loadPromqlGrammar } from "./promql-grammar.js";

/** Headers for HTTP requests: name → value. */
export const headerMapSchema = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

/** `scope`: label → value (placeholders allowed), e.g. `{ color: "{color}" }`. */
export const scopeSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a Prometheus label name such as color or version"),
  z.union([z.string().min(1), z.number().transform(String)]),
);

/**
 * The inputs of a release-scoped analysis, shared by every action that judges a release on its
 * metrics (health-gate's bake, blue-green-swap's traffic steps), so both read them alike.
 */
export const analysisInputs = {
  "prometheus-url": urlInput().optional(),
  "prometheus-headers": secretStructuredInput(headerMapSchema).optional(),
  metrics: structuredInput(metricListSchema).optional(),
  "analysis-interval": durationInput("30s"),
  "failure-limit": integerInput({ default: "0", min: 0 }),
  "inconclusive-limit": integerInput({ default: "1", min: 0 }),
  "on-inconclusive": choiceInput(["fail", "pass"], "fail"),
  scope: structuredInput(scopeSchema).optional(),
  "alert-rules": textInput().optional(),
};

/**
 * What the analysis inputs need loaded before their schemas run, for an ActionSpec's `preload`:
 * the PromQL grammar, which `metrics` is checked with and `scope` and `alert-rules` are applied
 * with. Spread beside `analysisInputs`; a run without them never loads the grammar.
 */
export const analysisPreloads = {
  metrics: loadPromqlGrammar,
  scope: loadPromqlGrammar,
  "alert-rules": loadPromqlGrammar,
};

/** The release judged, for `{version}`, `{previous-version}` and `{environment}` in queries and scope. */
export const releaseInputs = {
  version: textInput().optional(),
  "previous-version": textInput().optional(),
  environment: textInput().optional(),
};
