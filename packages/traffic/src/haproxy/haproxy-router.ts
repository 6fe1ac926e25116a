import { abortReason, formatDuration } from "@cutover/core";
import { COLORS, type Color } from "../color.js";
import type { Host } from "../host.js";
import type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "../router.js";
import { RouterError } from "../router-error.js";
import { serverWeightFor } from "../split-weights.js";
import { acquireSwitchLock } from "../switch-lock.js";
import { allTo, dominantColor, soleColor, type TrafficWeights, trafficWeightsSchema } from "../traffic-weights.js";
import type { HaproxyRouterConfig } from "./haproxy-schema.js";
import type { RuntimeApi } from "./runtime-api.js";
import { sharesOf } from "./server-shares.js";
import { adminStateName, parseServersState, parseSessions, type ServerState } from "./server-state.js";

/** How often a drain looks at the old servers' sessions. */
const DRAIN_POLL_MS = 200;
/** HAProxy's largest server weight. */
const HAPROXY_MAX_WEIGHT = 256;

/**
 * Switches servers of one HAProxy backend through the runtime API (`set server … state`,
 * `set weight`), with no reload: established client connections stay open, so a client that
 * does not retry sees no reset. The new color goes `ready` before the old one `drain`s, so some
 * server always takes new requests; the old one goes to `maint` once its sessions end.
 */
export class HaproxyRouter implements Router {
  readonly provider = "haproxy";
  /** The color that last had all traffic, for `status()` on an even split. */
  private lastSole: Color | undefined;

  constructor(
    private readonly config: HaproxyRouterConfig,
    private readonly api: RuntimeApi,
    /** Where the state file is written (this machine or the ssh host). */
    private readonly host: Host,
  ) {}

  /** The block names servers, not addresses; HAProxy knows them (a later `show servers state` could say). */
  colorAddress(): string | undefined {
    return undefined;
  }

  describe(): string {
    const where = this.host.label === "local" ? "" : ` on ${this.host.label}`;
    return `HAProxy backend '${this.config.backend}' via ${this.config["admin-socket"]}${where}`;
  }

