/**
 * The signal the ledger works under: the run's own until the rollback's first change, then
 * one that ignores cancellation, so a switch that happened is always recorded. Each ledger call
 * stays bounded by its own timeout (GitHub API: 15 s per request; file lock: 10 s).
 */
export class LedgerSignal {
  private readonly controller = new AbortController();
  private committed = false;

  constructor(run: AbortSignal) {
    const follow = () => {
      if (!this.committed) this.controller.abort(run.reason);
    };
    if (run.aborted) follow();
    else run.addEventListener("abort", follow, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** From now on a cancel of the run no longer aborts ledger calls. */
  commit(): void {
    this.committed = true;
  }
}
