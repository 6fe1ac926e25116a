import { structuredInput, toConfigIssues } from "@cutover/core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FakeElbv2 } from "../../../test/fakes/elbv2-api.js";
import type { AwsAlbRouter } from "../src/aws-alb/aws-alb-router.js";
import { createRouter, type Router, RouterError, routerSchema } from "../src/index.js";

// The router drives the real @aws-sdk/client-elastic-load-balancing-v2 against the fake over HTTP.
const input = structuredInput(routerSchema);
const KEYS = { AWS_ACCESS_KEY_ID: "AKIAFAKEDEPLOYER0001", AWS_SECRET_ACCESS_KEY: "fake-secret-access-key" };
let alb: FakeElbv2;
let listenerArn: string;
let blue: string;
let green: string;
const opened: Router[] = [];

// The provider imports the SDK on first use; loading it once here keeps that one-off cost out of
// the first test's time budget.
beforeAll(async () => {
  await import("@aws-sdk/client-elastic-load-balancing-v2");
}, 180_000);

beforeEach(async () => {
  alb = await FakeElbv2.start();
  ({ listenerArn } = alb.addLoadBalancer("shop"));
  blue = alb.addTargetGroup("shop-blue", [{ id: "127.0.0.1", port: 9001, state: "healthy" }]);
  green = alb.addTargetGroup("shop-green", [
    { id: "127.0.0.1", port: 9002, state: "healthy" },
    { id: "127.0.0.1", port: 9003, state: "healthy" },
  ]);
  alb.forward(listenerArn, [
    { TargetGroupArn: blue, Weight: 1 },
    { TargetGroupArn: green, Weight: 0 },
  ]);
});
afterEach(async () => {
  for (const router of opened.splice(0)) await router.close();
  await alb.close();
});

function block(extra = "", target = `listener-arn: ${listenerArn}`): string {
  return [
    `provider: aws-alb`,
    target,
    `target-groups: { blue: "${blue}", green: "${green}" }`,
    `endpoint: ${alb.url}`,
    "health-timeout: 2s",
    extra,
  ].join("\n");
}

async function open(text: string, env: Record<string, string> = KEYS): Promise<AwsAlbRouter> {
  const router = (await createRouter(input.parse(text), { env })) as AwsAlbRouter;
  opened.push(router);
  return router;
}

const modifies = () => alb.calls.filter((c) => c.action === "ModifyListener" || c.action === "ModifyRule");

