import { booleanInput, choiceInput, durationInput, structuredInput, urlInput } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { routerAccessInputs, routerAccessSecrets, routerSchema } from "@cutover/traffic";

export const blueGreenSwap = defineAction({
  name: "blue-green-swap",
  inputs: {
    mode: choiceInput(["switch", "status"], "switch"),
    to: choiceInput(["idle", "blue", "green"], "idle"),
    router: structuredInput(routerSchema),
    ...routerAccessInputs,
    "verify-url": urlInput().optional(),
    "verify-expect": structuredInput(expectSchema).optional(),
    "verify-timeout": durationInput("30s"),
    "revert-on-failure": booleanInput("true"),
  },
  secretInputs: [...routerAccessSecrets],
  checks: (inputs) =>
    inputs["verify-expect"] && !inputs["verify-url"]
      ? [{ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" }]
      : [],
});
