import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeElbv2 } from "./elbv2-api.js";

// Errors are checked by `Code`, the API error code on the wire (`name` is the SDK class for modeled ones).
// The fake must answer in the Query protocol's shapes the SDK parses, and refuse what ELBv2
// refuses (from the API reference), or the router tests built on it prove nothing.
let alb: FakeElbv2;
let client: ElasticLoadBalancingV2Client;
let listenerArn: string;
let blue: string;
let green: string;

beforeEach(async () => {
  alb = await FakeElbv2.start();
  client = new ElasticLoadBalancingV2Client({
    region: "eu-west-1",
    endpoint: alb.url,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIAFAKEDEPLOYER0001", secretAccessKey: "fake" },
  });
  ({ listenerArn } = alb.addLoadBalancer("shop"));
  blue = alb.addTargetGroup("shop-blue", [{ id: "127.0.0.1", port: 9001, state: "healthy" }]);
  green = alb.addTargetGroup("shop-green", [{ id: "127.0.0.1", port: 9002, state: "initial" }]);
});
afterEach(async () => {
  client.destroy();
  await alb.close();
});

const forward = (groups: { TargetGroupArn: string; Weight?: number }[]) => [
  { Type: "forward" as const, ForwardConfig: { TargetGroups: groups } },
];
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: { Code: string; name: string; message: string; $metadata: { httpStatusCode: number } }) => e,
  );

describe("fake ELBv2 Query API", () => {
  it("answers DescribeListeners and ModifyListener in the XML shapes the SDK parses", async () => {
    await client.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: forward([
          { TargetGroupArn: blue, Weight: 3 },
          { TargetGroupArn: green, Weight: 0 },
        ]),
      }),
    );
    const out = await client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(out.Listeners?.[0]).toMatchObject({ ListenerArn: listenerArn, Port: 80, Protocol: "HTTP" });
    expect(out.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: blue, Weight: 3 },
      { TargetGroupArn: green, Weight: 0 },
    ]);
    const raw = alb.calls.find((c) => c.action === "ModifyListener")?.params ?? {};
    expect(raw["DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight"]).toBe("0");
  });

  it("enforces weights 0..999, at most 5 distinct, existing target groups of one load balancer", async () => {
    const tooHeavy = await failure(
      client.send(
        new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward([{ TargetGroupArn: blue, Weight: 1000 }]) }),
      ),
    );
    expect(tooHeavy).toMatchObject({ Code: "ValidationError", $metadata: { httpStatusCode: 400 } });
    expect(tooHeavy?.message).toContain(
      "'defaultActions.1.member.forwardConfig.targetGroups.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 999",
    );
    const twice = await failure(
      client.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: forward([{ TargetGroupArn: blue }, { TargetGroupArn: blue }]),
        }),
      ),
    );
    expect(twice?.Code).toBe("ValidationError");
    const six = Array.from({ length: 6 }, (_, i) => ({ TargetGroupArn: alb.addTargetGroup(`tg-${i}`, []) }));
    expect((await failure(client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward(six) }))))?.Code).toBe(
      "TooManyTargetGroups",
    );
    const missing = `${blue.slice(0, -4)}ffff`;
    expect(
      (
        await failure(
          client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward([{ TargetGroupArn: missing }]) })),
        )
      )?.Code,
    ).toBe("TargetGroupNotFound");
    const { listenerArn: otherListener } = alb.addLoadBalancer("other");
    alb.forward(otherListener, [{ TargetGroupArn: green }]);
    expect(
      (
        await failure(
          client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward([{ TargetGroupArn: green }]) })),
        )
      )?.Code,
    ).toBe("TargetGroupAssociationLimit");
    expect((await failure(client.send(new DescribeListenersCommand({ ListenerArns: [`${listenerArn}0`] }))))?.Code).toBe(
      "ListenerNotFound",
    );
  });

  it("reports targets of a target group no action forwards to as unused, weight 0 counting as in use", async () => {
    const health = async (arn: string) =>
      (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions;
    expect((await health(green))?.[0]?.TargetHealth).toEqual({
      State: "unused",
      Reason: "Target.NotInUse",
      Description: expect.any(String),
    });
    alb.forward(listenerArn, [
      { TargetGroupArn: blue, Weight: 1 },
      { TargetGroupArn: green, Weight: 0 },
    ]);
    expect((await health(green))?.[0]).toMatchObject({
      Target: { Id: "127.0.0.1", Port: 9002 },
      TargetHealth: { State: "initial", Reason: "Elb.InitialHealthChecking" },
    });
    expect((await health(blue))?.[0]?.TargetHealth?.State).toBe("healthy");
  });

  it("refuses the default rule through ModifyRule and unknown rules", async () => {
    const defaultRule = `${listenerArn.replace(":listener/", ":listener-rule/")}/0123456789abcdef`;
    expect(
      (await failure(client.send(new ModifyRuleCommand({ RuleArn: defaultRule, Actions: forward([{ TargetGroupArn: blue }]) }))))?.Code,
    ).toBe("OperationNotPermitted");
    expect(
      (
        await failure(
          client.send(new ModifyRuleCommand({ RuleArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/x/1/2/3" })),
        )
      )?.Code,
    ).toBe("RuleNotFound");
  });

  it("answers Throttling, AccessDenied and bad credentials as ELBv2 does", async () => {
    alb.throttle(1);
    const throttled = await failure(client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })));
    expect(throttled).toMatchObject({ Code: "Throttling", message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
    alb.denied.add("DescribeListeners");
    const denied = await failure(client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })));
    expect(denied).toMatchObject({ Code: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    expect(denied?.message).toContain(`elasticloadbalancing:DescribeListeners on resource: ${listenerArn}`);
    const unsigned = await fetch(alb.url, { method: "POST", body: "Action=DescribeListeners&Version=2015-12-01" });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>MissingAuthenticationToken</Code>");
    const wrongRegion = new ElasticLoadBalancingV2Client({
      region: "us-east-1",
      endpoint: alb.url,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIAFAKEDEPLOYER0001", secretAccessKey: "x" },
    });
    expect((await failure(wrongRegion.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))))?.Code).toBe(
      "SignatureDoesNotMatch",
    );
    wrongRegion.destroy();
  });
});
