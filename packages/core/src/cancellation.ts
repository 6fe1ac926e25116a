import { CancelledError } from "./errors.js";

/**
 * An AbortSignal that fires when the runner cancels the job. The runner sends SIGINT, then
 * SIGTERM a few seconds later; both abort so work stops at once and cleanup can run.
 */
export function cancellationSignal(
  target: Pick<NodeJS.Process, "once" | "off"> = process,
  onCancel?: (signal: NodeJS.Signals) => void,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => {
      onCancel?.(name);
      controller.abort(new CancelledError(`cancelled by ${name}`));
    };
    handlers.set(name, handler);
    target.once(name, handler);
  }
  const dispose = () => {
    for (const [name, handler] of handlers) target.off(name, handler);
  };
  return { signal: controller.signal, dispose };
}

/** A signal that aborts when `parent` does or when `ms` have passed, whichever is first. */
export function withDeadline(parent: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([parent, AbortSignal.timeout(ms)]);
}
