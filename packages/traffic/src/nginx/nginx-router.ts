import { abortReason, CancelledError, describeExit, outputTail } from "@cutover/core";
import type { Color } from "../color.js";
import type { Host } from "../host.js";
import type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "../router.js";
import { RouterError } from "../router-error.js";
import { allTo, dominantColor, type TrafficWeights, trafficWeightsSchema } from "../traffic-weights.js";
import { keepaliveWarning, type NginxKeepaliveFacts, readKeepaliveFacts } from "./keepalive-check.js";
import type { NginxRouterConfig } from "./nginx-schema.js";
import { readUpstreamFile, renderUpstreamFile } from "./upstream-file.js";

/**
 * Switches an nginx upstream by rewriting one managed file: atomic write, `test-command`,
 * then `reload-command`. nginx's graceful reload lets old workers finish requests in flight
 * while new workers take new connections, but before 1.27.4 (`keepalive_min_timeout`) retiring
 * workers close idle keep-alive connections: a request written to one at that instant is reset.
 * Each switch that reloads says so in `warnings` when it applies.
 */
export class NginxRouter implements Router {
  readonly provider = "nginx";
  /** Read once per router: the version does not change between two switches of one step. */
  private keepaliveFacts: Promise<NginxKeepaliveFacts> | undefined;

  constructor(
    private readonly config: NginxRouterConfig,
    private readonly host: Host,
  ) {}

  describe(): string {
    const where = this.host.label === "local" ? "" : ` on ${this.host.label}`;
    return `nginx upstream '${this.config["upstream-name"]}' in ${this.config["upstream-file"]}${where}`;
  }

  /** The first server of the color, when it is a plain `host:port` (not a unix socket or a name nginx resolves with parameters). */
  colorAddress(color: Color): string | undefined {
    const first = this.config.colors[color][0]?.split(/\s+/)[0];
    return first && /^(?:[\w.-]+|\[[0-9a-fA-F:]+\]):\d+$/.test(first) ? first : undefined;
  }

  async status(options: RouterCallOptions = {}): Promise<Color | undefined> {
    const state = readUpstreamFile(await this.host.readFile(this.config["upstream-file"], options.signal));
    if (state.kind === "unmanaged") throw this.unmanaged(state.reason);
    return state.kind === "managed" ? state.color : undefined;
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    const state = readUpstreamFile(await this.host.readFile(this.config["upstream-file"], options.signal));
    if (state.kind === "unmanaged") throw this.unmanaged(state.reason);
    if (state.kind === "absent") return undefined;
    return state.weights ?? allTo(state.color);
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(weights: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const target = trafficWeightsSchema.parse(weights);
    const started = performance.now();
    const { signal } = options;
    const file = this.config["upstream-file"];
    const steps: SwitchStep[] = [];
    const before = await this.host.readFile(file, signal);
    const state = readUpstreamFile(before);
    if (state.kind === "unmanaged") throw this.unmanaged(state.reason);
    const previous = state.kind === "managed" ? state.color : undefined;
    // An even split counts for the color that had all traffic before.
    const color = dominantColor(target, previous) ?? "blue";
    const next = renderUpstreamFile(this.config, target, color);
    const what = target.blue === 100 || target.green === 100 ? color : `blue ${target.blue}% / green ${target.green}%`;
    if (before === next)
      return { previous, active: color, changed: false, durationMs: performance.now() - started, steps, weights: target };
    if (signal?.aborted) throw abortReason(signal);
    // Before anything is written: a failing version probe only loses the precision of the warning.
    this.keepaliveFacts ??= readKeepaliveFacts(this.host, this.config).catch(() => ({ version: undefined }));
    const warning = keepaliveWarning(await this.keepaliveFacts);

    // From here on the switch finishes or is undone; the signal is only looked at where undoing is safe.
    const writeStarted = performance.now();
    try {
      await this.host.writeFileAtomic(file, next);
    } catch (error) {
      throw new RouterError(`writing ${file} failed: ${(error as Error).message}; nothing was changed`, {
        step: "write",
        unchanged: true,
      });
    }
    steps.push({ name: "write", durationMs: performance.now() - writeStarted, ok: true });

    const test = await this.runStep("test", this.config["test-command"]);
    steps.push(test.step);
    if (!test.step.ok) {
      const restored = await this.restore(before);
      throw new RouterError(
        `test-command \`${this.config["test-command"]}\` rejected the new upstream for ${what} (${test.exit}); ${restored}, nothing was reloaded\n${test.step.output ?? ""}`.trim(),
        { step: "test", command: this.config["test-command"], exitCode: test.exitCode, output: test.step.output ?? "", unchanged: true },
      );
    }
    if (signal?.aborted) {
      const restored = await this.restore(before);
      throw new CancelledError(`${abortReason(signal).message} before the reload; ${restored}, nothing was reloaded`);
    }

    const reload = await this.runStep("reload", this.config["reload-command"]);
    steps.push(reload.step);
    if (!reload.step.ok) {
      const restored = await this.restore(before);
      // The reload may have gone through before failing: load the restored file to be sure.
      const again = await this.host
        .exec(this.config["reload-command"], { timeoutMs: this.config["command-timeout"] })
        .catch(() => undefined);
      const reloadedBack = again?.exitCode === 0 ? " and reloaded" : "";
      throw new RouterError(
        `reload-command \`${this.config["reload-command"]}\` failed (${reload.exit}); ${restored}${reloadedBack}\n${reload.step.output ?? ""}`.trim(),
        {
          step: "reload",
          command: this.config["reload-command"],
          exitCode: reload.exitCode,
          output: reload.step.output ?? "",
          unchanged: true,
        },
      );
    }
    return {
      previous,
      active: color,
      changed: true,
      durationMs: performance.now() - started,
      steps,
      weights: target,
      ...(warning ? { warnings: [warning] } : {}),
    };
  }

  /** Runs test or reload to completion: never interrupted, bounded by command-timeout. */
  private async runStep(name: string, command: string) {
    const timeoutMs = this.config["command-timeout"];
    const result = await this.host.exec(command, { timeoutMs });
    const ok = result.exitCode === 0 && !result.timedOut;
    const output = outputTail(result);
    return {
      step: { name, command, durationMs: result.durationMs, ok, ...(output ? { output } : {}) } satisfies SwitchStep,
      exit: describeExit(result, timeoutMs),
      exitCode: result.exitCode,
    };
  }

  /** Puts the previous file back (or removes the new one when there was none). */
  private async restore(before: string | undefined): Promise<string> {
    const file = this.config["upstream-file"];
    try {
      if (before === undefined) {
        await this.host.removeFile(file);
        return `removed ${file} again`;
      }
      await this.host.writeFileAtomic(file, before);
      return `restored the previous ${file}`;
    } catch (error) {
      throw new RouterError(
        `could not restore the previous ${file}: ${(error as Error).message}; the file holds an untested config, fix it by hand`,
        { step: "restore", unchanged: false },
      );
    }
  }

  private unmanaged(reason: string): RouterError {
    return new RouterError(
      `${this.config["upstream-file"]}${this.host.label === "local" ? "" : ` on ${this.host.label}`} was not written by cutover: ${reason}. ` +
        "Point upstream-file at a file of its own (your server block includes it), or remove the file and switch to a color explicitly.",
      { step: "status", unchanged: true },
    );
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
