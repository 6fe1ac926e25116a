import { ConfigError, type ConfigIssue } from "@cutover/core";
import type { ActionInputs } from "@cutover/runner";
import type { notifySlack } from "./inputs.js";

type Inputs = ActionInputs<typeof notifySlack.inputs>;

/** How this run sends: the Web API with a bot token, an incoming webhook, or a preview with neither. */
export type SendMode =
  | { kind: "api"; token: string; channel: string; updateTs?: string; threadTs?: string }
  | { kind: "webhook"; url: string; threadTs?: string }
  | { kind: "preview" };

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

/** Checks that the delivery inputs fit together, before anything is sent. */
export function resolveMode(inputs: Inputs): SendMode {
  const issues: ConfigIssue[] = [];
  const token = inputs["slack-token"];
  const webhook = inputs["slack-webhook-url"];
  if (token && webhook) {
    issues.push({
      input: "slack-webhook-url",
      path: "",
      given: "a webhook URL together with slack-token",
      expected: "either slack-token (with slack-channel) or slack-webhook-url, not both",
    });
  }
  if (token && !inputs["slack-channel"]) {
    issues.push({ input: "slack-channel", path: "", expected: "a channel ID (C…) or name when slack-token is given" });
  }
  if (webhook && !token && inputs["update-ts"]) {
    issues.push({
      input: "update-ts",
      path: "",
      given: JSON.stringify(inputs["update-ts"]),
      expected:
        "no update-ts with slack-webhook-url: an incoming webhook can only post new messages and returns no ts; use slack-token and slack-channel to update in place",
    });
  }
  if (token && inputs["update-ts"] && inputs["slack-channel"] && !CHANNEL_ID.test(inputs["slack-channel"])) {
    issues.push({
      input: "slack-channel",
      path: "",
      given: JSON.stringify(inputs["slack-channel"]),
      expected:
        "a channel ID such as C0123ABCD when update-ts is set (chat.update does not accept names); pass the slack-channel output of the run that posted",
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  if (token) {
    return {
      kind: "api",
      token,
      channel: inputs["slack-channel"] as string,
      ...(inputs["update-ts"] ? { updateTs: inputs["update-ts"] } : {}),
      ...(inputs["thread-ts"] ? { threadTs: inputs["thread-ts"] } : {}),
    };
  }
  if (webhook) return { kind: "webhook", url: webhook, ...(inputs["thread-ts"] ? { threadTs: inputs["thread-ts"] } : {}) };
  return { kind: "preview" };
}
