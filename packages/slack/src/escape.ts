/**
 * Slack treats `&`, `<` and `>` as control characters in mrkdwn. Values we did not write
 * (versions, actors, the reason and details that come from step outputs and reports) are
 * escaped whole; text the user wrote as mrkdwn (text, fields) keeps its links, channel links
 * and dates. Nothing but the `mention` input may ping: user, group and broadcast mentions are
 * escaped everywhere else, and a plain @here/@channel/@everyone is defused.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes every control character: for values that must show literally. */
export function escapeText(text: string): string {
  return defuseBroadcasts(text.replace(/[&<>]/g, (c) => ENTITIES[c] as string));
}

// Slack tokens user mrkdwn may keep: <https://…|label>, <mailto:…>, <#C…> (a channel link), <!date^…>, and entities.
// Not kept: <@U…>, <!here>, <!channel>, <!everyone>, <!subteam^S…> — those ping, and only `mention` may.
const SLACK_TOKEN = /<(?:#[^<>\s]+|!date\^[^<>]+|(?:https?|mailto):[^<>\s|]+(?:\|[^<>]*)?)>|&(?:amp|lt|gt);|[&<>]/g;

/** Escapes control characters in user mrkdwn except where they form a link, channel link or date; mentions are escaped. */
export function escapeMrkdwn(text: string): string {
  return defuseBroadcasts(text.replace(SLACK_TOKEN, (match) => (match.length === 1 ? (ENTITIES[match] as string) : match)));
}

/** A word joiner after `@` keeps "@here" readable while Slack (with link_names) no longer pings on it. */
function defuseBroadcasts(text: string): string {
  return text.replace(/@(here|channel|everyone)\b/gi, "@\u2060$1");
}

/** A mrkdwn link whose label is escaped; the URL must not contain `|` or `>`. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[|>]/g, encodeURIComponent)}|${escapeText(label)}>`;
}
