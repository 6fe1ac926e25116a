import { abortReason, describeExit, outputTail } from "@cutover/core";
import { type Color, isColor } from "../color.js";
import type { Host } from "../host.js";
import type { Router, RouterCallOptions, SwitchResult } from "../router.js";
import { RouterError } from "../router-error.js";
import {
  allTo,
  dominantColor,
  formatWeights,
  parseWeights,
  sameWeights,
  soleColor,
  type TrafficWeights,
  trafficWeightsSchema,
} from "../traffic-weights.js";
import type { CommandRouterConfig } from "./command-schema.js";

/** What a status-command reported: a color, or shares when traffic is split. */
interface CommandStatus {
  color: Color | undefined;
  weights: TrafficWeights | undefined;
}

/**
 * A router driven by two user commands: one that switches (CUTOVER_COLOR, CUTOVER_WEIGHTS), one
 * that reports the active color (or `blue=90,green=10` while traffic is split).
 */
export class CommandRouter implements Router {
  readonly provider = "command";
  /** The shares this router last applied: a status that prints only colors cannot show a split. */
  private applied: TrafficWeights | undefined;

  constructor(
    private readonly config: CommandRouterConfig,
    private readonly host: Host,
  ) {}

  describe(): string {
    return `command router (status: \`${this.config["status-command"]}\`)`;
  }

  /** The commands hide where the colors run. */
  colorAddress(): string | undefined {
    return undefined;
  }

  async status(options: RouterCallOptions = {}): Promise<Color | undefined> {
    return (await this.readStatus(options)).color;
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    return (await this.readStatus(options)).weights;
  }

  private async readStatus(options: RouterCallOptions): Promise<CommandStatus> {
    const command = this.config["status-command"];
    const timeoutMs = this.config["command-timeout"];
    const result = await this.host.exec(command, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (result.exitCode !== 0 || result.timedOut) {
      throw new RouterError(`status-command \`${command}\` failed (${describeExit(result, timeoutMs)})\n${outputTail(result)}`.trim(), {
        step: "status",
        command,
        exitCode: result.exitCode,
        output: outputTail(result),
        unchanged: true,
      });
    }
    const lines = result.stdout.split(/\r?\n/).map((line) => line.trim());
    const last = lines.filter(Boolean).at(-1)?.toLowerCase() ?? "";
    if (last === "" || last === "none") return { color: undefined, weights: undefined };
    if (isColor(last)) return { color: last, weights: allTo(last) };
    let weights: TrafficWeights | undefined;
    try {
      weights = last.includes("=") ? parseWeights(last) : undefined;
    } catch {
      weights = undefined;
    }
    if (weights) return { color: dominantColor(weights), weights };
    throw new RouterError(
      `status-command \`${command}\` printed ${JSON.stringify(last)}; expected blue, green or none (or shares such as blue=90,green=10) as its last line`,
      { step: "status", command, exitCode: 0, output: outputTail(result), unchanged: true },
    );
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(weights: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const target = trafficWeightsSchema.parse(weights);
    const started = performance.now();
    const before = await this.readStatus(options);
    const previous = before.color;
    // An even split counts for the color that had all traffic before.
    const color = dominantColor(target, previous) ?? "blue";
    const sole = soleColor(target);
    // Nothing to do when the status shows the target, unless this router split traffic and the
    // status prints only the larger color (after 90/10, "blue" is not yet blue=100).
    if (sameWeights(before.weights, target) && (this.applied === undefined || sameWeights(this.applied, target)))
      return { previous, active: color, changed: false, durationMs: performance.now() - started, steps: [], weights: target };
    if (options.signal?.aborted) throw abortReason(options.signal);

    // The switch command is not interrupted once started: killing a CLI half way is how
    // platforms end up half switched. Its timeout still bounds it.
    const command = this.config["switch-command"];
    const timeoutMs = this.config["command-timeout"];
    const result = await this.host.exec(command, {
      timeoutMs,
      env: { CUTOVER_COLOR: color, CUTOVER_PREVIOUS_COLOR: previous ?? "", CUTOVER_WEIGHTS: formatWeights(target) },
    });
    const output = outputTail(result);
    const step = {
      name: "switch-command",
      command,
      durationMs: result.durationMs,
      ok: result.exitCode === 0 && !result.timedOut,
      ...(output ? { output } : {}),
    };
    if (!step.ok) {
      const now = await this.status().catch(() => undefined);
      // `now` is the color only: a split the command left half done is the operator's to read.
      throw new RouterError(
        `switch-command \`${command}\` failed (${describeExit(result, timeoutMs)}); status-command now reports ${now ?? "no color"}\n${output}`.trim(),
        { step: "switch-command", command, exitCode: result.exitCode, output, unchanged: now === previous },
      );
    }
    // Trust, but check: a switch that reports success must show in the status (shares, when it prints them).
    const after = await this.readStatus({});
    // A status-command that prints only colors shows a split as its larger color.
    const shown = sameWeights(after.weights, target) || (!sole && after.weights !== undefined && soleColor(after.weights) === color);
    if (!shown) {
      const reported = after.weights && !soleColor(after.weights) ? formatWeights(after.weights) : (after.color ?? "no color");
      throw new RouterError(
        `switch-command \`${command}\` exited 0 but status-command reports ${reported}, not ${sole ?? formatWeights(target)}`,
        {
          step: "switch-command",
          command,
          exitCode: 0,
          output,
          unchanged: after.color === previous,
        },
      );
    }
    this.applied = target;
    return { previous, active: color, changed: true, durationMs: performance.now() - started, steps: [step], weights: target };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
