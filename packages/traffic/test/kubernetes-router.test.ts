import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, structuredInput, toConfigIssues } from "@cutover/core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FakeKubernetes } from "../../../test/fakes/kubernetes-api.js";
import { createRouter, RouterError, routerSchema } from "../src/index.js";
import type { KubernetesRouter } from "../src/kubernetes/kubernetes-router.js";

// The router drives the real @kubernetes/client-node against the fake API server over HTTP.
const input = structuredInput(routerSchema);
let k8s: FakeKubernetes;

// The provider imports the client on first use; loading it once here keeps that one-off cost
// (seconds on a busy machine) out of the first test's time budget.
beforeAll(async () => {
  await import("@kubernetes/client-node");
}, 180_000);

beforeEach(async () => {
  k8s = await FakeKubernetes.start();
  k8s.addService("shop", "app", { app: "shop", color: "blue" });
  k8s.addService("shop", "app-blue", { app: "shop", color: "blue" });
  k8s.addService("shop", "app-green", { app: "shop", color: "green" });
  k8s.addPod("shop", { name: "blue-1", labels: { app: "shop", color: "blue" }, address: "127.0.0.1:9001", ready: true });
  k8s.addPod("shop", { name: "green-1", labels: { app: "shop", color: "green" }, address: "127.0.0.1:9002", ready: true });
  k8s.addPod("shop", { name: "green-2", labels: { app: "shop", color: "green" }, address: "127.0.0.1:9003", ready: true });
});
afterEach(async () => {
  await k8s.close();
});

const SELECTOR_BLOCK = `
provider: kubernetes
namespace: shop
auth: kubeconfig
service: app
colors: { blue: app-blue, green: app-green }
ready-timeout: 2s
settle-timeout: 3s
`;

const ROUTE_BLOCK = `
provider: kubernetes
namespace: shop
auth: kubeconfig
route: app
colors: { blue: app-blue, green: app-green }
ready-timeout: 2s
`;

async function open(block: string, token?: string): Promise<KubernetesRouter> {
  return (await createRouter(input.parse(block), { env: { KUBECONFIG_DATA: k8s.kubeconfig(token) } })) as KubernetesRouter;
}

function selectorOf(service: string): Record<string, string> {
  const spec = k8s.get("services", "shop", service)?.spec as { selector: Record<string, string> } | undefined;
  return spec?.selector ?? {};
}

function addRoute(blue: number, green: number) {
  k8s.addHttpRoute("shop", "app", {
    parentRefs: [{ name: "public" }],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [
          { name: "app-blue", port: 80, weight: blue },
          { name: "app-green", port: 80, weight: green },
        ],
      },
    ],
  });
}

