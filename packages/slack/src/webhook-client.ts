import { parseRetryAfter, postWithRetry, type RawResponse } from "./http-post.js";
import type { SendPolicy } from "./send-policy.js";
import { SlackError } from "./slack-error.js";
import type { SlackMessage } from "./slack-types.js";

const METHOD = "incoming webhook";

/**
 * Sends to an incoming webhook. Slack answers `ok` in plain text, and errors as plain-text codes
 * (`invalid_payload`, `no_service`, `channel_is_archived`…) with a 4xx. A webhook returns no
 * ts, so its messages can be neither updated nor threaded under.
 */
export class SlackWebhookClient {
  constructor(
    private readonly url: string,
    private readonly policy: SendPolicy,
  ) {}

  send(message: SlackMessage, threadTs?: string): Promise<void> {
    return postWithRetry(
      METHOD,
      this.url,
      {
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ ...message, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      },
      this.policy,
      interpretWebhookResponse,
    );
  }
}

export function interpretWebhookResponse(response: RawResponse): void {
  if (response.status === 200) return;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  // The code is the first word of the body; anything else (an HTML error page) is not shown.
  const word = /^[a-z_]{2,64}$/.exec(response.body.trim())?.[0];
  throw new SlackError(word ?? `http_${response.status}`, METHOD, {
    status: response.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
