import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError, processEnvironment } from "@cutover/core";
import type { KubeConfig } from "@kubernetes/client-node";
import { defineProvider, type RouterContext } from "../router-provider.js";
import { type KubernetesClients, KubernetesRouter } from "./kubernetes-router.js";
import { type KubernetesRouterConfig, kubernetesRouterSchema } from "./kubernetes-schema.js";

/** The router-env variable holding a kubeconfig (YAML, or base64 of it) for `auth: kubeconfig`. */
export const KUBECONFIG_DATA = "KUBECONFIG_DATA";

export const kubernetesProvider = defineProvider({
  name: "kubernetes",
  schema: kubernetesRouterSchema,
  async create(config, context) {
    // Loaded here, not at the top: actions that never use this provider do not pay for the client.
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    const source = loadCredentials(kc, config, context);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw ConfigError.single({ input: "router", path: "context", expected: "a kubeconfig context that names a cluster" });
    const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
    const namespace = config.namespace ?? contextNamespace ?? "default";
    const clients: KubernetesClients = {
      core: kc.makeApiClient(k8s.CoreV1Api),
      discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
      custom: kc.makeApiClient(k8s.CustomObjectsApi),
      options(signal, contentType) {
        // client-node has no per-call signal option; a middleware sets it on the request context.
        const middleware = contentType
          ? k8s.setHeaderMiddleware("Content-Type", contentType)
          : k8s.setHeaderMiddleware("Accept", "application/json");
        const pre = middleware.pre;
        middleware.pre = (request) => {
          request.setSignal(signal);
          return pre(request);
        };
        return { middleware: [middleware], middlewareMergeStrategy: "append" };
      },
      server: cluster.server,
      source,
    };
    return new KubernetesRouter(config, namespace, clients);
  },
});

/** Fills `kc` from the configured source; returns a description of it (never a credential). */
function loadCredentials(kc: KubeConfig, config: KubernetesRouterConfig, context: RouterContext): string {
  const env = context.env ?? {};
  const runnerEnv = context.runnerEnv ?? processEnvironment();
  if (config.auth === "in-cluster") {
    if (!runnerEnv.KUBERNETES_SERVICE_HOST) {
      throw ConfigError.single({
        input: "router",
        path: "auth",
        given: "in-cluster",
        expected: "a runner inside the cluster (KUBERNETES_SERVICE_HOST is not set), or auth: current-context / kubeconfig",
      });
    }
    kc.loadFromCluster();
    return "in-cluster service account";
  }
  if (config.auth === "kubeconfig") {
    const data = env[KUBECONFIG_DATA]?.trim();
    if (!data) {
      throw ConfigError.single({
        input: "router-env",
        path: KUBECONFIG_DATA,
        expected: "the kubeconfig (YAML, or base64 of it) because router.auth is kubeconfig",
      });
    }
    const text = /^[A-Za-z0-9+/=\s]+$/.test(data) ? Buffer.from(data, "base64").toString("utf8") : data;
    try {
      kc.loadFromString(text);
    } catch (error) {
      // Never quote the value: it holds credentials.
      throw ConfigError.single({
        input: "router-env",
        path: KUBECONFIG_DATA,
        given: "(secret)",
        expected: `a kubeconfig that parses (${(error as Error).name})`,
      });
    }
    useContext(kc, config);
    return `kubeconfig from router-env (context ${kc.getCurrentContext()})`;
  }
  const path = (env.KUBECONFIG ?? runnerEnv.KUBECONFIG ?? join(homedir(), ".kube", "config")).split(":").find((p) => p && existsSync(p));
  if (!path) {
    throw ConfigError.single({
      input: "router",
      path: "auth",
      given: "current-context",
      expected:
        "a kubeconfig on the runner ($KUBECONFIG or ~/.kube/config, e.g. from a cloud login action), or auth: kubeconfig with router-env KUBECONFIG_DATA",
    });
  }
  kc.loadFromFile(path);
  useContext(kc, config);
  return `kubeconfig context ${kc.getCurrentContext()}`;
}

function useContext(kc: KubeConfig, config: KubernetesRouterConfig): void {
  if (!config.context) return;
  if (!kc.getContextObject(config.context)) {
    const known = kc.getContexts().map((c) => c.name);
    throw ConfigError.single({
      input: "router",
      path: "context",
      given: config.context,
      expected: `one of the kubeconfig's contexts: ${known.join(", ") || "(none)"}`,
    });
  }
  kc.setCurrentContext(config.context);
}
