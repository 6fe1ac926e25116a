import { durationValue } from "@cutover/core";
import { z } from "zod";

const ARN_PREFIX = "arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:";

const listenerArn = z.string().regex(new RegExp(`^${ARN_PREFIX}listener/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+$`), {
  message: "an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)",
});
const ruleArn = z.string().regex(new RegExp(`^${ARN_PREFIX}listener-rule/app/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+/[0-9a-f]+$`), {
  message:
    "an Application Load Balancer listener rule ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<name>/<id>/<id>/<id>)",
});
const targetGroupArn = z.string().regex(new RegExp(`^${ARN_PREFIX}targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$`), {
  message: "a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)",
});

/**
 * The `router` block for `provider: aws-alb`: a listener's default action, or one listener rule,
 * forwards to the two colors' target groups by weight. Exactly one of `listener-arn`, `rule-arn`.
 * The region is the ARN's.
 */
export const awsAlbRouterSchema = z
  .strictObject({
    provider: z.literal("aws-alb"),
    "listener-arn": listenerArn.optional(),
    "rule-arn": ruleArn.optional(),
    "target-groups": z.strictObject({ blue: targetGroupArn, green: targetGroupArn }),
    /** How long the new color's targets may take to be `healthy` before a switch is refused. */
    "health-timeout": durationValue.default(300_000),
    /** Attempts per API call, throttling and transient errors included (the SDK backs off between them). */
    "max-attempts": z.number().int().min(1).max(20).default(8),
    /** Upper bound for each API request. */
    "request-timeout": durationValue.default(30_000),
    /** Another ELBv2 endpoint (a VPC endpoint, LocalStack); default: the region's public endpoint. */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((block, ctx) => {
    if ((block["listener-arn"] === undefined) === (block["rule-arn"] === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: block["listener-arn"] === undefined ? ["listener-arn"] : ["rule-arn"],
        message: "exactly one of listener-arn (its default action) or rule-arn (one listener rule)",
      });
    }
    const [blue, green] = [block["target-groups"].blue, block["target-groups"].green];
    if (blue === green) ctx.addIssue({ code: "custom", path: ["target-groups", "green"], message: "a target group other than blue's" });
    const region = (arn: string | undefined) => arn?.split(":")[3];
    const listenerRegion = region(block["listener-arn"] ?? block["rule-arn"]);
    for (const color of ["blue", "green"] as const) {
      if (listenerRegion && region(block["target-groups"][color]) !== listenerRegion) {
        ctx.addIssue({
          code: "custom",
          path: ["target-groups", color],
          message: `a target group in the listener's region (${listenerRegion})`,
        });
      }
    }
  });

export type AwsAlbRouterConfig = z.output<typeof awsAlbRouterSchema>;
