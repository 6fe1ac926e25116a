import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeKubernetes } from "./kubernetes-api.js";

// The fake must refuse what the API server refuses (from the API reference), or the router tests
// built on it prove nothing.
let k8s: FakeKubernetes;
const TOKEN = "fake-token-deployer";

beforeEach(async () => {
  k8s = await FakeKubernetes.start();
  k8s.addService("shop", "app", { app: "shop", color: "blue" });
  k8s.addPod("shop", { name: "blue-1", labels: { app: "shop", color: "blue" }, address: "127.0.0.1:9001", ready: true });
  k8s.addPod("shop", { name: "green-1", labels: { app: "shop", color: "green" }, address: "127.0.0.1:9002", ready: false });
});
afterEach(async () => {
  await k8s.close();
});

async function call(method: string, path: string, options: { body?: unknown; contentType?: string; token?: string | null } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${k8s.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.contentType ? { "content-type": options.contentType } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: Status objects and resources are read field by field below
    json: (await response.json()) as Record<string, any>,
  };
}

const SERVICE = "/api/v1/namespaces/shop/services/app";
const ROUTE = "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/app";

describe("fake Kubernetes API", () => {
  it("answers 401 without a known bearer token and 404 Status objects for missing objects and paths", async () => {
    expect((await call("GET", SERVICE, { token: null })).status).toBe(401);
    expect((await call("GET", SERVICE, { token: "other" })).json).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const missing = await call("GET", "/api/v1/namespaces/shop/services/nope");
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "NotFound",
      message: 'services "nope" not found',
      code: 404,
    });
    expect((await call("GET", "/api/v1/namespaces/shop/widgets/x")).status).toBe(404);
  });

  it("refuses a denied verb with a 403 Forbidden Status naming user, verb, resource, group and namespace", async () => {
    k8s.denied.add("patch services");
    expect((await call("GET", SERVICE)).status).toBe(200);
    const refused = await call("PATCH", SERVICE, {
      body: { spec: { selector: { color: "green" } } },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ reason: "Forbidden", code: 403, details: { name: "app", kind: "services" } });
    expect(refused.json.message).toBe(
      'services "app" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "services" in API group "" in the namespace "shop"',
    );
  });

  it("applies strategic merge and merge patches to a Service and bumps resourceVersion", async () => {
    const before = (await call("GET", SERVICE)).json;
    const patched = await call("PATCH", SERVICE, {
      body: { spec: { selector: { color: "green" } } },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(patched.status).toBe(200);
    expect(patched.json.spec.selector).toEqual({ app: "shop", color: "green" });
    expect(Number(patched.json.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    const merged = await call("PATCH", SERVICE, {
      body: { spec: { selector: { color: "blue" } } },
      contentType: "application/merge-patch+json",
    });
    expect(merged.json.spec.selector.color).toBe("blue");
    expect((await call("PATCH", SERVICE, { body: {}, contentType: "text/plain" })).status).toBe(415);
  });

  it("refuses a patch carrying a stale resourceVersion with 409 Conflict", async () => {
    const before = (await call("GET", SERVICE)).json;
    k8s.writeConcurrently("services", "shop", "app", 1);
    const body = { metadata: { resourceVersion: before.metadata.resourceVersion }, spec: { selector: { color: "green" } } };
    const conflict = await call("PATCH", SERVICE, { body, contentType: "application/strategic-merge-patch+json" });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ reason: "Conflict", code: 409 });
    expect(conflict.json.message).toContain("the object has been modified");
    const fresh = (await call("GET", SERVICE)).json;
    const ok = await call("PATCH", SERVICE, {
      body: { ...body, metadata: { resourceVersion: fresh.metadata.resourceVersion } },
      contentType: "application/strategic-merge-patch+json",
    });
    expect(ok.status).toBe(200);
  });

  it("keeps EndpointSlices of a Service in step with its selector and the pods' readiness", async () => {
    const slices = async (service: string) =>
      (
        await call(
          "GET",
          `/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`,
        )
      ).json;
    const blue = await slices("app");
    expect(blue.kind).toBe("EndpointSliceList");
    expect(blue.items).toHaveLength(1);
    expect(blue.items[0].endpoints).toEqual([
      {
        addresses: ["127.0.0.1"],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: "Pod", name: "blue-1", namespace: "shop" },
      },
    ]);
    await call("PATCH", SERVICE, { body: { spec: { selector: { color: "green" } } }, contentType: "application/merge-patch+json" });
    const green = await slices("app");
    expect(green.items[0].endpoints[0].targetRef.name).toBe("green-1");
    expect(green.items[0].endpoints[0].conditions.ready).toBe(false);
    k8s.setPodReady("shop", "green-1", true);
    expect((await slices("app")).items[0].endpoints[0].conditions.ready).toBe(true);
    expect((await slices("other")).items).toEqual([]);
  });

  it("treats HTTPRoute as a custom resource: no strategic merge patch, schema enforced with 422", async () => {
    k8s.addHttpRoute("shop", "app", {
      parentRefs: [{ name: "gateway" }],
      rules: [
        {
          backendRefs: [
            { name: "app-blue", port: 80, weight: 100 },
            { name: "app-green", port: 80, weight: 0 },
          ],
        },
      ],
    });
    const smp = await call("PATCH", ROUTE, { body: { spec: {} }, contentType: "application/strategic-merge-patch+json" });
    expect(smp.status).toBe(415);
    expect(smp.json.reason).toBe("UnsupportedMediaType");
    const rules = (weights: [number, number], port: { port?: number } = { port: 80 }) => ({
      spec: {
        rules: [
          {
            backendRefs: [
              { name: "app-blue", ...port, weight: weights[0] },
              { name: "app-green", ...port, weight: weights[1] },
            ],
          },
        ],
      },
    });
    const tooHeavy = await call("PATCH", ROUTE, { body: rules([1_000_001, 0]), contentType: "application/merge-patch+json" });
    expect(tooHeavy.status).toBe(422);
    expect(tooHeavy.json.message).toContain("spec.rules[0].backendRefs[0].weight");
    const noPort = await call("PATCH", ROUTE, { body: rules([50, 50], {}), contentType: "application/merge-patch+json" });
    expect(noPort.status).toBe(422);
    expect(noPort.json.message).toContain("Must have port for Service reference");
    const ok = await call("PATCH", ROUTE, { body: rules([10, 90]), contentType: "application/merge-patch+json" });
    expect(ok.status).toBe(200);
    expect(ok.json.spec.rules[0].backendRefs.map((r: { weight: number }) => r.weight)).toEqual([10, 90]);
    expect(ok.json.spec.parentRefs).toEqual([{ name: "gateway" }]);
  });

  it("throttles with 429 TooManyRequests and Retry-After", async () => {
    k8s.throttle(1, 2);
    const throttled = await call("GET", SERVICE);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("2");
    expect(throttled.json).toMatchObject({ reason: "TooManyRequests", details: { retryAfterSeconds: 2 } });
    expect((await call("GET", SERVICE)).status).toBe(200);
  });
});
