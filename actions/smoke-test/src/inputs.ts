import { booleanInput, colorUrlInput, durationInput, integerInput, secretStructuredInput, structuredInput, textInput } from "@cutover/core";
import { checkListSchema, loadSchema } from "@cutover/http-checks";
import { defineAction } from "@cutover/runner";
import { z } from "zod";

const headerMap = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const smokeTest = defineAction({
  name: "smoke-test",
  inputs: {
    url: colorUrlInput(),
    checks: structuredInput(checkListSchema).optional(),
    "checks-file": textInput().optional(),
    "request-timeout": durationInput("10s"),
    retries: integerInput({ default: "2", min: 0, max: 20 }),
    "retry-delay": durationInput("1s", { allowZero: true }),
    concurrency: integerInput({ default: "8", min: 1, max: 256 }),
    "follow-redirects": booleanInput("true"),
    headers: secretStructuredInput(headerMap).optional(),
    load: structuredInput(loadSchema).optional(),
    "tls-min-days": integerInput({ min: 0 }).optional(),
    color: textInput().optional(),
    version: textInput().optional(),
    environment: textInput().optional(),
  },
  secretInputs: ["headers"],
});
