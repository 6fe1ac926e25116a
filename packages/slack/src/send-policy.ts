/** How hard delivery tries: each request's timeout and the bound on all attempts together. */
export interface SendPolicy {
  /** Per request. */
  timeoutMs: number;
  /** Total time for one send, retries and Retry-After waits included. */
  deadlineMs: number;
  /** First backoff delay for 5xx and timeouts; doubles each retry. */
  initialDelayMs?: number;
  signal?: AbortSignal;
  /** Told before each wait, e.g. to log `429: retrying in 1s`. */
  onRetry?: (info: { method: string; attempt: number; delayMs: number; reason: string }) => void;
}

export const DEFAULT_SEND_POLICY: SendPolicy = { timeoutMs: 10_000, deadlineMs: 60_000, initialDelayMs: 1_000 };
