import type { Action, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { abortReason, sleep } from "@cutover/core";
import { COLORS, type Color } from "../color.js";
import { sharesOf } from "../relative-weights.js";
import type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "../router.js";
import { RouterError } from "../router-error.js";
import { allTo, dominantColor, formatWeights, sameWeights, type TrafficWeights, trafficWeightsSchema } from "../traffic-weights.js";
import type { AwsAlbRouterConfig } from "./aws-alb-schema.js";
import type { Elbv2Calls } from "./elbv2-calls.js";

const POLL_MS = 1_000;

/**
 * Moves traffic between two target groups of an Application Load Balancer: the forward action of a
 * listener (or listener rule) holds both, and a switch or a step only changes their weights. A
 * color must have all its targets `healthy` (DescribeTargetHealth) before it gets more traffic.
 */
export class AwsAlbRouter implements Router {
  readonly provider = "aws-alb";

  constructor(
    private readonly config: AwsAlbRouterConfig,
    private readonly calls: Elbv2Calls & { close(): void },
  ) {}

  /** Targets sit behind their target groups; the ALB hides which address serves a color. */
  colorAddress(): string | undefined {
    return undefined;
  }

  describe(): string {
    const target = this.config["listener-arn"] ? `listener ${this.config["listener-arn"]}` : `listener rule ${this.config["rule-arn"]}`;
    const name = (arn: string) => arn.split(":").at(-1);
    return `aws-alb ${target} (blue: ${name(this.config["target-groups"].blue)}, green: ${name(this.config["target-groups"].green)}) in ${this.calls.where}`;
  }

  async status(options: RouterCallOptions = {}): Promise<Color | undefined> {
    const weights = await this.weights(options);
    return weights ? dominantColor(weights) : undefined;
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    return this.weightsIn(await this.calls.readActions("status", options.signal));
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(requested: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const weights = trafficWeightsSchema.parse(requested);
    const started = performance.now();
    const steps: SwitchStep[] = [];
    const actions = await this.calls.readActions("status", options.signal);
    const before = this.weightsIn(actions);
    const previous = before ? dominantColor(before) : undefined;
    const active = dominantColor(weights, previous) ?? (weights.blue > 0 ? "blue" : "green");
    if (sameWeights(before, weights)) return { previous, active, changed: false, durationMs: performance.now() - started, steps, weights };
    const forward = this.forwardAction(actions);
    for (const color of COLORS) {
      if (weights[color] > (before?.[color] ?? 0)) steps.push(await this.waitUntilHealthy(color, options.signal));
    }
    if (options.signal?.aborted) throw abortReason(options.signal);

    // Both target groups stay in the forward action (weight 0 included): the ALB keeps health-checking
    // the idle color, so the next switch can see it is healthy.
    const next: Action = {
      Type: "forward",
      ...(forward?.Order === undefined ? {} : { Order: forward.Order }),
      ForwardConfig: {
        TargetGroups: COLORS.map((color) => ({ TargetGroupArn: this.config["target-groups"][color], Weight: weights[color] })),
        ...(forward?.ForwardConfig?.TargetGroupStickinessConfig
          ? { TargetGroupStickinessConfig: forward.ForwardConfig.TargetGroupStickinessConfig }
          : {}),
      },
    };
    // Other actions (authenticate-oidc before the forward, say) are written back as they were.
    const written = forward ? actions.map((a) => (a === forward ? next : a)) : [...actions.filter((a) => !isTerminal(a)), next];
    const modifyStarted = performance.now();
    try {
      await this.calls.writeActions(written);
    } catch (error) {
      const now = await this.calls.readActions("status").then(
        (a) => this.weightsIn(a),
        () => undefined,
      );
      if (error instanceof RouterError) {
        throw new RouterError(error.message, {
          ...error.details,
          unchanged: sameWeights(now, before) || (now === undefined && before === undefined),
        });
      }
      throw error;
    }
    steps.push({ name: "modify", durationMs: performance.now() - modifyStarted, ok: true, output: formatWeights(weights) });
    // Trust, but check: the ALB must now report the shares just written.
    const after = this.weightsIn(await this.calls.readActions("verify"));
    if (!sameWeights(after, weights)) {
      throw new RouterError(
        `aws-alb: after the change the forward action reports ${after ? formatWeights(after) : "no color"}, not ${formatWeights(weights)}`,
        {
          step: "verify",
          unchanged: sameWeights(after, before),
        },
      );
    }
    return { previous, active, changed: true, durationMs: performance.now() - started, steps, weights };
  }

  async close(): Promise<void> {
    this.calls.close();
  }

  private forwardAction(actions: Action[]): Action | undefined {
    return actions.find((a) => a.Type === "forward");
  }

  /** Shares of the two colors in the forward action; undefined when it forwards to neither. */
  private weightsIn(actions: Action[]): TrafficWeights | undefined {
    const forward = this.forwardAction(actions);
    if (!forward) return undefined;
    const groups = forward.ForwardConfig?.TargetGroups ?? (forward.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn }] : []);
    const strangers = groups.filter((g) => !COLORS.some((c) => this.config["target-groups"][c] === g.TargetGroupArn));
    if (strangers.length > 0) {
      throw new RouterError(
        `aws-alb: the forward action also sends traffic to ${strangers.map((g) => g.TargetGroupArn).join(", ")}, which is neither blue's nor green's target group; cutover will not rewrite it`,
        { step: "status", unchanged: true },
      );
    }
    const weightOf = (color: Color) =>
      groups.filter((g) => g.TargetGroupArn === this.config["target-groups"][color]).reduce((sum, g) => sum + (g.Weight ?? 1), 0);
    return sharesOf({ blue: weightOf("blue"), green: weightOf("green") });
  }

  /** Waits (bounded by health-timeout) until every target of `color`'s target group is healthy. */
  private async waitUntilHealthy(color: Color, signal?: AbortSignal): Promise<SwitchStep> {
    const started = performance.now();
    const arn = this.config["target-groups"][color];
    const deadline = started + this.config["health-timeout"];
    for (;;) {
      const targets = await this.calls.targetHealth(arn, signal);
      const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy").length;
      const summary = `${healthy} of ${targets.length} targets healthy`;
      if (targets.length > 0 && healthy === targets.length) {
        return { name: `healthy-${color}`, durationMs: performance.now() - started, ok: true, output: summary };
      }
      if (performance.now() + POLL_MS > deadline) {
        throw new RouterError(
          `aws-alb: refusing to send traffic to ${color}: target group ${arn} has ${summary} after health-timeout${unhealthyDetail(targets)}; traffic not moved`,
          {
            step: `healthy-${color}`,
            output: summary,
            unchanged: true,
          },
        );
      }
      await sleep(POLL_MS, signal);
    }
  }
}

/** Actions after which no other runs (forward, redirect, fixed-response): replaced by the new forward. */
function isTerminal(action: Action): boolean {
  return action.Type === "forward" || action.Type === "redirect" || action.Type === "fixed-response";
}

function unhealthyDetail(targets: TargetHealthDescription[]): string {
  if (targets.length === 0) return " (no targets registered)";
  const unused = targets.some((t) => t.TargetHealth?.State === "unused");
  const first = targets.find((t) => t.TargetHealth?.State !== "healthy");
  const reason = first
    ? ` (${first.Target?.Id}:${first.Target?.Port} ${first.TargetHealth?.State}: ${first.TargetHealth?.Reason ?? "?"})`
    : "";
  return unused
    ? `${reason}; the ALB health-checks a target group only while a listener or rule forwards to it: add it to the forward action with weight 0 first`
    : reason;
}
