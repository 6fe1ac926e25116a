import { CutoverError } from "@cutover/core";

/** Slack error codes worth another attempt: Slack says they are transient. */
const TRANSIENT_CODES = new Set(["ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/**
 * A send Slack refused or that never reached Slack. `code` is Slack's own `error` value
 * (`invalid_auth`, `channel_not_found`, a webhook's `no_service`…) or, when Slack gave none,
 * `http_<status>`, `timeout` or `connection_failed`.
 */
export class SlackError extends CutoverError {
  override name = "SlackError";
  constructor(
    readonly code: string,
    readonly method: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      /** Slack's response_metadata.messages, e.g. which block broke which limit. */
      messages?: string[];
      attempts?: number;
      cause?: string;
    } = {},
  ) {
    super(describe(code, method, details));
  }

  /** 429, 5xx, timeouts, connection failures and Slack's transient codes are retried. */
  get retryable(): boolean {
    const { status } = this.details;
    if (status === 429 || (status !== undefined && status >= 500)) return true;
    if (this.code === "timeout" || this.code === "connection_failed") return true;
    return TRANSIENT_CODES.has(this.code);
  }

  /** The same error, noting how many attempts were made before giving up. */
  withAttempts(attempts: number, why?: string): SlackError {
    const error = new SlackError(this.code, this.method, { ...this.details, attempts, ...(why ? { cause: why } : {}) });
    return error;
  }
}

/** What to do about the errors people meet most when wiring up a deployment channel. */
const HINTS: Record<string, string> = {
  not_authed: "no token reached Slack: check that the secret passed as token is set",
  invalid_auth: "Slack rejected the token: check the secret passed as token (a bot token starts with xoxb-)",
  token_revoked: "the token was revoked: reinstall the Slack app and update the secret",
  account_inactive: "the token belongs to a deactivated app or user",
  missing_scope: "the app lacks the chat:write scope: add it and reinstall the app",
  channel_not_found: "the bot cannot see this channel: check the name or ID, and invite the bot to private channels",
  not_in_channel: "invite the bot to the channel (/invite @your-app)",
  is_archived: "the channel is archived",
  message_not_found: "no message with update-ts in that channel: pass the slack-ts and slack-channel outputs of the run that posted",
  cant_update_message: "only messages posted by this same bot can be updated",
  no_service: "the incoming webhook was removed or its URL is wrong: create a new one and update the secret",
  channel_is_archived: "the webhook's channel is archived",
  action_prohibited: "a workspace admin restricted this webhook",
};

/** A one-line suggestion for a Slack error code, when there is a common cause. */
export function hintFor(code: string): string | undefined {
  return HINTS[code];
}

function describe(code: string, method: string, details: SlackError["details"]): string {
  let text = `Slack ${method} failed: ${code}`;
  // Slack reports API errors with HTTP 200; only other statuses say something.
  if (details.status !== undefined && details.status !== 200 && !code.startsWith("http_")) text += ` (HTTP ${details.status})`;
  if (details.messages?.length) text += ` — ${details.messages.join("; ")}`;
  if (details.cause) text += ` — ${details.cause}`;
  if (details.attempts && details.attempts > 1) text += ` after ${details.attempts} attempts`;
  return text;
}
