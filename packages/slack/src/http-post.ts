import { abortReason, backoffDelay, CancelledError, sleep } from "@cutover/core";
import type { SendPolicy } from "./send-policy.js";
import { SlackError } from "./slack-error.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * POSTs `body` and turns each response into a value or a SlackError via `interpret`,
 * retrying what Slack calls transient: 429 after its Retry-After, 5xx and timeouts with
 * exponential backoff, all within `policy.deadlineMs`. The URL never appears in errors
 * (a webhook URL is a secret).
 */
export async function postWithRetry<T>(
  method: string,
  url: string,
  request: { headers: Record<string, string>; body: string },
  policy: SendPolicy,
  interpret: (response: RawResponse) => T,
): Promise<T> {
  const started = Date.now();
  const deadline = started + policy.deadlineMs;
  let previous: SlackError | undefined;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    const timeoutMs = Math.min(policy.timeoutMs, Math.max(1, remaining));
    let error: SlackError;
    try {
      const response = await postOnce(method, url, request, timeoutMs, policy.signal);
      return interpret(response);
    } catch (caught) {
      if (!(caught instanceof SlackError)) throw caught;
      error = caught;
    }
    // An attempt the deadline cut short says nothing new: report what Slack itself answered before.
    if (error.code === "timeout" && timeoutMs < policy.timeoutMs && previous) {
      throw previous.withAttempts(attempt, `deadline of ${Math.round(policy.deadlineMs / 1000)}s reached`);
    }
    previous = error;
    if (!error.retryable) throw error.withAttempts(attempt);
    const backoff = backoffDelay(attempt, { retries: 0, initialDelayMs: policy.initialDelayMs ?? 1_000, maxDelayMs: 30_000 });
    const delayMs = error.details.retryAfterMs ?? backoff;
    const left = deadline - Date.now();
    if (delayMs >= left) {
      const why =
        error.details.retryAfterMs !== undefined
          ? `Slack asked to retry after ${Math.round(delayMs / 1000)}s, past the ${Math.round(policy.deadlineMs / 1000)}s deadline`
          : `deadline of ${Math.round(policy.deadlineMs / 1000)}s reached`;
      throw error.withAttempts(attempt, why);
    }
    policy.onRetry?.({ method, attempt, delayMs, reason: error.code });
    await sleep(delayMs, policy.signal);
  }
}

async function postOnce(
  method: string,
  url: string,
  request: { headers: Record<string, string>; body: string },
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  if (signal?.aborted) throw abortReason(signal);
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: combined,
      redirect: "error",
    });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (error instanceof CancelledError) throw error;
    if (timeout.aborted) throw new SlackError("timeout", method, { cause: `no response within ${timeoutMs}ms` });
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new SlackError("connection_failed", method, { cause: cause ?? "the request could not be sent" });
  }
}

/** Retry-After is whole seconds in Slack's answers; an HTTP date is honoured too. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
