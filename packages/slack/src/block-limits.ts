import type { Block, SlackMessage } from "./slack-types.js";

/** Slack's documented Block Kit limits; a message over any of them is rejected with `invalid_blocks`. */
export const BLOCK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  /** chat.postMessage truncates the top-level `text` past this; we cut it visibly instead. */
  messageText: 40_000,
} as const;

export const TRUNCATION_MARKER = "… (truncated)";

/** Cuts `text` to at most `max` characters with a visible marker, never inside a Slack link, entity or code fence. */
export function truncateText(text: string, max: number, marker = TRUNCATION_MARKER): string {
  if (text.length <= max) return text;
  let head = text.slice(0, Math.max(0, max - marker.length - 4));
  // An unclosed <…> or &…; at the cut would break the markup: drop the partial token.
  const open = head.lastIndexOf("<");
  if (open > head.lastIndexOf(">")) head = head.slice(0, open);
  const amp = head.lastIndexOf("&");
  if (amp > head.lastIndexOf(";") && head.length - amp < 6) head = head.slice(0, amp);
  const fences = head.split("```").length - 1;
  const close = fences % 2 === 1 ? "\n```" : "";
  return `${head}${close}\n${marker}`.slice(0, max);
}

/** What had to be cut to fit Slack's limits, for the log and the report. */
export interface FitResult {
  message: SlackMessage;
  truncations: string[];
}

/** Returns a copy of `message` that respects every Block Kit limit, cutting visibly where needed. */
export function fitToLimits(message: SlackMessage): FitResult {
  const truncations: string[] = [];
  const fitted: SlackMessage = { ...message };
  if (fitted.text.length > BLOCK_LIMITS.messageText) {
    truncations.push(`text: ${fitted.text.length} characters cut to ${BLOCK_LIMITS.messageText}`);
    fitted.text = truncateText(fitted.text, BLOCK_LIMITS.messageText);
  }
  if (fitted.blocks) fitted.blocks = fitBlocks(fitted.blocks, "blocks", truncations);
  if (fitted.attachments) {
    fitted.attachments = fitted.attachments.map((attachment, i) =>
      Array.isArray(attachment.blocks)
        ? { ...attachment, blocks: fitBlocks(attachment.blocks as Block[], `attachments[${i}].blocks`, truncations) }
        : attachment,
    );
  }
  return { message: fitted, truncations };
}

function fitBlocks(blocks: Block[], where: string, truncations: string[]): Block[] {
  let out = blocks.map((block, i) => fitBlock(block, `${where}[${i}]`, truncations));
  if (out.length > BLOCK_LIMITS.blocksPerMessage) {
    const kept = BLOCK_LIMITS.blocksPerMessage - 1;
    const cut = out.length - kept;
    truncations.push(`${where}: ${out.length} blocks, ${cut} cut (Slack allows ${BLOCK_LIMITS.blocksPerMessage})`);
    out = [
      ...out.slice(0, kept),
      { type: "context", elements: [{ type: "mrkdwn", text: `${TRUNCATION_MARKER}: ${cut} more block(s) not shown` }] },
    ];
  }
  return out;
}

function fitBlock(block: Block, where: string, truncations: string[]): Block {
  const out: Block = { ...block };
  const cutText = (object: unknown, max: number, path: string): unknown => {
    if (!isText(object) || object.text.length <= max) return object;
    truncations.push(`${path}: ${object.text.length} characters cut to ${max}`);
    return { ...object, text: truncateText(object.text, max) };
  };
  if (block.type === "header") out.text = cutText(block.text, BLOCK_LIMITS.headerText, `${where}.text`);
  if (block.type === "section") {
    if (block.text !== undefined) out.text = cutText(block.text, BLOCK_LIMITS.sectionText, `${where}.text`);
    if (Array.isArray(block.fields)) {
      let fields = block.fields.map((f, i) => cutText(f, BLOCK_LIMITS.fieldText, `${where}.fields[${i}]`));
      if (fields.length > BLOCK_LIMITS.fieldsPerSection) {
        const kept = BLOCK_LIMITS.fieldsPerSection - 1;
        truncations.push(`${where}.fields: ${fields.length} fields, ${fields.length - kept} cut`);
        fields = [...fields.slice(0, kept), { type: "mrkdwn", text: `${TRUNCATION_MARKER}: ${fields.length - kept} more field(s)` }];
      }
      out.fields = fields;
    }
  }
  if (block.type === "context" && Array.isArray(block.elements)) {
    let elements = block.elements.map((e, i) => cutText(e, BLOCK_LIMITS.sectionText, `${where}.elements[${i}]`));
    if (elements.length > BLOCK_LIMITS.contextElements) {
      const kept = BLOCK_LIMITS.contextElements - 1;
      truncations.push(`${where}.elements: ${elements.length} elements, ${elements.length - kept} cut`);
      elements = [...elements.slice(0, kept), { type: "mrkdwn", text: `${TRUNCATION_MARKER}: ${elements.length - kept} more` }];
    }
    out.elements = elements;
  }
  return out;
}

function isText(value: unknown): value is { type: string; text: string } {
  return typeof value === "object" && value !== null && typeof (value as { text?: unknown }).text === "string";
}
