import { SlackError } from "./slack-error.js";
import type { SlackMessage } from "./slack-types.js";
import type { SlackWebClient } from "./web-api-client.js";
import type { SlackWebhookClient } from "./webhook-client.js";

/** Where the message goes: the Web API (can update and thread) or an incoming webhook (post only). */
export type DeliveryTarget =
  | { kind: "api"; client: SlackWebClient; channel: string; updateTs?: string; threadTs?: string }
  | { kind: "webhook"; client: SlackWebhookClient; threadTs?: string };

/** One request made, for the log and the report. */
export interface SendRecord {
  action: "post" | "update" | "reply" | "webhook";
  ok: boolean;
  ts?: string;
  error?: string;
}

export interface DeliveryResult {
  ok: boolean;
  /** The main message's ts (API only). */
  ts?: string;
  /** The thread's parent: the message itself, or the thread it was posted into. */
  threadTs?: string;
  channelId?: string;
  sends: SendRecord[];
  error?: SlackError;
  /** Set when details could not be threaded (a webhook without thread-ts). */
  detailsSkipped?: string;
}

/**
 * Sends the main message (post, or update in place), then the details as a reply in its
 * thread. A failed main send stops there; a failed reply keeps the main message's ts.
 * Slack errors are returned, not thrown, so the caller decides between warning and failing.
 */
export async function deliver(target: DeliveryTarget, message: SlackMessage, details?: SlackMessage): Promise<DeliveryResult> {
  const sends: SendRecord[] = [];
  const fail = (action: SendRecord["action"], error: unknown, partial: Partial<DeliveryResult> = {}): DeliveryResult => {
    if (!(error instanceof SlackError)) throw error;
    sends.push({ action, ok: false, error: error.code });
    return { ok: false, sends, error, ...partial };
  };

  if (target.kind === "webhook") {
    try {
      await target.client.send(message, target.threadTs);
      sends.push({ action: "webhook", ok: true });
    } catch (error) {
      return fail("webhook", error);
    }
    if (!details) return { ok: true, sends };
    if (!target.threadTs) {
      return { ok: true, sends, detailsSkipped: "an incoming webhook returns no ts to thread under; pass thread-ts or use a bot token" };
    }
    try {
      await target.client.send(details, target.threadTs);
      sends.push({ action: "webhook", ok: true });
      return { ok: true, sends, threadTs: target.threadTs };
    } catch (error) {
      return fail("webhook", error, { threadTs: target.threadTs });
    }
  }

  let posted: { channel: string; ts: string };
  const action = target.updateTs ? "update" : target.threadTs ? "reply" : "post";
  try {
    posted = target.updateTs
      ? await target.client.update(target.channel, target.updateTs, message)
      : await target.client.postMessage(target.channel, message, target.threadTs);
    sends.push({ action, ok: true, ts: posted.ts });
  } catch (error) {
    return fail(action, error);
  }
  const result = { ts: posted.ts, channelId: posted.channel, threadTs: target.threadTs ?? posted.ts };
  if (!details) return { ok: true, sends, ...result };
  try {
    const reply = await target.client.postMessage(posted.channel, details, result.threadTs);
    sends.push({ action: "reply", ok: true, ts: reply.ts });
    return { ok: true, sends, ...result };
  } catch (error) {
    return fail("reply", error, result);
  }
}
