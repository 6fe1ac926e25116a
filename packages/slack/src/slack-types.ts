/** A Block Kit block as Slack receives it; only `type` is common to all. */
export type Block = { type: string } & Record<string, unknown>;

/** A text object: `mrkdwn` is Slack's markup (escaped), `plain_text` is shown as is. */
export interface TextObject {
  type: "mrkdwn" | "plain_text";
  text: string;
  emoji?: boolean;
}

/** The message body sent to chat.postMessage / chat.update / a webhook (routing fields added by delivery). */
export interface SlackMessage {
  /** Notification and accessibility fallback; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks?: Block[];
  attachments?: Record<string, unknown>[];
  [key: string]: unknown;
}
