import { booleanInput, choiceInput, structuredInput, textInput } from "@cutover/core";
import { STEP_OUTCOMES } from "@cutover/pipeline";
import { defineAction } from "@cutover/runner";
import { z } from "zod";

/** `router: success`; an unset step outcome arrives as an empty value (YAML null). */
const stageMap = z.record(
  z.string(),
  z
    .union([z.enum(STEP_OUTCOMES), z.null()])
    .transform((value) => value ?? "")
    .describe("a step outcome: success, failure, cancelled, skipped or empty"),
);

/** `bake: "error ratio 0.12 above 0.05"`; built with toJSON() so any text stays one YAML string. */
const reasonMap = z.record(
  z.string(),
  z.union([z.string(), z.null()]).transform((value) => value ?? ""),
);

const stepOutcome = z.string().pipe(z.enum(STEP_OUTCOMES));

/** blue-green-swap's `steps` output: the shares a rollout in steps set, when, and what each found. */
const swapSteps = z.array(z.object({ share: z.number().int().min(1).max(100), at: z.string(), verdict: z.string().optional() }));

export const outcome = defineAction({
  name: "outcome",
  inputs: {
    workflow: choiceInput(["deploy", "rollback"]),
    "job-status": choiceInput(["success", "failure", "cancelled"]),
    stages: structuredInput(stageMap),
    "stage-reasons": structuredInput(reasonMap).optional(),
    environment: textInput(),
    version: textInput().optional(),
    "previous-color": textInput().optional(),
    color: textInput().optional(),
    switched: booleanInput("false"),
    reverted: booleanInput("false"),
    "switched-back": z.string().default("").pipe(stepOutcome),
    "switched-at": textInput().optional(),
    "reverted-at": textInput().optional(),
    "switched-back-at": textInput().optional(),
    "swap-steps": structuredInput(swapSteps).optional(),
    strategy: textInput().optional(),
    "rollback-color": textInput().optional(),
  },
});
