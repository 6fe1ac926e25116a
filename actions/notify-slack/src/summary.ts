import { table } from "@cutover/runner";
import { type Block, type DeliveryResult, hintFor, type SlackMessage } from "@cutover/slack";

/** Slack mrkdwn to GitHub markdown, close enough to read the message in the step summary. */
export function mrkdwnToMarkdown(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]*)>/g, "[$2]($1)")
    .replace(/<(https?:[^|>]+)>/g, "$1")
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, "@team:$1")
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<!(here|channel|everyone)>/g, "@$1")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, "$1**$2**");
}

/** The message as a person would see it, approximately, followed by its Block Kit JSON. */
export function renderMessagePreview(message: SlackMessage): string {
  const lines: string[] = [];
  const blocks = message.blocks ?? [];
  if (blocks.length === 0) lines.push(mrkdwnToMarkdown(message.text));
  for (const block of blocks) lines.push(renderBlock(block));
  return `${lines.filter(Boolean).join("\n\n")}\n`;
}

function textOf(value: unknown): string {
  return typeof value === "object" && value !== null && typeof (value as { text?: unknown }).text === "string"
    ? (value as { text: string }).text
    : "";
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case "header":
      return `#### ${textOf(block.text)}`;
    case "section": {
      const parts: string[] = [];
      // Slack breaks lines where the text does; markdown needs a hard break for that.
      if (block.text) parts.push(mrkdwnToMarkdown(textOf(block.text)).replace(/\n(?!\n)/g, "  \n"));
      if (Array.isArray(block.fields)) {
        const rows = block.fields.map((f) => {
          const [label = "", ...rest] = textOf(f).split("\n");
          return [mrkdwnToMarkdown(label), mrkdwnToMarkdown(rest.join(" "))];
        });
        parts.push(table(["Field", "Value"], rows).trimEnd());
      }
      return parts.join("\n\n");
    }
    case "context":
      return Array.isArray(block.elements) ? `<sub>${block.elements.map((e) => mrkdwnToMarkdown(textOf(e))).join(" ")}</sub>` : "";
    case "divider":
      return "---";
    default:
      return `_(${block.type} block)_`;
  }
}

export interface SummaryInput {
  mode: "api" | "webhook" | "preview";
  main: SlackMessage;
  details?: SlackMessage;
  result?: DeliveryResult;
  truncations: string[];
}

/** The step summary: what happened to the message, then the message itself. */
export function renderSummary(input: SummaryInput): string {
  const { mode, result } = input;
  const verdict =
    mode === "preview"
      ? "👀 preview only (no slack-token or slack-webhook-url given)"
      : result?.ok
        ? `✅ sent via ${mode === "api" ? "the Web API" : "an incoming webhook"}`
        : `⚠️ not sent: \`${result?.error?.code ?? "unknown"}\``;
  let markdown = `### notify-slack: ${verdict}\n\n`;
  if (result?.error) {
    const hint = hintFor(result.error.code);
    markdown += `> ${result.error.message}${hint ? `\n>\n> Hint: ${hint}` : ""}\n\n`;
  }
  if (result && result.sends.length > 0) {
    markdown += table(
      ["Request", "Result", "ts"],
      result.sends.map((s) => [s.action, s.ok ? "✅ ok" : `❌ ${s.error}`, s.ts ?? "—"]),
    );
    markdown += "\n";
  }
  if (input.truncations.length > 0) {
    markdown += `Cut to fit Slack's limits:\n${input.truncations.map((t) => `- ${t}`).join("\n")}\n\n`;
  }
  markdown += `${renderMessagePreview(input.main)}\n`;
  if (input.details) markdown += `<details><summary>Thread reply</summary>\n\n${renderMessagePreview(input.details)}\n</details>\n\n`;
  markdown += `<details><summary>Block Kit JSON</summary>\n\n\`\`\`json\n${JSON.stringify(input.main, null, 2)}\n\`\`\`\n\n</details>\n`;
  return markdown;
}
