import { analysisInputs, analysisPreloads, releaseInputs } from "@cutover/analysis";
import { booleanInput, choiceInput, durationInput, structuredInput, urlInput, urlPath } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { routerAccessInputs, routerAccessSecrets, routerSchema, trafficStepInputs, trafficWeightsSchema } from "@cutover/traffic";
import { stepIssues } from "./step-checks.js";

export const blueGreenSwap = defineAction({
  name: "blue-green-swap",
  inputs: {
    mode: choiceInput(["switch", "status"], "switch"),
    to: choiceInput(["idle", "blue", "green"], "idle"),
    weights: structuredInput(trafficWeightsSchema).optional(),
    ...trafficStepInputs,
    router: structuredInput(routerSchema),
    ...routerAccessInputs,
    "verify-url": urlInput().optional(),
    "verify-path": urlPath.optional(),
    "verify-expect": structuredInput(expectSchema).optional(),
    "verify-deadline": durationInput("30s"),
    "revert-on-failure": booleanInput("true"),
    ...analysisInputs,
    ...releaseInputs,
  },
  secretInputs: [...routerAccessSecrets, "prometheus-headers"],
  checks: (inputs) => [
    ...(inputs["verify-expect"] && !inputs["verify-url"]
      ? [{ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" }]
      : []),
    ...stepIssues(inputs),
  ],
  preload: analysisPreloads,
});
