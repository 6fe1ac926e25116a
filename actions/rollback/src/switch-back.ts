import { CancelledError, ConfigError, GateFailedError } from "@cutover/core";
import type { ColorProbe } from "@cutover/ledger";
import { type Color, expectForColor, isColor, openRouter, type Router, verifySwitch } from "@cutover/traffic";
import { probeColor } from "./color-probe.js";
import type { RollbackInputs } from "./inputs.js";
import type { Prepared, SwitchBackResult } from "./rollback-executor.js";

/**
 * The router half of a rollback, through @cutover/traffic: probe a color, connect and read the
 * active color before anything changes, then switch back and verify.
 *
 * Cancellation: before the switch starts, nothing changes. Once the router is writing, the
 * traffic engine finishes the switch (or restores the old file) and this side FINISHES the
 * rollback rather than undoing it: traffic is left on the known-good version and the caller
 * records that, since switching back to the version being rolled back is the worse half.
 * A target that fails verification is undone: traffic goes back where it was.
 */
export class RouterSide {
  private router: Router | undefined;
  private activeBefore: Color | undefined;

  constructor(
    private readonly inputs: RollbackInputs,
    private readonly context: { signal: AbortSignal; log: (line: string) => void; tempDir?: string },
  ) {}

  probe(color: string): Promise<ColorProbe | undefined> {
    return probeColor(this.inputs.router, this.inputs["verify-url"], color, this.context.signal);
  }

  async prepare(color: string): Promise<Prepared> {
    const { inputs, context } = this;
    if (!inputs.router) {
      throw ConfigError.single({
        input: "router",
        path: "",
        expected: "the router block (the same as blue-green-swap's) for a traffic rollback",
      });
    }
    if (!isColor(color)) {
      throw ConfigError.single({
        input: "router",
        path: "colors",
        given: `'${color}', the color the ledger recorded for the target`,
        expected: "blue or green",
      });
    }
    if (inputs["verify-expect"] && !inputs["verify-url"]) {
      throw ConfigError.single({
        input: "verify-expect",
        path: "",
        expected: "verify-url as well: the expect block is checked against it",
      });
    }
    this.router = await openRouter(inputs.router, inputs, {
      signal: context.signal,
      ...(context.tempDir ? { tempDir: context.tempDir } : {}),
    });
    // Reading the active color also proves the router is reachable and the file is ours.
    this.activeBefore = await this.router.status({ signal: context.signal });
    return { router: this.router.describe(), ...(this.activeBefore ? { routerActive: this.activeBefore } : {}) };
  }

  async switchBack(color: string, version: string): Promise<SwitchBackResult> {
    const { router, activeBefore: previous } = this;
    const { signal, log } = this.context;
    if (!router || !isColor(color)) throw new Error("switchTraffic before prepare");
    const started = performance.now();
    log(`Switching ${router.describe()}: ${previous ?? "(none)"} → ${color}`);
    const switched = await router.switchTo(color, { signal });
    for (const step of switched.steps) {
      log(`  ${step.ok ? "✓" : "✗"} ${step.name}${step.command ? ` (${step.command})` : ""} in ${Math.round(step.durationMs)}ms`);
    }
    const base = { ...(previous ? { previous } : {}), changed: switched.changed };
    if (signal.aborted) {
      return {
        ...base,
        durationMs: performance.now() - started,
        cancelled: `${reason(signal)} during the switch to ${color}: the switch was finished, verification skipped`,
      };
    }
    const url = this.inputs["verify-url"];
    if (!url) return { ...base, durationMs: performance.now() - started };

    const expect = expectForColor(this.inputs["verify-expect"], color, { version });
    log(`Verifying ${url} serves ${color} (${version}) within ${this.inputs["verify-timeout"]}ms`);
    let verification: Awaited<ReturnType<typeof verifySwitch>>;
    try {
      verification = await verifySwitch({
        url,
        expect,
        timeoutMs: this.inputs["verify-timeout"],
        signal,
        onAttempt: (r, n) => {
          if (!r.ok)
            log(`  attempt ${n}: ${r.error ?? r.failures.map((f) => `${f.assertion}: ${f.measured}, expected ${f.expected}`).join("; ")}`);
        },
      });
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      return {
        ...base,
        durationMs: performance.now() - started,
        cancelled: `${error.message} while verifying ${color}: traffic stays on ${color}, verification was cut short`,
      };
    }
    if (!verification.ok) {
      const last = verification.last;
      const seen =
        last?.error ??
        `HTTP ${last?.status}: ${last?.failures.map((f) => `${f.assertion} ${f.measured} (expected ${f.expected})`).join("; ")}`;
      log(`✗ ${color} did not pass verification: ${seen}`);
      const undone = await this.undo(previous, color);
      throw new GateFailedError(`${color} (${version}) failed verification at ${url}; ${undone}; the ledger was not written`, [
        { subject: `verify after ${verification.attempts} request(s)`, measured: seen, expected: "3 passing answers in a row" },
      ]);
    }
    log(`✓ ${url} serves ${color} (${verification.attempts} request(s), ${Math.round(verification.durationMs)}ms)`);
    return { ...base, durationMs: performance.now() - started, verification };
  }

  async close(): Promise<void> {
    const router = this.router;
    this.router = undefined;
    await router?.close();
  }

  /** Puts traffic back where it was; never interrupted, that is the point of it. */
  private async undo(previous: Color | undefined, target: Color): Promise<string> {
    if (!this.router || previous === undefined || previous === target) return `traffic stays on ${target} (it was already there)`;
    try {
      await this.router.switchTo(previous);
      this.context.log(`↩ traffic is back on ${previous}`);
      return `traffic was switched back to ${previous}`;
    } catch (error) {
      return `switching back to ${previous} FAILED (${(error as Error).message.split("\n")[0]}): traffic is on ${target}`;
    }
  }
}

function reason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : "cancelled";
}