describe("kubernetes router: Service selector", () => {
  it("reports status and weights from the selector, and switches it after the new color is ready", async () => {
    const router = await open(SELECTOR_BLOCK);
    expect(router.describe()).toBe(
      `kubernetes Service shop/app selector color (blue: Service app-blue, green: Service app-green) at ${k8s.url} via kubeconfig from router-env (context fake)`,
    );
    expect(await router.status()).toBe("blue");
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
    const result = await router.switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true, weights: { blue: 0, green: 100 } });
    expect(result.steps.map((s) => [s.name, s.ok, s.output])).toEqual([
      ["ready-green", true, "2 of 2 endpoints ready"],
      ["patch-selector", true, "color=green"],
      ["settle", true, "2 of 2 endpoints are green's"],
    ]);
    expect(selectorOf("app")).toEqual({ app: "shop", color: "green" });
    const patch = k8s.requests.find((r) => r.method === "PATCH");
    expect(patch?.contentType).toBe("application/strategic-merge-patch+json");
    expect(JSON.parse(patch?.body ?? "{}").metadata.resourceVersion).toMatch(/^\d+$/);
    expect(await router.status()).toBe("green");
    expect((await router.switchTo("green")).changed).toBe(false);
  });

  it("returns only once the Service's endpoints are the new color's", async () => {
    k8s.controllerDelayMs = 1_500;
    const router = await open(SELECTOR_BLOCK);
    const result = await router.switchTo("green");
    const settle = result.steps.find((s) => s.name === "settle");
    expect(settle?.ok).toBe(true);
    const slices = k8s
      .list("endpointslices", "shop")
      .filter((s) => (s.metadata as { labels: Record<string, string> }).labels["kubernetes.io/service-name"] === "app");
    const pods = slices.flatMap((s) => (s.endpoints as { targetRef: { name: string } }[]).map((e) => e.targetRef.name));
    expect(pods.sort()).toEqual(["green-1", "green-2"]);
  });

  it("refuses to switch to a color without ready endpoints, touching nothing", async () => {
    k8s.setPodReady("shop", "green-1", false);
    k8s.setPodReady("shop", "green-2", false);
    const router = await open(SELECTOR_BLOCK.replace("ready-timeout: 2s", "ready-timeout: 1ms"));
    const error = await router.switchTo("green").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).message).toBe(
      "kubernetes: refusing to send traffic to green: Service shop/app-green has 0 ready of 2 endpoints (EndpointSlices) after ready-timeout; traffic not moved",
    );
    expect((error as RouterError).details).toMatchObject({ step: "ready-green", unchanged: true });
    expect(k8s.requests.some((r) => r.method === "PATCH")).toBe(false);
  });

  it("re-reads and retries after 409 Conflict, a bounded number of times", async () => {
    k8s.writeConcurrently("services", "shop", "app", 2);
    const router = await open(SELECTOR_BLOCK);
    expect((await router.switchTo("green")).active).toBe("green");
    expect(k8s.requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([409, 409, 200]);

    k8s.writeConcurrently("services", "shop", "app", 10);
    const stubborn = await open(`${SELECTOR_BLOCK}conflict-retries: 1\n`);
    const error = (await stubborn.switchTo("blue").catch((e: unknown) => e)) as RouterError;
    expect(error.message).toContain("kept changing under us (409 Conflict");
    expect(error.details.unchanged).toBe(true);
    expect(k8s.requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([409, 409, 200, 409, 409]);
  });

  it("explains an RBAC refusal: which verb on which resource the credentials lack", async () => {
    k8s.denied.add("patch services");
    const router = await open(SELECTOR_BLOCK);
    const error = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error).toBeInstanceOf(RouterError);
    expect(error.message).toBe(
      'kubernetes RBAC: the credentials may not patch services/app in namespace shop (403 Forbidden: services "app" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "services" in API group "" in the namespace "shop"). Grant verb "patch" on resource "services" (apiGroups: [""]) in namespace shop with a Role and RoleBinding.',
    );
    k8s.denied.add("list endpointslices");
    const listing = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(listing.message).toContain('Grant verb "list" on resource "endpointslices" (apiGroups: ["discovery.k8s.io"])');
  });

  it("says when the credentials are not accepted", async () => {
    const router = await open(SELECTOR_BLOCK, "stolen-or-expired");
    await expect(router.status()).rejects.toThrow(`kubernetes API at ${k8s.url} did not accept the credentials (401 Unauthorized)`);
  });

  it("waits out 429 TooManyRequests (Retry-After) instead of failing", async () => {
    k8s.throttle(2, 0);
    const router = await open(SELECTOR_BLOCK);
    expect(await router.status()).toBe("blue");
    expect(k8s.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("puts the selector back when the Service never reaches the new color's endpoints", async () => {
    // A Service whose selector also needs a label the green pods lack: it selects nobody after the switch.
    k8s.addService("shop", "app", { app: "shop", color: "blue", tier: "web" });
    k8s.addPod("shop", { name: "blue-web", labels: { app: "shop", color: "blue", tier: "web" }, address: "127.0.0.1:9004", ready: true });
    const router = await open(SELECTOR_BLOCK.replace("settle-timeout: 3s", "settle-timeout: 1ms"));
    const error = (await router.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error.message).toContain(
      "did not reach green's endpoints within settle-timeout (0 of 0 endpoints are green's); selector restored to blue",
    );
    expect(error.details.unchanged).toBe(true);
    expect(selectorOf("app").color).toBe("blue");
  });

  it("refuses split weights without an HTTPRoute, as a configuration error", async () => {
    const router = await open(SELECTOR_BLOCK);
    await expect(router.setWeights({ blue: 90, green: 10 })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("kubernetes router: HTTPRoute weights", () => {
  it("moves traffic in steps through backendRefs weights with merge patches", async () => {
    addRoute(1, 0);
    const router = await open(ROUTE_BLOCK);
    expect(router.describe()).toContain("kubernetes HTTPRoute shop/app (blue: Service app-blue, green: Service app-green)");
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
    const step = await router.setWeights({ blue: 90, green: 10 });
    expect(step).toMatchObject({ previous: "blue", active: "blue", changed: true, weights: { blue: 90, green: 10 } });
    expect(step.steps.map((s) => s.name)).toEqual(["ready-green", "patch-route"]);
    const route = k8s.get("httproutes", "shop", "app") as {
      spec: { rules: { backendRefs: { weight: number }[]; matches: unknown }[]; parentRefs: unknown };
    };
    expect(route.spec.rules[0]?.backendRefs.map((r) => r.weight)).toEqual([90, 10]);
    expect(route.spec.rules[0]?.matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
    expect(k8s.requests.filter((r) => r.method === "PATCH").every((r) => r.contentType === "application/merge-patch+json")).toBe(true);
    expect(await router.status()).toBe("blue");

    // A tie reports the color that had all traffic before the split.
    await router.setWeights({ blue: 50, green: 50 });
    expect(await router.status()).toBe("blue");
    const done = await router.switchTo("green");
    expect(done).toMatchObject({ previous: "blue", active: "green", weights: { blue: 0, green: 100 } });
    expect(await router.weights()).toEqual({ blue: 0, green: 100 });
  });

  it("adds the missing color's backendRef beside its sibling", async () => {
    k8s.addHttpRoute("shop", "app", { rules: [{ backendRefs: [{ name: "app-blue", port: 8080 }] }] });
    const router = await open(ROUTE_BLOCK);
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
    await router.setWeights({ blue: 75, green: 25 });
    const route = k8s.get("httproutes", "shop", "app") as { spec: { rules: { backendRefs: unknown[] }[] } };
    expect(route.spec.rules[0]?.backendRefs).toEqual([
      { name: "app-blue", port: 8080, weight: 75 },
      { name: "app-green", port: 8080, weight: 25 },
    ]);
  });

  it("refuses a step to a color with no ready endpoints", async () => {
    addRoute(100, 0);
    k8s.setPodReady("shop", "green-1", false);
    k8s.setPodReady("shop", "green-2", false);
    const router = await open(ROUTE_BLOCK.replace("ready-timeout: 2s", "ready-timeout: 1ms"));
    await expect(router.setWeights({ blue: 90, green: 10 })).rejects.toThrow("refusing to send traffic to green");
    expect(await router.weights()).toEqual({ blue: 100, green: 0 });
  });

  it("retries conflicts on the HTTPRoute and explains RBAC on the custom resource", async () => {
    addRoute(100, 0);
    k8s.writeConcurrently("httproutes", "shop", "app", 1);
    const router = await open(ROUTE_BLOCK);
    expect((await router.setWeights({ blue: 50, green: 50 })).changed).toBe(true);
    expect(k8s.requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([409, 200]);
    k8s.denied.add("patch httproutes");
    await expect(router.switchTo("green")).rejects.toThrow(
      'Grant verb "patch" on resource "httproutes" (apiGroups: ["gateway.networking.k8s.io"]) in namespace shop',
    );
  });

  it("says when the Gateway API is not installed or the route is missing", async () => {
    const router = await open(ROUTE_BLOCK);
    await expect(router.status()).rejects.toThrow("httproutes.gateway.networking.k8s.io/app in namespace shop not found (404");
  });
});

describe("kubernetes router block", () => {
  function problems(yaml: string): string[] {
    const result = input.safeParse(yaml);
    if (result.success) return [];
    return toConfigIssues("router", parse(yaml), result.error.issues).map((i) => `${i.path}: ${i.expected}`);
  }

  it("is validated before any call: one of service or route, names, labels", () => {
    expect(problems(SELECTOR_BLOCK)).toEqual([]);
    expect(problems(`${SELECTOR_BLOCK}route: app\n`)).toEqual([
      "route: exactly one of service (switch a Service's selector) or route (weights on an HTTPRoute)",
    ]);
    expect(problems(SELECTOR_BLOCK.replace("service: app", "service: App_1"))[0]).toMatch(/^service: a Kubernetes name/);
    expect(problems(`${SELECTOR_BLOCK}color-label: "bad label!"\n`)[0]).toMatch(/^color-label: a label key/);
    expect(problems(SELECTOR_BLOCK.replace("auth: kubeconfig", "auth: magic"))[0]).toMatch(/^auth: /);
    expect(problems(`${SELECTOR_BLOCK}replicas: 3\n`)).toHaveLength(1);
  });

  it("names the missing credentials without touching the cluster", async () => {
    const config = input.parse(SELECTOR_BLOCK);
    await expect(createRouter(config, { env: {} })).rejects.toThrow("input 'router-env' at KUBECONFIG_DATA: nothing was given");
    const missingFile = input.parse(SELECTOR_BLOCK.replace("auth: kubeconfig", "auth: current-context"));
    await expect(createRouter(missingFile, { env: { KUBECONFIG: "/nonexistent/kubeconfig" } })).rejects.toThrow("input 'router' at auth");
    expect(k8s.requests).toEqual([]);
  });

  it("uses the runner's current kubeconfig context, and a named context", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cutover-kube-"));
    try {
      const file = join(dir, "config");
      writeFileSync(file, k8s.kubeconfig());
      const block = SELECTOR_BLOCK.replace("auth: kubeconfig", "auth: current-context");
      const router = await createRouter(input.parse(block), { env: { KUBECONFIG: file } });
      expect(await router.status()).toBe("blue");
      expect(router.describe()).toContain("via kubeconfig context fake");
      await expect(createRouter(input.parse(`${block}context: prod\n`), { env: { KUBECONFIG: file } })).rejects.toThrow(
        "input 'router' at context: got prod; expected one of the kubeconfig's contexts: fake",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts a base64 kubeconfig and never quotes it in errors", async () => {
    const config = input.parse(SELECTOR_BLOCK);
    const router = await createRouter(config, { env: { KUBECONFIG_DATA: Buffer.from(k8s.kubeconfig()).toString("base64") } });
    expect(await router.status()).toBe("blue");
    const error = (await createRouter(config, { env: { KUBECONFIG_DATA: "token: super-secret-value: [" } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain("super-secret-value");
  });
});
