import { definedEntries } from "@cutover/core";
import type { ActionInputs } from "@cutover/runner";
import {
  type DeploymentMessage,
  escapeText,
  fitToLimits,
  type GitHubContext,
  headline,
  readableDetails,
  renderDeploymentMessage,
  renderDetails,
  type SlackMessage,
  STATUS_EMOJI,
} from "@cutover/slack";
import type { notifySlack } from "./inputs.js";

type Inputs = ActionInputs<typeof notifySlack.inputs>;

// With a payload, the headline inputs (status, title, environment, version) still make its fallback text.
const LAYOUT_INPUTS = ["text", "fields", "reason", "slack-mention", "previous-color", "active-color", "duration"] as const;
const DAY_MS = 86_400_000;

export interface BuiltMessages {
  main: SlackMessage;
  details?: SlackMessage;
  truncations: string[];
  /** Layout inputs that a `payload` made meaningless. */
  ignored: string[];
}

/** The main message (built-in layout or the user's payload) and the details reply, within Slack's limits. */
export function buildMessages(inputs: Inputs, github: GitHubContext, now = Date.now()): BuiltMessages {
  // Already in Slack syntax: the input's schema turned it (or refused it) before anything ran.
  const mention = inputs["slack-mention"];
  const model: DeploymentMessage = {
    status: inputs.status,
    github,
    rollbackWorkflow: inputs["rollback-workflow"],
    ...definedEntries({
      environment: inputs.environment,
      version: inputs.version,
      previousVersion: inputs["previous-version"],
      title: inputs.title,
      text: inputs.text,
      fields: inputs.fields,
      mention,
      reason: inputs.reason,
      durationMs: inputs.duration ?? sinceUpdated(inputs, now),
      fromColor: inputs["previous-color"],
      toColor: inputs["active-color"],
    }),
  };
  const truncations: string[] = [];
  let main: SlackMessage;
  const ignored: string[] = [];
  if (inputs.payload) {
    const payload = inputs.payload as SlackMessage;
    // Slack wants a fallback text with blocks: the headline serves.
    const fallback = `${STATUS_EMOJI[model.status]} ${escapeText(headline(model))}`;
    const fitted = fitToLimits({ ...payload, text: payload.text ?? fallback });
    main = fitted.message;
    truncations.push(...fitted.truncations);
    for (const name of LAYOUT_INPUTS) if (inputs[name] !== undefined) ignored.push(name);
  } else {
    const rendered = renderDeploymentMessage(model);
    main = rendered.message;
    truncations.push(...rendered.truncations);
  }
  let details: SlackMessage | undefined;
  if (inputs.details) {
    const rendered = renderDetails(readableDetails(inputs.details), `Details: ${headline(model)}`);
    details = rendered.message;
    truncations.push(...rendered.truncations.map((t) => `details ${t}`));
  }
  return { main, truncations, ignored, ...(details ? { details } : {}) };
}

/** A finishing update's duration is the time since the `started` message it replaces was posted. */
function sinceUpdated(inputs: Inputs, now: number): number | undefined {
  const ts = inputs["update-ts"];
  if (!ts || inputs.status === "started" || inputs.status === "info") return undefined;
  const elapsed = now - Number(ts) * 1000;
  return elapsed >= 0 && elapsed < 7 * DAY_MS ? elapsed : undefined;
}