describe("aws-alb router", () => {
  it("reports status and weights and switches after the new color's targets are healthy", async () => {
    const router = await open(block());
    expect(router.describe()).toBe(
      `aws-alb listener ${listenerArn} (blue: targetgroup/shop-blue/${blue.split("/").at(-1)}, green: targetgroup/shop-green/${green.split("/").at(-1)}) in eu-west-1 via ${alb.url}`,
    );
    expect(await router.status()).toBe("blue");
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
    const result = await router.switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true, weights: { blue: 0, green: 100 } });
    expect(result.steps.map((s) => [s.name, s.output])).toEqual([
      ["healthy-green", "2 of 2 targets healthy"],
      ["modify", "blue=0,green=100"],
    ]);
    expect(alb.weightsOf(listenerArn)).toEqual({ [blue]: 0, [green]: 100 });
    expect(await router.status()).toBe("green");
    expect((await router.switchTo("green")).changed).toBe(false);
    expect(modifies()).toHaveLength(1);
  });

  it("moves traffic in steps by weights", async () => {
    const router = await open(block());
    for (const [b, g] of [
      [90, 10],
      [50, 50],
      [0, 100],
    ] as const) {
      const result = await router.setWeights({ blue: b, green: g });
      expect(result.weights).toEqual({ blue: b, green: g });
      expect(alb.weightsOf(listenerArn)).toEqual({ [blue]: b, [green]: g });
    }
    expect(await router.weights()).toEqual({ blue: 0, green: 100 });
  });

  it("drives a listener rule with ModifyRule", async () => {
    const ruleArn = alb.addRule(listenerArn, 10, [{ TargetGroupArn: blue, Weight: 5 }]);
    const router = await open(block("", `rule-arn: ${ruleArn}`));
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
    await router.setWeights({ blue: 80, green: 20 });
    expect(alb.weightsOf(ruleArn)).toEqual({ [blue]: 80, [green]: 20 });
    expect(modifies().map((c) => c.action)).toEqual(["ModifyRule"]);
  });

  it("refuses a color whose targets are not healthy, and explains unused target groups", async () => {
    alb.setTargetState(green, "unhealthy");
    const router = await open(block().replace("health-timeout: 2s", "health-timeout: 1ms"));
    const error = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error).toBeInstanceOf(RouterError);
    expect(error.message).toBe(
      `aws-alb: refusing to send traffic to green: target group ${green} has 0 of 2 targets healthy after health-timeout (127.0.0.1:9002 unhealthy: Target.FailedHealthChecks); traffic not moved`,
    );
    expect(error.details).toMatchObject({ step: "healthy-green", unchanged: true });

    alb.setTargetState(green, "healthy");
    alb.forward(listenerArn, [{ TargetGroupArn: blue, Weight: 1 }]);
    const unused = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(unused.message).toContain(
      "unused: Target.NotInUse); the ALB health-checks a target group only while a listener or rule forwards to it",
    );
    expect(modifies()).toEqual([]);
  });

  it("rides out throttling with the SDK's backoff, and names code and ARN when it persists", async () => {
    alb.throttle(2);
    const router = await open(block());
    expect((await router.switchTo("green")).changed).toBe(true);
    expect(alb.calls.slice(0, 3).map((c) => c.code ?? c.status)).toEqual(["Throttling", "Throttling", 200]);

    alb.throttle(100);
    const impatient = await open(block("max-attempts: 2"));
    const error = (await impatient.status().catch((e: unknown) => e)) as RouterError;
    expect(error.message).toBe(
      `aws-alb: DescribeListeners on ${listenerArn} failed: Throttling (HTTP 400) after 2 attempts: Rate exceeded. The API kept throttling; raise router max-attempts or retry later.`,
    );
  });

  it("names the API, the ARN and the code when IAM refuses, leaving traffic as it was", async () => {
    alb.denied.add("ModifyListener");
    const router = await open(block());
    const error = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error.message).toBe(
      `aws-alb: ModifyListener on ${listenerArn} failed: AccessDenied (HTTP 403): User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: elasticloadbalancing:ModifyListener on resource: ${listenerArn} because no identity-based policy allows the elasticloadbalancing:ModifyListener action. The role needs elasticloadbalancing:ModifyListener on ${listenerArn}.`,
    );
    expect(error.details.unchanged).toBe(true);
    expect(alb.weightsOf(listenerArn)).toEqual({ [blue]: 1, [green]: 0 });
  });

  it("refuses unknown credentials and a forward action it does not own", async () => {
    const stranger = await open(block(), { AWS_ACCESS_KEY_ID: "AKIAUNKNOWN000000000", AWS_SECRET_ACCESS_KEY: "x" });
    await expect(stranger.status()).rejects.toThrow("failed: InvalidClientTokenId (HTTP 403)");
    const other = alb.addTargetGroup("shop-canary", []);
    alb.forward(listenerArn, [{ TargetGroupArn: blue }, { TargetGroupArn: other }]);
    const router = await open(block());
    await expect(router.switchTo("green")).rejects.toThrow(`also sends traffic to ${other}, which is neither blue's nor green's`);
    expect(modifies()).toEqual([]);
  });
});

describe("aws-alb router block", () => {
  function problems(yaml: string): string[] {
    const result = input.safeParse(yaml);
    if (result.success) return [];
    return toConfigIssues("router", parse(yaml), result.error.issues).map((i) => `${i.path}: ${i.expected}`);
  }

  it("is validated before any call", () => {
    expect(problems(block())).toEqual([]);
    expect(problems(block(`rule-arn: ${listenerArn.replace(":listener/", ":listener-rule/")}/0123abcd`))).toEqual([
      "rule-arn: exactly one of listener-arn (its default action) or rule-arn (one listener rule)",
    ]);
    expect(problems(block("", "listener-arn: arn:aws:elasticloadbalancing:eu-west-1:123:listener/x"))[0]).toMatch(
      /^listener-arn: an Application Load Balancer listener ARN/,
    );
    expect(problems(block().replace(`green: "${green}"`, `green: "${blue}"`))).toEqual([
      "target-groups.green: a target group other than blue's",
    ]);
    expect(problems(block().replace(`green: "${green}"`, `green: "${green.replace("eu-west-1", "us-east-1")}"`))).toEqual([
      "target-groups.green: a target group in the listener's region (eu-west-1)",
    ]);
    expect(problems(block("max-attempts: 0"))[0]).toMatch(/^max-attempts: /);
    expect(alb.calls).toEqual([]);
  });
});
