/**
 * Slack treats `&`, `<` and `>` as control characters in mrkdwn. Values we did not write
 * (versions, actors, field values) are escaped whole; text the user wrote as mrkdwn keeps its
 * intended Slack syntax (links, mentions, dates, existing entities) and has the rest escaped.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes every control character: for values that must show literally. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] as string);
}

// Slack's own tokens: <https://…|label>, <mailto:…>, <@U…>, <#C…>, <!here>, <!subteam^S…>, <!date^…>, and entities.
const SLACK_TOKEN = /<(?:[@#!][^<>\s]+|(?:https?|mailto):[^<>\s|]+(?:\|[^<>]*)?)>|&(?:amp|lt|gt);|[&<>]/g;

/** Escapes control characters in user mrkdwn except where they form Slack syntax. */
export function escapeMrkdwn(text: string): string {
  return text.replace(SLACK_TOKEN, (match) => (match.length === 1 ? (ENTITIES[match] as string) : match));
}

/** A mrkdwn link whose label is escaped; the URL must not contain `|` or `>`. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[|>]/g, encodeURIComponent)}|${escapeText(label)}>`;
}
