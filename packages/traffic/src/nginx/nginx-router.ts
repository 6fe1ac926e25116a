import { hostname } from "node:os";
import { abortReason, CancelledError, describeExit, outputTail } from "@cutover/core";
import type { Color } from "../color.js";
import type { Host } from "../host.js";
import { InterruptedSwitchError } from "../interrupted-switch-error.js";
import type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "../router.js";
import { RouterError } from "../router-error.js";
import { acquireSwitchLock } from "../switch-lock.js";
import { allTo, dominantColor, soleColor, type TrafficWeights, trafficWeightsSchema } from "../traffic-weights.js";
import { keepaliveWarning, type NginxKeepaliveFacts, readKeepaliveFacts } from "./keepalive-check.js";
import type { NginxRouterConfig } from "./nginx-schema.js";
import { intentPathOf, lockPathOf, readIntent, renderIntent, type SwitchIntent } from "./switch-intent.js";
import { readUpstreamFile, renderUpstreamFile, type UpstreamFileState } from "./upstream-file.js";

/** Bound of one read, write or lock command on the router's host (SshHost uses the same). */
const FILE_OPERATION_TIMEOUT_MS = 30_000;

function describeState(state: UpstreamFileState): string {
  if (state.kind !== "managed") return "none";
  return state.weights && !soleColor(state.weights) ? `blue ${state.weights.blue}% / green ${state.weights.green}%` : state.color;
}

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
    const state = await this.settledState(options.signal);
    return state.kind === "managed" ? state.color : undefined;
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    const state = await this.settledState(options.signal);
    if (state.kind === "absent") return undefined;
    return state.weights ?? allTo(state.color);
  }

  /**
   * What the file says, but only when no switch was killed between writing it and nginx
   * reloading it: with an intent left behind, the file may name a color nginx does not serve.
   */
  private async settledState(signal: AbortSignal | undefined) {
    const intent = readIntent(await this.host.readFile(intentPathOf(this.config["upstream-file"]), signal));
    if (intent) throw this.interrupted(intent);
    const state = readUpstreamFile(await this.host.readFile(this.config["upstream-file"], signal));
    if (state.kind === "unmanaged") throw this.unmanaged(state.reason);
    return state;
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(weights: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const target = trafficWeightsSchema.parse(weights);
    const started = performance.now();
    // One switch of this upstream file at a time, across processes and runners: a second one
    // waits and then starts from what the first left, so each one's result matches nginx.
    const release = await acquireSwitchLock(this.host, {
      path: lockPathOf(this.config["upstream-file"]),
      staleAfterMs: this.longestSwitchMs(),
      timeoutMs: FILE_OPERATION_TIMEOUT_MS,
      what: this.describe(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return await this.setWeightsLocked(target, started, options.signal);
    } finally {
      await release();
    }
  }

  /** No live switch holds the lock longer: every command and file operation of one switch, bounded. */
  private longestSwitchMs(): number {
    const sshConnect = this.config.ssh ? this.config.ssh["connect-timeout"] : 0;
    return 4 * this.config["command-timeout"] + 6 * FILE_OPERATION_TIMEOUT_MS + 10 * sshConnect;
  }

  private async setWeightsLocked(target: TrafficWeights, started: number, signal: AbortSignal | undefined): Promise<SwitchResult> {
    const file = this.config["upstream-file"];
    const intentFile = intentPathOf(file);
    const steps: SwitchStep[] = [];
    const pendingText = await this.host.readFile(intentFile, signal);
    const pending = readIntent(pendingText);
    const before = await this.host.readFile(file, signal);
    const state = readUpstreamFile(before);
    if (state.kind === "unmanaged") throw this.unmanaged(state.reason);
    // After an interrupted switch the file's color may not be what nginx serves: unknown.
    const previous = state.kind === "managed" && !pending ? state.color : undefined;
    // An even split counts for the color that had all traffic before.
    const color = dominantColor(target, state.kind === "managed" ? state.color : undefined) ?? "blue";
    const next = renderUpstreamFile(this.config, target, color);
    const what = target.blue === 100 || target.green === 100 ? color : `blue ${target.blue}% / green ${target.green}%`;
    // With an intent pending, an identical file proves nothing: reload it so nginx serves it for sure.
    if (before === next && !pending)
      return { previous, active: color, changed: false, durationMs: performance.now() - started, steps, weights: target };
    if (signal?.aborted) throw abortReason(signal);
    // Before anything is written: a failing version probe only loses the precision of the warning.
    this.keepaliveFacts ??= readKeepaliveFacts(this.host, this.config).catch(() => ({ version: undefined }));
    const warning = keepaliveWarning(await this.keepaliveFacts);

    // From here on the switch finishes or is undone; the signal is only looked at where undoing is safe.
    const writeStarted = performance.now();
    try {
      // The intent goes first: a kill after the file is written but before nginx reloaded it
      // leaves this behind, and the next status refuses instead of trusting the file.
      const from = pending ? `unknown (an earlier switch to ${pending.to} was interrupted)` : describeState(state);
      await this.host.writeFileAtomic(
        intentFile,
        renderIntent({ from, to: what, started: new Date().toISOString(), owner: `${hostname()} pid ${process.pid}` }),
      );
      await this.host.writeFileAtomic(file, next);
    } catch (error) {
      await this.restoreIntent(pendingText);
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
      await this.restoreIntent(pendingText);
      throw new RouterError(
        `test-command \`${this.config["test-command"]}\` rejected the new upstream for ${what} (${test.exit}); ${restored}, nothing was reloaded\n${test.step.output ?? ""}`.trim(),
        { step: "test", command: this.config["test-command"], exitCode: test.exitCode, output: test.step.output ?? "", unchanged: true },
      );
    }
    if (signal?.aborted) {
      const restored = await this.restore(before);
      await this.restoreIntent(pendingText);
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
      // A reload that fails leaves nginx on the config it had, which the restored file matches again.
      await this.restoreIntent(pendingText);
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
    // Commit: nginx has loaded the file, so the file tells the truth again.
    const warnings = warning ? [warning] : [];
    try {
      await this.host.removeFile(intentFile);
    } catch (error) {
      warnings.push(
        `nginx now serves ${what}, but removing ${intentFile} failed (${(error as Error).message}): status refuses until it is removed`,
      );
    }
    return {
      previous,
      active: color,
      changed: true,
      durationMs: performance.now() - started,
      steps,
      weights: target,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /** Puts back the intent that was there before this switch (none, or an earlier interrupted one). */
  private async restoreIntent(text: string | undefined): Promise<void> {
    const intentFile = intentPathOf(this.config["upstream-file"]);
    if (text === undefined) await this.host.removeFile(intentFile).catch(() => undefined);
    else await this.host.writeFileAtomic(intentFile, text).catch(() => undefined);
  }

  private interrupted(intent: SwitchIntent): InterruptedSwitchError {
    const file = this.config["upstream-file"];
    const where = this.host.label === "local" ? "" : ` on ${this.host.label}`;
    return new InterruptedSwitchError(
      `a switch of ${this.describe()} from ${intent.from} to ${intent.to} (started ${intent.started} by ${intent.owner}) was interrupted ` +
        `between writing ${file} and nginx reloading it: the file names ${intent.to}, but nginx may still serve ${intent.from}, ` +
        `so the active color is unknown and is not reported. To resolve it, switch to the color that should serve: ` +
        `blue-green-swap with \`to: blue\` or \`to: green\` (not idle) writes, tests and reloads, then clears the mark. ` +
        `By hand${where}: make ${file} name the color that should serve, run \`${this.config["reload-command"]}\`, then remove ${intentPathOf(file)}.`,
    );
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
