import { booleanInput, choiceInput, durationInput, structuredInput, textInput, urlInput } from "@cutover/core";
import { defineAction } from "@cutover/runner";
import { DEPLOYMENT_STATUSES, mentionSchema } from "@cutover/slack";
import { z } from "zod";

const ts = textInput().pipe(z.string().regex(/^\d+\.\d+$/, "a Slack message ts such as 1732280000.123456"));

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
/** Extra fields keep the order they were written in. */
const fieldMap = z.record(z.string().min(1), scalar).transform((map) => Object.entries(map));

const block = z.looseObject({ type: z.string().min(1) });
/** A full message, or just its list of blocks. */
const payloadSchema = z.union([
  z
    .looseObject({
      text: z.string().optional(),
      blocks: z.array(block).optional(),
      attachments: z.array(z.looseObject({})).optional(),
    })
    .refine((p) => p.text !== undefined || p.blocks !== undefined || p.attachments !== undefined, {
      message: "a message with text, blocks or attachments",
    }),
  z.array(block).transform((blocks) => ({ blocks })),
]);

export const notifySlack = defineAction({
  name: "notify-slack",
  inputs: {
    "slack-token": textInput().optional(),
    "slack-webhook-url": urlInput().optional(),
    "slack-channel": textInput().optional(),
    "api-url": urlInput("https://slack.com/api/"),
    "update-ts": ts.optional(),
    "thread-ts": ts.optional(),
    status: choiceInput(DEPLOYMENT_STATUSES, "info"),
    environment: textInput().optional(),
    version: textInput().optional(),
    "previous-version": textInput().optional(),
    title: textInput().optional(),
    text: textInput().optional(),
    fields: structuredInput(fieldMap).optional(),
    details: textInput().optional(),
    "slack-mention": textInput().pipe(mentionSchema).optional(),
    reason: textInput().optional(),
    payload: structuredInput(payloadSchema).optional(),
    duration: durationInput(undefined, { allowZero: true }).optional(),
    "previous-color": textInput().optional(),
    "active-color": textInput().optional(),
    "rollback-workflow": textInput("rollback.yml"),
    "fail-on-error": booleanInput("false"),
    "request-timeout": durationInput("10s"),
    deadline: durationInput("60s"),
  },
  secretInputs: ["slack-token", "slack-webhook-url"],
});
