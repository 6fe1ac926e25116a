import type { Action, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { abortReason } from "@cutover/core";
import { RouterError } from "../router-error.js";
import type { AwsAlbRouterConfig } from "./aws-alb-schema.js";

/** The ELBv2 calls the aws-alb router makes, on a listener's default action or on one rule. */
export interface Elbv2Calls {
  /** The region (from the ARN) and endpoint, for messages. */
  where: string;
  readActions(step: string, signal?: AbortSignal): Promise<Action[]>;
  writeActions(actions: Action[]): Promise<void>;
  targetHealth(targetGroupArn: string, signal?: AbortSignal): Promise<TargetHealthDescription[]>;
}

/** What the SDK's service exceptions carry: the API error code as `name`, the HTTP status in $metadata. */
interface ServiceError {
  /** The API error code as ELBv2 sent it (`TargetGroupNotFound`); `name` is the SDK's class name for it. */
  Code?: string;
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * Makes the calls with @aws-sdk/client-elastic-load-balancing-v2, loaded on first use. Throttling
 * and transient errors are retried by the SDK's standard retry strategy (exponential backoff with
 * jitter, `max-attempts` in all); errors become RouterErrors naming the API, the ARN and the code.
 */
export async function openElbv2Calls(config: AwsAlbRouterConfig, env: Record<string, string>): Promise<Elbv2Calls & { close(): void }> {
  const sdk = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const arn = (config["listener-arn"] ?? config["rule-arn"]) as string;
  const region = arn.split(":")[3] as string;
  // router-env may carry keys (e.g. from a secret); otherwise the SDK's standard chain: the
  // environment configure-aws-credentials sets up (OIDC), shared config, container or instance role.
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const client = new sdk.ElasticLoadBalancingV2Client({
    region,
    maxAttempts: config["max-attempts"],
    retryMode: "standard",
    requestHandler: { requestTimeout: config["request-timeout"], connectionTimeout: Math.min(config["request-timeout"], 10_000) },
    ...(credentials ? { credentials } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
  const where = `${region}${config.endpoint ? ` via ${config.endpoint}` : ""}`;

  async function send<T>(
    api: string,
    target: string,
    step: string,
    unchanged: boolean,
    run: (signal?: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await run(signal);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw explainElbv2Error(error, api, target, step, unchanged);
    }
  }

  return {
    where,
    async readActions(step, signal) {
      if (config["listener-arn"]) {
        const listenerArn = config["listener-arn"];
        const out = await send(
          "DescribeListeners",
          listenerArn,
          step,
          true,
          (abortSignal) =>
            client.send(new sdk.DescribeListenersCommand({ ListenerArns: [listenerArn] }), abortSignal ? { abortSignal } : {}),
          signal,
        );
        return out.Listeners?.[0]?.DefaultActions ?? [];
      }
      const ruleArn = config["rule-arn"] as string;
      const out = await send(
        "DescribeRules",
        ruleArn,
        step,
        true,
        (abortSignal) => client.send(new sdk.DescribeRulesCommand({ RuleArns: [ruleArn] }), abortSignal ? { abortSignal } : {}),
        signal,
      );
      return out.Rules?.[0]?.Actions ?? [];
    },
    async writeActions(actions) {
      // Not cancellable once sent: the SDK's timeout bounds it, and the router reads back the result.
      if (config["listener-arn"]) {
        const listenerArn = config["listener-arn"];
        await send("ModifyListener", listenerArn, "modify", true, () =>
          client.send(new sdk.ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: actions })),
        );
        return;
      }
      const ruleArn = config["rule-arn"] as string;
      await send("ModifyRule", ruleArn, "modify", true, () =>
        client.send(new sdk.ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions })),
      );
    },
    async targetHealth(targetGroupArn, signal) {
      const out = await send(
        "DescribeTargetHealth",
        targetGroupArn,
        "health",
        true,
        (abortSignal) =>
          client.send(new sdk.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), abortSignal ? { abortSignal } : {}),
        signal,
      );
      return out.TargetHealthDescriptions ?? [];
    },
    close() {
      client.destroy();
    },
  };
}

/** `aws-alb: ModifyListener on <arn> failed: AccessDenied (HTTP 403): …`, with what to grant for AccessDenied. */
export function explainElbv2Error(error: unknown, api: string, arn: string, step: string, unchanged: boolean): RouterError {
  const e = error as ServiceError;
  const code = e?.Code ?? e?.name ?? "Error";
  const status = e?.$metadata?.httpStatusCode;
  const attempts = e?.$metadata?.attempts;
  const detail = `${code}${status ? ` (HTTP ${status})` : ""}${attempts && attempts > 1 ? ` after ${attempts} attempts` : ""}: ${e?.message ?? String(error)}`;
  const hint =
    code === "AccessDenied" || code === "AccessDeniedException" || code === "UnauthorizedOperation"
      ? `. The role needs elasticloadbalancing:${api} on ${arn}.`
      : code === "Throttling"
        ? ". The API kept throttling; raise router max-attempts or retry later."
        : "";
  return new RouterError(`aws-alb: ${api} on ${arn} failed: ${detail}${hint}`, { step, unchanged, output: `${code}: ${e?.message ?? ""}` });
}
