import { parseRetryAfter, postWithRetry, type RawResponse } from "./http-post.js";
import type { SendPolicy } from "./send-policy.js";
import { SlackError } from "./slack-error.js";
import type { SlackMessage } from "./slack-types.js";

/** What chat.postMessage and chat.update answer with; `channel` is always the channel ID. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/**
 * A lean Slack Web API client for the two methods a deployment message needs. JSON bodies with
 * the token in the Authorization header, Slack's `ok:false` answers turned into SlackErrors.
 */
export class SlackWebClient {
  private readonly apiUrl: string;

  constructor(
    private readonly token: string,
    apiUrl: string,
    private readonly policy: SendPolicy,
  ) {
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
  }

  /** Posts a message, or a thread reply when `threadTs` is given. `channel` may be a name or an ID. */
  postMessage(channel: string, message: SlackMessage, threadTs?: string): Promise<PostedMessage> {
    return this.call("chat.postMessage", { ...message, channel, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }

  /** Replaces a message in place; Slack requires the channel ID here, not its name. */
  update(channelId: string, ts: string, message: SlackMessage): Promise<PostedMessage> {
    // chat.update keeps old attachments unless told otherwise; a layout without them clears them.
    return this.call("chat.update", { attachments: [], ...message, channel: channelId, ts });
  }

  private async call(method: string, body: Record<string, unknown>): Promise<PostedMessage> {
    return postWithRetry(
      method,
      new URL(method, this.apiUrl).toString(),
      {
        headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
      },
      this.policy,
      (response) => interpretApiResponse(method, response),
    );
  }
}

/** Slack answers API errors with HTTP 200 and `{ok:false, error}`; 429 and 5xx come as HTTP statuses. */
export function interpretApiResponse(method: string, response: RawResponse): PostedMessage {
  let json: { ok?: boolean; error?: string; channel?: string; ts?: string; response_metadata?: { messages?: string[] } } | undefined;
  try {
    json = JSON.parse(response.body) as typeof json;
  } catch {
    json = undefined;
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  const messages = json?.response_metadata?.messages;
  const details = {
    status: response.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(messages?.length ? { messages } : {}),
  };
  if (response.status === 429) throw new SlackError(json?.error ?? "ratelimited", method, details);
  if (response.status !== 200 || !json) throw new SlackError(json?.error ?? `http_${response.status}`, method, details);
  if (json.ok !== true) throw new SlackError(json.error ?? "unknown_error", method, details);
  if (typeof json.channel !== "string" || typeof json.ts !== "string") {
    throw new SlackError("invalid_response", method, { ...details, cause: "the answer had no channel or ts" });
  }
  return { channel: json.channel, ts: json.ts };
}
