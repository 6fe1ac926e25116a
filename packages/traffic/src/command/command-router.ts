import { abortReason } from "@cutover/core";
import { type Color, isColor } from "../color.js";
import type { Host } from "../host.js";
import type { Router, RouterCallOptions, SwitchResult } from "../router.js";
import { RouterError } from "../router-error.js";
import { describeExit, outputTail } from "../run-process.js";
import type { CommandRouterConfig } from "./command-schema.js";

/** A router driven by two user commands: one that switches, one that reports the active color. */
export class CommandRouter implements Router {
  readonly provider = "command";

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
    if (last === "" || last === "none") return undefined;
    if (!isColor(last)) {
      throw new RouterError(
        `status-command \`${command}\` printed ${JSON.stringify(last)}; expected blue, green or none as its last line`,
        {
          step: "status",
          command,
          exitCode: 0,
          output: outputTail(result),
          unchanged: true,
        },
      );
    }
    return last;
  }

  async switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const started = performance.now();
    const previous = await this.status(options);
    if (previous === color) return { previous, active: color, changed: false, durationMs: performance.now() - started, steps: [] };
    if (options.signal?.aborted) throw abortReason(options.signal);

    // The switch command is not interrupted once started: killing a CLI half way is how
    // platforms end up half switched. Its timeout still bounds it.
    const command = this.config["switch-command"];
    const timeoutMs = this.config["command-timeout"];
    const result = await this.host.exec(command, {
      timeoutMs,
      env: { CUTOVER_COLOR: color, CUTOVER_PREVIOUS_COLOR: previous ?? "" },
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
      throw new RouterError(
        `switch-command \`${command}\` failed (${describeExit(result, timeoutMs)}); status-command now reports ${now ?? "no color"}\n${output}`.trim(),
        { step: "switch-command", command, exitCode: result.exitCode, output, unchanged: now === previous },
      );
    }
    // Trust, but check: a switch that reports success must show in the status.
    const after = await this.status();
    if (after !== color) {
      throw new RouterError(`switch-command \`${command}\` exited 0 but status-command reports ${after ?? "no color"}, not ${color}`, {
        step: "switch-command",
        command,
        exitCode: 0,
        output,
        unchanged: after === previous,
      });
    }
    return { previous, active: color, changed: true, durationMs: performance.now() - started, steps: [step] };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
