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

function describe(code: string, method: string, details: SlackError["details"]): string {
  let text = `Slack ${method} failed: ${code}`;
  if (details.status !== undefined && !code.startsWith("http_")) text += ` (HTTP ${details.status})`;
  if (details.messages?.length) text += ` — ${details.messages.join("; ")}`;
  if (details.cause) text += ` — ${details.cause}`;
  if (details.attempts && details.attempts > 1) text += ` after ${details.attempts} attempts`;
  return text;
}
