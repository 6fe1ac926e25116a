import { booleanInput, choiceInput, durationInput, structuredInput, textInput, urlInput } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { routerEnvSchema, routerSchema } from "@cutover/traffic";

export const blueGreenSwap = defineAction({
  name: "blue-green-swap",
  inputs: {
    mode: choiceInput(["switch", "status"], "switch"),
    to: choiceInput(["idle", "blue", "green"], "idle"),
    router: structuredInput(routerSchema),
    "ssh-key": textInput().optional(),
    "ssh-known-hosts": textInput().optional(),
    "router-env": structuredInput(routerEnvSchema).optional(),
    "verify-url": urlInput().optional(),
    "verify-expect": structuredInput(expectSchema).optional(),
    "verify-timeout": durationInput("30s"),
    "revert-on-failure": booleanInput("true"),
  },
  secretInputs: ["ssh-key", "router-env"],
});
