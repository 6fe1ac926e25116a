import { ConfigError, GateFailedError } from "@cutover/core";
import type { ColorProbe } from "@cutover/ledger";
import { type Color, isColor, newSwitchRecord, openRouter, probeColor, type Router, switchVerifyRevert } from "@cutover/traffic";
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

  async probe(color: string): Promise<ColorProbe | undefined> {
    if (!this.inputs.router || !this.inputs["verify-url"] || !isColor(color)) return undefined;
    return probeColor(await this.open(), this.inputs["verify-url"], color, this.context.signal);
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
    const router = await this.open();
    // Reading the active color also proves the router is reachable and the file is ours.
    this.activeBefore = await router.status({ signal: context.signal });
    return { router: router.describe(), ...(this.activeBefore ? { routerActive: this.activeBefore } : {}) };
  }

  async switchBack(color: string, version: string): Promise<SwitchBackResult> {
    const { router, activeBefore: previous } = this;
    if (!router || !isColor(color)) throw new Error("switchTraffic before prepare");
    const url = this.inputs["verify-url"];
    const record = newSwitchRecord(previous);
    try {
      await switchVerifyRevert(router, record, {
        target: color,
        version,
        ...(url ? { verify: { url, expect: this.inputs["verify-expect"], timeoutMs: this.inputs["verify-timeout"] } } : {}),
        revertOnFailure: true,
        onCancel: "finish",
        whenActive: "apply",
        signal: this.context.signal,
        log: this.context.log,
      });
    } catch (error) {
      if (error instanceof GateFailedError) throw new GateFailedError(`${error.summary}; the ledger was not written`, error.findings);
      throw error;
    }
    return {
      ...(previous ? { previous } : {}),
      changed: record.switch?.changed ?? false,
      durationMs: record.durationMs,
      ...(record.verification ? { verification: record.verification } : {}),
      ...(record.cancelled ? { cancelled: record.cancelled } : {}),
    };
  }

  async close(): Promise<void> {
    const router = this.router;
    this.router = undefined;
    await router?.close();
  }

  /** Opens the router once; opening prepares (key files) but connects nothing yet. */
  private async open(): Promise<Router> {
    const config = this.inputs.router;
    if (!config) throw new Error("open without a router block");
    this.router ??= await openRouter(config, this.inputs, {
      signal: this.context.signal,
      ...(this.context.tempDir ? { tempDir: this.context.tempDir } : {}),
    });
    return this.router;
  }
}
