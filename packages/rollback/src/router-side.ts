import { ConfigError, formatDuration, GateFailedError, sleep } from "@cutover/core";
import {
  type Color,
  type ColorProbe,
  isColor,
  newSwitchRecord,
  openRouter,
  probeColor,
  type Router,
  type StepJudgement,
  shiftInSteps,
  switchVerifyRevert,
} from "@cutover/traffic";
import type { RollbackRequest } from "./rollback-request.js";
import type { Prepared, SwitchBackResult } from "./rollback-result.js";

/**
 * The router half of a rollback, through @cutover/traffic: probe a color, read the active
 * color before anything changes, then switch back and verify (switchVerifyRevert).
 *
 * Cancellation: before the switch starts, nothing changes. Once the router is writing, the
 * traffic engine finishes the switch and this side FINISHES the rollback rather than undoing
 * it: traffic is left on the known-good version and the caller records that, since switching
 * back to the version being rolled back is the worse half. A target that fails verification
 * is undone: traffic goes back where it was.
 */
export class RouterSide {
  private router: Router | undefined;
  private activeBefore: Color | undefined;

  constructor(
    private readonly request: Pick<RollbackRequest, "router" | "verify" | "steps">,
    private readonly context: {
      signal: AbortSignal;
      log: (line: string) => void;
      tempDir?: string;
      onSecretDir?: (dir: string) => void;
    },
  ) {}

  /** What `color` serves, asked of the color itself; undefined when the router cannot say where it runs. */
  async probe(color: string): Promise<ColorProbe | undefined> {
    const url = this.request.verify?.url;
    if (!this.request.router || !url || !isColor(color)) return undefined;
    return probeColor(await this.open(), url, color, this.context.signal);
  }

  /** Reads the active color, which also proves the router is reachable and its file is ours. */
  async prepare(color: string): Promise<Prepared> {
    if (!this.request.router) {
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
    const router = await this.open();
    this.activeBefore = await router.status({ signal: this.context.signal });
    return { router: router.describe(), ...(this.activeBefore ? { routerActive: this.activeBefore } : {}) };
  }

  async switchBack(color: string, version: string): Promise<SwitchBackResult> {
    const { router, activeBefore: previous } = this;
    if (!router || !isColor(color)) throw new Error("switchBack before prepare");
    const record = newSwitchRecord(previous);
    const common = {
      target: color,
      version,
      ...(this.request.verify ? { verify: this.request.verify } : {}),
      onCancel: "finish" as const,
      signal: this.context.signal,
      log: this.context.log,
    };
    const steps = this.request.steps;
    try {
      if (steps) {
        // A gradual rollback: each share verified and held; a cancel finishes on the known-good side.
        const weights = await router.weights({ signal: this.context.signal }).catch(() => undefined);
        if (weights) record.previousWeights = weights;
        const hold = async (): Promise<StepJudgement> => {
          await sleep(steps.holdMs, this.context.signal);
          return { ok: true, reason: `held for ${formatDuration(steps.holdMs)}` };
        };
        await shiftInSteps(router, record, { ...common, shares: steps.shares, judge: hold });
      } else await switchVerifyRevert(router, record, { ...common, revertOnFailure: true, whenActive: "apply" });
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
      ...(record.steps ? { steps: record.steps } : {}),
    };
  }

  async close(): Promise<void> {
    const router = this.router;
    this.router = undefined;
    await router?.close();
  }

  /** Opens the router once; opening prepares (key files) but connects nothing yet. */
  private async open(): Promise<Router> {
    const block = this.request.router;
    if (!block) throw new Error("open without a router block");
    this.router ??= await openRouter(block.config, block.access, {
      signal: this.context.signal,
      ...(this.context.tempDir ? { tempDir: this.context.tempDir } : {}),
      ...(this.context.onSecretDir ? { onSecretDir: this.context.onSecretDir } : {}),
    });
    return this.router;
  }
}
