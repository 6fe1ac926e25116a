import { CancelledError } from "./errors.js";

/** Waits `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error to raise for an aborted signal: its reason when it is ours, else a CancelledError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof CancelledError) return reason;
  if (reason instanceof Error && reason.name === "TimeoutError") return new CancelledError("deadline exceeded");
  return new CancelledError(reason instanceof Error ? reason.message : "cancelled");
}