  async status(options: RouterCallOptions = {}): Promise<Color | undefined> {
    const weights = await this.weights(options);
    return weights ? dominantColor(weights, this.lastSole) : undefined;
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    const weights = sharesOf(await this.readServers(options.signal), this.config.colors);
    if (weights) this.lastSole = soleColor(weights) ?? this.lastSole;
    return weights;
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(weights: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const target = trafficWeightsSchema.parse(weights);
    const started = performance.now();
    // One switch of a backend at a time, across processes and runners: a second switch starts
    // from what the first left. The lock is in /tmp on HAProxy's host, not beside the socket:
    // a user allowed on the socket often may not create files in its directory.
    const socket = this.config["admin-socket"].replace(/[^A-Za-z0-9_.-]/g, "_");
    const release = await acquireSwitchLock(this.host, {
      path: `/tmp/.cutover-lock-haproxy${socket}-${this.config.backend}`,
      staleAfterMs:
        this.config["drain-timeout"] + 8 * this.config["command-timeout"] + 4 * 30_000 + 10 * (this.config.ssh?.["connect-timeout"] ?? 0),
      timeoutMs: 30_000,
      what: this.describe(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return await this.setWeightsLocked(target, started, options.signal);
    } finally {
      await release();
    }
  }

  private async setWeightsLocked(target: TrafficWeights, started: number, signal: AbortSignal | undefined): Promise<SwitchResult> {
    const steps: SwitchStep[] = [];
    const before = await this.readServers(signal);
    const previousWeights = sharesOf(before, this.config.colors);
    if (previousWeights) this.lastSole = soleColor(previousWeights) ?? this.lastSole;
    const previous = previousWeights ? dominantColor(previousWeights, this.lastSole) : undefined;
    // An even split counts for the color that had all traffic before it.
    const active = dominantColor(target, this.lastSole ?? previous) ?? "blue";
    const perServer = serverWeightFor(
      target,
      { blue: this.config.colors.blue.length, green: this.config.colors.green.length },
      HAPROXY_MAX_WEIGHT,
    );
    const serving = COLORS.filter((color) => target[color] > 0);
    const idle = COLORS.filter((color) => target[color] === 0);
    const done = (changed: boolean): SwitchResult => {
      this.lastSole = soleColor(target) ?? this.lastSole;
      return { previous, active, changed, durationMs: performance.now() - started, steps, weights: target };
    };

    const inPlace =
      serving.every((color) => this.servers(color).every((name) => isReadyWith(before.get(name), perServer[color]))) &&
      idle.every((color) => this.servers(color).every((name) => adminStateName(before.get(name) as ServerState) === "maint"));
    if (inPlace) return done(false);
    if (signal?.aborted) throw abortReason(signal);

    // 1. The colors that get traffic: weight first, then ready, so a server never takes traffic at an old weight.
    const ready = serving.flatMap((color) =>
      this.servers(color).flatMap((name) => [
        `set weight ${this.ref(name)} ${perServer[color]}`,
        `set server ${this.ref(name)} state ready`,
      ]),
    );
    await this.apply("ready", ready, steps, before);

    // 2. The colors that get none: drain (no new requests, in-flight ones finish), then maintenance.
    const draining = idle.flatMap((color) => this.servers(color));
    if (draining.length > 0) {
      const toDrain = draining.filter((name) => adminStateName(before.get(name) as ServerState) !== "maint");
      if (toDrain.length > 0) {
        await this.apply(
          "drain",
          toDrain.map((name) => `set server ${this.ref(name)} state drain`),
          steps,
          before,
        );
        steps.push(await this.waitForDrain(toDrain, signal));
      }
      await this.apply(
        "maint",
        draining.map((name) => `set server ${this.ref(name)} state maint`),
        steps,
        before,
      );
    }
    await this.saveState(steps);
    return done(true);
  }

  /** Runs one batch of runtime commands; on an error answer puts every server back as it was. */
  private async apply(name: string, commands: string[], steps: SwitchStep[], before: ReadonlyMap<string, ServerState>): Promise<void> {
    const started = performance.now();
    const command = commands.join("; ");
    let answer: string;
    try {
      answer = (await this.api.call(command, this.config["command-timeout"])).trim();
    } catch (error) {
      answer = (error as Error).message;
    }
    // Successful `set` commands answer nothing; anything else is HAProxy saying no.
    const ok = answer === "";
    steps.push({ name, command, durationMs: performance.now() - started, ok, ...(ok ? {} : { output: answer }) });
    if (ok) return;
    const restored = await this.restore(before);
    throw new RouterError(`HAProxy refused '${name}' on backend ${this.config.backend}: ${answer}; ${restored}`, {
      step: name,
      command,
      output: answer,
      unchanged: restored.startsWith("put"),
    });
  }

  /** Puts each server's weight and admin state back as read before the change. */
  private async restore(before: ReadonlyMap<string, ServerState>): Promise<string> {
    const commands = COLORS.flatMap((color) => this.servers(color)).flatMap((name) => {
      const server = before.get(name) as ServerState;
      return [`set weight ${this.ref(name)} ${server.weight}`, `set server ${this.ref(name)} state ${adminStateName(server)}`];
    });
    try {
      const answer = (await this.api.call(commands.join("; "), this.config["command-timeout"])).trim();
      if (answer !== "")
        return `restoring the previous server states failed too (${answer}): check 'show servers state ${this.config.backend}'`;
      await this.saveState([]).catch(() => undefined);
      return "put every server back as it was";
    } catch (error) {
      return `restoring the previous server states failed too (${(error as Error).message}): check 'show servers state ${this.config.backend}'`;
    }
  }

  /** Waits until the draining servers hold no session, or drain-timeout passes (or the call is cancelled). */
  private async waitForDrain(servers: string[], signal: AbortSignal | undefined): Promise<SwitchStep> {
    const started = performance.now();
    const timeout = this.config["drain-timeout"];
    const command = `show stat ${this.config.backend} 4 -1`;
    let remaining = Number.NaN;
    while (true) {
      const sessions = parseSessions(await this.api.call(command, this.config["command-timeout"]));
      remaining = servers.reduce((sum, name) => sum + (sessions.get(name) ?? 0), 0);
      const waited = performance.now() - started;
      if (remaining === 0 || waited >= timeout || signal?.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(DRAIN_POLL_MS, timeout - waited)));
    }
    const durationMs = performance.now() - started;
    const output =
      remaining === 0
        ? `drained in ${formatDuration(durationMs)}`
        : `${remaining} session(s) still open after ${formatDuration(durationMs)}${signal?.aborted ? " (cancelled)" : ` (drain-timeout ${formatDuration(timeout)})`}; going to maint anyway`;
    return { name: "drain-wait", command, durationMs, ok: true, output };
  }

  /** `show servers state` into state-file, so a reload or restart loads this state back. */
  private async saveState(steps: SwitchStep[]): Promise<void> {
    const file = this.config["state-file"];
    if (!file) return;
    const started = performance.now();
    try {
      const state = await this.api.call("show servers state", this.config["command-timeout"]);
      if (!/^1\s*\n#/.test(state)) throw new Error(`unexpected answer to 'show servers state': ${state.trim().slice(0, 200)}`);
      await this.host.writeFileAtomic(file, state);
      steps.push({ name: "save-state", durationMs: performance.now() - started, ok: true, output: `wrote ${file}` });
    } catch (error) {
      // Traffic has moved; only a later reload would lose it. Say so loudly rather than undo a good switch.
      throw new RouterError(
        `traffic moved, but saving the server state to ${file} failed: ${(error as Error).message}. A reload of HAProxy now would load the old state; run the switch again once ${file} is writable`,
        { step: "save-state", unchanged: false },
      );
    }
  }

  /** Reads and checks the backend: every configured server must exist before anything changes. */
  private async readServers(signal?: AbortSignal): Promise<Map<string, ServerState>> {
    if (signal?.aborted) throw abortReason(signal);
    const { backend } = this.config;
    let answer: string;
    try {
      answer = await this.api.call(`show servers state ${backend}`, this.config["command-timeout"]);
    } catch (error) {
      if (error instanceof RouterError) throw error;
      throw new RouterError(`could not read the server state of backend ${backend}: ${(error as Error).message}`, {
        step: "status",
        unchanged: true,
      });
    }
    const servers = parseServersState(answer, backend);
    if (!servers) {
      throw new RouterError(`HAProxy has no backend '${backend}' (router.backend); nothing was changed`, {
        step: "status",
        output: answer.trim(),
        unchanged: true,
      });
    }
    const byName = new Map(servers.map((server) => [server.name, server]));
    const missing = COLORS.flatMap((color) => this.servers(color).map((name) => ({ color, name }))).filter(({ name }) => !byName.has(name));
    if (missing.length > 0) {
      const list = missing.map(({ color, name }) => `${name} (router.colors.${color})`).join(", ");
      throw new RouterError(
        `backend '${backend}' has no server ${list}; it has: ${servers.map((s) => s.name).join(", ") || "none"}. Nothing was changed`,
        { step: "status", unchanged: true },
      );
    }
    return byName;
  }

  private servers(color: Color): readonly string[] {
    return this.config.colors[color];
  }

  private ref(server: string): string {
    return `${this.config.backend}/${server}`;
  }

  close(): Promise<void> {
    return this.host.close();
  }
}

function isReadyWith(server: ServerState | undefined, weight: number): boolean {
  return server !== undefined && adminStateName(server) === "ready" && server.weight === weight;
}
