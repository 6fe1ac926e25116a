import { choiceInput, structuredInput, textInput } from "@cutover/core";
import { defineAction } from "@cutover/runner";
import { z } from "zod";

/** `${{ toJSON(inputs) }}`: the workflow's inputs as JSON; booleans and numbers as the runner prints them. */
const workflowInputs = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? "" : String(value))),
);

export const preflight = defineAction({
  name: "preflight",
  inputs: {
    workflow: choiceInput(["deploy", "rollback"]),
    "workflow-inputs": structuredInput(workflowInputs),
    "database-url": textInput().optional(),
    "router-env": textInput().optional(),
    "prometheus-headers": textInput().optional(),
    "ssh-key": textInput().optional(),
    "ssh-known-hosts": textInput().optional(),
  },
  // Passed on, unparsed, to the schemas of the steps that take them, which mask every leaf.
  secretInputs: ["database-url", "router-env", "prometheus-headers", "ssh-key", "ssh-known-hosts"],
});
