import { formatDuration } from "@cutover/core";
import { fitToLimits, truncateText } from "./block-limits.js";
import type { DeploymentMessage } from "./deployment-message.js";
import { type DeploymentStatus, needsAttention, STATUS_EMOJI } from "./deployment-status.js";
import { escapeMrkdwn, escapeText, link } from "./escape.js";
import { commitUrl, compareUrl, runUrl, workflowUrl } from "./github-links.js";
import type { Block, SlackMessage } from "./slack-types.js";

const COLOR_EMOJI: Record<string, string> = { blue: "🔵", green: "🟢", red: "🔴", yellow: "🟡", purple: "🟣", orange: "🟠" };

/** The headline for a status, e.g. `Deployed v1.4.2 to production`. */
export function headline(message: Pick<DeploymentMessage, "status" | "environment" | "version" | "previousVersion" | "title">): string {
  if (message.title) return message.title;
  const { environment: env, version } = message;
  const what = version ? ` ${version}` : "";
  const where = env ? ` to ${env}` : "";
  const of = version ? ` of ${version}` : "";
  const on = env ? ` to ${env}` : "";
  const lines: Record<DeploymentStatus, string> = {
    started: `Deploying${what}${where}`,
    success: `Deployed${what}${where}`,
    failure: `Deployment${of}${on} failed`,
    cancelled: `Deployment${of}${on} cancelled`,
    "rolled-back": `Rolled back${env ? ` ${env}` : ""}${version ? ` from ${version}` : ""}${message.previousVersion ? ` to ${message.previousVersion}` : ""}`,
    info: env ? `Deployment note for ${env}` : "Deployment note",
  };
  return lines[message.status];
}

/** Renders the built-in deployment layout as a Block Kit message within Slack's limits. */
export function renderDeploymentMessage(message: DeploymentMessage): { message: SlackMessage; truncations: string[] } {
  const emoji = STATUS_EMOJI[message.status];
  const title = `${emoji} ${headline(message)}`;
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: title, emoji: true } }];

  if (message.text) blocks.push(section(escapeMrkdwn(message.text)));

  const fields = layoutFields(message);
  for (let i = 0; i < fields.length; i += 10) {
    blocks.push({ type: "section", fields: fields.slice(i, i + 10).map((text) => ({ type: "mrkdwn", text })) });
  }

  if (needsAttention(message.status) || message.reason) {
    const line = attentionLine(message);
    if (line) blocks.push(section(line));
  }

  const links = linkLine(message);
  if (links) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: links }] });

  const mention = needsAttention(message.status) && message.mention ? ` ${message.mention}` : "";
  return fitToLimits({ text: `${escapeText(title)}${mention}`, blocks });
}

function section(text: string): Block {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function layoutFields(message: DeploymentMessage): string[] {
  const { github } = message;
  const fields: string[] = [];
  const field = (label: string, value: string) => fields.push(`*${escapeText(label)}*\n${value}`);
  if (message.environment) field("Environment", escapeText(message.environment));
  if (message.version) {
    const from = message.previousVersion && message.status !== "rolled-back" ? `${escapeText(message.previousVersion)} → ` : "";
    field("Version", `${from}${escapeText(message.version)}`);
  }
  if (message.status === "rolled-back" && message.previousVersion) field("Restored", escapeText(message.previousVersion));
  if (github.sha) {
    const short = github.sha.slice(0, 7);
    const url = commitUrl(github);
    field("Commit", url ? link(url, short) : `\`${escapeText(short)}\``);
  }
  if (github.actor) field("Actor", escapeText(github.actor));
  if (message.durationMs !== undefined) field("Duration", formatDuration(message.durationMs));
  if (message.fromColor || message.toColor) field("Traffic", trafficLine(message.fromColor, message.toColor));
  for (const [label, value] of message.fields ?? []) field(label, escapeMrkdwn(value));
  return fields;
}

/** `🔵 blue → 🟢 green`; when nothing moved (a failed deploy, a swap that came back), where it stayed. */
function trafficLine(from: string | undefined, to: string | undefined): string {
  if (from && to && from.toLowerCase() === to.toLowerCase()) return `stays on ${colorLabel(to)}`;
  return `${colorLabel(from)} → ${colorLabel(to)}`;
}

function colorLabel(color: string | undefined): string {
  if (!color) return "?";
  const emoji = COLOR_EMOJI[color.toLowerCase()];
  return emoji ? `${emoji} ${escapeText(color)}` : escapeText(color);
}

function attentionLine(message: DeploymentMessage): string | undefined {
  const parts: string[] = [];
  if (needsAttention(message.status) && message.mention) parts.push(message.mention);
  const label = message.status === "failure" ? "What failed" : message.status === "rolled-back" ? "Why" : "Reason";
  // The reason comes from step outputs (reports, server answers): plain text, no links.
  if (message.reason) parts.push(`*${label}:* ${escapeText(message.reason)}`);
  if (message.status === "failure" && message.rollbackWorkflow) {
    const url = workflowUrl(message.github, message.rollbackWorkflow);
    if (url) parts.push(`↩️ ${link(url, "Roll back with the rollback workflow")}`);
  }
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/** `deploy run #57 (attempt 2)`: the run number people see on the run page, not the id in its URL. */
function runLabel(github: DeploymentMessage["github"]): string {
  const attempt = github.runAttempt && github.runAttempt !== "1" ? ` (attempt ${github.runAttempt})` : "";
  return `${github.workflow ?? "Workflow"} run #${github.runNumber ?? github.runId}${attempt}`;
}

function linkLine(message: DeploymentMessage): string | undefined {
  const { github } = message;
  const parts: string[] = [];
  const run = runUrl(github);
  if (run) parts.push(link(run, runLabel(github)));
  if (message.previousVersion && message.version) {
    const url = compareUrl(github, message.previousVersion, message.version);
    const label = message.status === "rolled-back" ? "Reverted changes" : "Changes";
    if (url) parts.push(link(url, `${label} ${message.previousVersion}…${message.version}`));
  }
  if (github.repository) parts.push(escapeText(github.repository));
  return parts.length > 0 ? parts.join("  ·  ") : undefined;
}

/** Renders long details as thread-reply sections, split on line breaks to fit 3000 characters each. */
export function renderDetails(details: string, heading?: string): { message: SlackMessage; truncations: string[] } {
  // Details are reports and logs: plain text, so a server's answer can neither link nor ping.
  const escaped = escapeText(details);
  const chunks: string[] = [];
  let current = "";
  for (const line of escaped.split("\n")) {
    // A single over-long line is left for fitToLimits to cut visibly.
    if (current && current.length + line.length + 1 > 2900) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  const blocks: Block[] = chunks.map(section);
  if (heading) blocks.unshift(section(`*${escapeText(heading)}*`));
  const fallback = truncateText(`${heading ? `${escapeText(heading)}: ` : ""}${escaped}`, 300);
  return fitToLimits({ text: fallback, blocks });
}
