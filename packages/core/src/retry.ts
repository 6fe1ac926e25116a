import { CancelledError } from "./errors.js";
import { sleep } from "./sleep.js";

export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  /** Delay before the first retry; doubles (by `factor`) each time. */
  initialDelayMs: number;
  maxDelayMs?: number;
  factor?: number;
  /** Fraction of each delay randomised away (0..1): spreads retries of many clients. */
  jitter?: number;
  signal?: AbortSignal;
  /** Return false to stop retrying this error. Cancellation is never retried. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Lets a caller honour a server's own wait (e.g. Retry-After) instead of the backoff. */
  delayFor?: (error: unknown, backoffMs: number) => number;
  random?: () => number;
}

/** Backoff before retry number `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, options: RetryOptions): number {
  const factor = options.factor ?? 2;
  const cap = options.maxDelayMs ?? 30_000;
  const base = Math.min(cap, options.initialDelayMs * factor ** (attempt - 1));
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  return Math.round(base * (1 - jitter * random()));
}

/** Runs `task` until it succeeds or the retries are spent; the last error is thrown. */
export async function retry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (error instanceof CancelledError || options.signal?.aborted) throw error;
      const retryable = attempt <= options.retries && (options.shouldRetry?.(error, attempt) ?? true);
      if (!retryable) throw error;
      const backoff = backoffDelay(attempt, options);
      const delay = options.delayFor ? options.delayFor(error, backoff) : backoff;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
