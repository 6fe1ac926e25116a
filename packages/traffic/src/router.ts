import type { Color } from "./color.js";
import type { TrafficWeights } from "./traffic-weights.js";

/** One timed step of a switch (`write`, `test`, `reload`, `switch-command`, …). */
export interface SwitchStep {
  name: string;
  /** The command run, when the step ran one. */
  command?: string;
  durationMs: number;
  ok: boolean;
  /** Last lines of the command's output, for logs and errors. */
  output?: string;
}

/** What a switch did. */
export interface SwitchResult {
  /** The color that was active before; undefined when the router had none yet. */
  previous: Color | undefined;
  active: Color;
  /** False when the router already sent traffic to `active` exactly as configured. */
  changed: boolean;
  durationMs: number;
  steps: SwitchStep[];
  /** The shares after the call, when the router knows them. */
  weights?: TrafficWeights;
  /** What a person should know about this switch (e.g. nginx resetting idle keep-alive clients). */
  warnings?: string[];
}

export interface RouterCallOptions {
  /**
   * Cancels the call. A switch honours it only where stopping is safe: before anything is
   * written, or by undoing a written but not yet reloaded change. Once the change is being
   * applied it runs to completion (each command bounded by its own timeout).
   */
  signal?: AbortSignal;
}

/**
 * Where traffic goes. One implementation per provider (nginx, haproxy, command; later kubernetes,
 * aws-alb); the actions only ever see this interface.
 */
export interface Router {
  /** The `provider:` key this router was created from. */
  readonly provider: string;
  /**
   * The color receiving all traffic; when traffic is split, the color with the larger share (a
   * tie: the color that had all traffic before the split, else undefined). Undefined when the
   * router has never been switched.
   */
  status(options?: RouterCallOptions): Promise<Color | undefined>;
  /** Current shares; undefined when the router has never been switched. */
  weights(options?: RouterCallOptions): Promise<TrafficWeights | undefined>;
  /** Moves traffic to these shares atomically; `{blue:0, green:100}` equals switchTo("green"). */
  setWeights(weights: TrafficWeights, options?: RouterCallOptions): Promise<SwitchResult>;
  /** Sends all traffic to `color`, atomically: on any failure the previous state stays in place. */
  switchTo(color: Color, options?: RouterCallOptions): Promise<SwitchResult>;
  /** One line a person can read in a log: what is switched, where. Never holds secrets. */
  describe(): string;
  /** Frees what the router holds (ssh connection, temporary key files). Safe to call twice. */
  close(): Promise<void>;
}
