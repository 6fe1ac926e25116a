import { afterAll, describe, expect, it } from "vitest";
import { PUBLIC_HEADER, type SampleFleet } from "../../examples/sandbox/sample-fleet.js";
import { FakeElbv2 } from "../fakes/elbv2-api.js";
import { FakeKubernetes } from "../fakes/kubernetes-api.js";
import { type PipelineRig, type RigRouter, startPipelineRig, step } from "./pipeline-rig.js";

// deploy.yml itself, run by the sandbox executor, with the native router providers (the real
// @kubernetes/client-node and AWS SDK inside the dist/ bundles) against the fakes, whose data
// planes (kube-proxy, the ALB listener) forward users to the color the fake's state says. A good
// release swaps blue → green; a leaky one (500s under user traffic) fails the bake and deploy.yml
// rolls traffic back to green on its own.

async function kubernetesRouter(servers: SampleFleet["servers"]): Promise<RigRouter> {
  const k8s = await FakeKubernetes.start();
  k8s.addService("shop", "web", { app: "web", color: "blue" });
  k8s.addService("shop", "web-blue", { app: "web", color: "blue" });
  k8s.addService("shop", "web-green", { app: "web", color: "green" });
  k8s.addPod("shop", { name: "web-blue-1", labels: { app: "web", color: "blue" }, address: servers.blue, ready: true });
  k8s.addPod("shop", { name: "web-green-1", labels: { app: "web", color: "green" }, address: servers.green, ready: true });
  const publicUrl = await k8s.serviceUrl("shop", "web", { [PUBLIC_HEADER]: "1" });
  return {
    kind: "kubernetes (fake API server)",
    publicUrl,
    routerBlock: [
      "provider: kubernetes",
      "namespace: shop",
      "service: web",
      "colors: { blue: web-blue, green: web-green }",
      "auth: kubeconfig",
      "ready-timeout: 20s",
      "settle-timeout: 20s",
    ].join("\n"),
    routerEnv: `KUBECONFIG_DATA: ${Buffer.from(k8s.kubeconfig()).toString("base64")}`,
    close: () => k8s.close(),
  };
}

async function albRouter(servers: SampleFleet["servers"]): Promise<RigRouter> {
  const alb = await FakeElbv2.start();
  const { listenerArn } = alb.addLoadBalancer("shop");
  const target = (address: string) => ({
    id: address.split(":")[0] as string,
    port: Number(address.split(":")[1]),
    state: "healthy" as const,
  });
  const blue = alb.addTargetGroup("web-blue", [target(servers.blue)]);
  const green = alb.addTargetGroup("web-green", [target(servers.green)]);
  alb.forward(listenerArn, [
    { TargetGroupArn: blue, Weight: 1 },
    { TargetGroupArn: green, Weight: 0 },
  ]);
  const publicUrl = await alb.listenerUrl(listenerArn, { [PUBLIC_HEADER]: "1" });
  return {
    kind: "aws-alb (fake ELBv2 API)",
    publicUrl,
    routerBlock: [
      "provider: aws-alb",
      `listener-arn: ${listenerArn}`,
      `target-groups: { blue: "${blue}", green: "${green}" }`,
      `endpoint: ${alb.url}`,
      "health-deadline: 20s",
    ].join("\n"),
    routerEnv: "AWS_ACCESS_KEY_ID: AKIAFAKEDEPLOYER0001\nAWS_SECRET_ACCESS_KEY: fake-secret-for-the-fake",
    close: () => alb.close(),
  };
}

const rigs: PipelineRig[] = [];
afterAll(async () => {
  for (const rig of rigs) await rig.close();
});

describe.each([
  ["kubernetes", kubernetesRouter],
  ["aws-alb", albRouter],
] as const)("deploy.yml with provider %s against its fake", (provider, router) => {
  it("swaps to a good release, then rolls a leaky one back", async () => {
    const lines: string[] = [];
    const rig = await startPipelineRig({ prometheus: false, router, print: (line) => lines.push(line) });
    rigs.push(rig);
    const serving = async () =>
      (await (await fetch(rig.router.publicUrl, { signal: AbortSignal.timeout(5_000) })).json()) as { version: string; color: string };

    const good = await rig.deploy("2.0.0");
    expect(good.result.conclusion, lines.join("\n")).toBe("success");
    expect(good.result.outputs).toMatchObject({ outcome: "success", "active-color": "green", "previous-color": "blue", version: "2.0.0" });
    expect(await serving()).toMatchObject({ version: "2.0.0", color: "green" });
    const swap = JSON.parse(step(good.result, "swap").outputs.report ?? "{}");
    expect(JSON.stringify(swap)).toContain(provider);

    const leaky = await rig.deploy("3.0.0-leaky");
    expect(leaky.result.conclusion).toBe("failure");
    expect(leaky.result.outputs).toMatchObject({ outcome: "rolled-back", "active-color": "green" });
    expect(step(leaky.result, "swap").outputs["active-color"]).toBe("blue");
    expect(step(leaky.result, "bake").outcome).toBe("failure");
    expect(step(leaky.result, "swap-back").outputs["active-color"]).toBe("green");
    expect(await serving()).toMatchObject({ version: "2.0.0", color: "green" });
  }, 240_000);
});
