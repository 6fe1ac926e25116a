import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake of the Kubernetes API server for what the kubernetes router uses: core/v1 Services,
 * discovery.k8s.io/v1 EndpointSlices (kept by a built-in stand-in for the EndpointSlice
 * controller, from Pods the test declares), and gateway.networking.k8s.io/v1 HTTPRoutes (a CRD).
 * A real HTTP server on 127.0.0.1 that enforces what the API server enforces, written from the
 * API reference independently of @cutover/traffic:
 *
 * - bearer-token authentication (401) and per-verb, per-resource authorization (403), with the
 *   real Status objects (`kind: Status`, `reason`, `details`, `code`) and messages;
 * - PATCH content types: strategic merge patch for built-in types, JSON merge patch for all,
 *   and 415 for strategic merge patch on a custom resource (CRDs have no patch strategies);
 * - optimistic concurrency: a patch carrying `metadata.resourceVersion` that is not the current
 *   one is refused with 409 Conflict; every write bumps the resourceVersion;
 * - the HTTPRoute schema's rules the router can break (backendRef weight 0..1000000, port required
 *   for a Service backend, at most 16 rules and 16 backendRefs), refused with 422 Invalid;
 * - label selectors on list calls; 404 NotFound for missing objects and unknown paths;
 * - 429 TooManyRequests with Retry-After (API priority and fairness), on demand.
 */

export interface FakePod {
  name: string;
  labels: Record<string, string>;
  /** Where the pod listens, `127.0.0.1:PORT` here (a pod IP and container port in a cluster). */
  address: string;
  ready: boolean;
  terminating?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  status: number;
  body: string;
}

type Json = Record<string, unknown>;
type Verb = "get" | "list" | "patch" | "update" | "create" | "delete" | "watch";

/** A Kubernetes object as the fake stores it (group/version/plural locate its REST path). */
interface Stored {
  plural: string;
  group: string;
  object: Json;
}

const CONTENT = {
  json: "application/json",
  jsonPatch: "application/json-patch+json",
  mergePatch: "application/merge-patch+json",
  strategicMergePatch: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
const MAX_WEIGHT = 1_000_000;
const MAX_RULES = 16;
const MAX_BACKEND_REFS = 16;

export class FakeKubernetes {
  /** Bearer token → user name (`system:serviceaccount:<ns>:<name>` for service accounts). */
  readonly tokens = new Map<string, string>([["fake-token-deployer", "system:serviceaccount:ci:deployer"]]);
  /** `verb resource` pairs (e.g. `patch services`) refused to every user. */
  readonly denied = new Set<string>();
  readonly requests: FakeRequest[] = [];
  readonly pods = new Map<string, FakePod & { namespace: string }>();
  /** Delay before the EndpointSlice controller reflects a change (0: at once, as a sync step). */
  controllerDelayMs = 0;
  url = "";
  private readonly objects = new Map<string, Stored>();
  private resourceVersion = 1000;
  private throttled: { times: number; retryAfterSeconds: number } = { times: 0, retryAfterSeconds: 1 };
  private concurrentWrites = new Map<string, number>();
  private controllerTimer: NodeJS.Timeout | undefined;
  private readonly server = createServer((req, res) => this.receive(req, res));
  private readonly fronts: Server[] = [];

  static async start(): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes();
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** A kubeconfig (YAML) pointing at this fake (plain http on loopback) with `token`. */
  kubeconfig(token = "fake-token-deployer", namespace = "default"): string {
    return [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: fake",
      "  cluster:",
      `    server: ${this.url}`,
      // client-node refuses plain http unless told to skip TLS verification; the fake has no TLS.
      "    insecure-skip-tls-verify: true",
      "users:",
      "- name: deployer",
      "  user:",
      `    token: ${token}`,
      "contexts:",
      "- name: fake",
      "  context:",
      "    cluster: fake",
      "    user: deployer",
      `    namespace: ${namespace}`,
      "current-context: fake",
      "",
    ].join("\n");
  }

  /** Creates a Service selecting `selector`, with one port forwarding to the pods' port. */
  addService(namespace: string, name: string, selector: Record<string, string>): void {
    this.store("services", "", namespace, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels: {} },
      spec: { selector, ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }], type: "ClusterIP" },
    });
    this.reconcile();
  }

  /** Creates an HTTPRoute (spec as given, validated like the CRD would). */
  addHttpRoute(namespace: string, name: string, spec: Json): void {
    const object = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name, namespace }, spec };
    const invalid = validateHttpRoute(object);
    if (invalid.length > 0) throw new Error(`invalid HTTPRoute: ${invalid.join("; ")}`);
    this.store("httproutes", "gateway.networking.k8s.io", namespace, object);
  }

  addPod(namespace: string, pod: FakePod): void {
    this.pods.set(`${namespace}/${pod.name}`, { ...pod, namespace });
    this.reconcile();
  }

  setPodReady(namespace: string, name: string, ready: boolean): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) throw new Error(`no pod ${namespace}/${name}`);
    pod.ready = ready;
    this.reconcile();
  }

  /** The stored object (a copy), or undefined. */
  get(plural: "services" | "httproutes" | "endpointslices", namespace: string, name: string): Json | undefined {
    const stored = this.objects.get(key(plural, namespace, name));
    return stored ? structuredClone(stored.object) : undefined;
  }

  list(plural: "endpointslices", namespace: string): Json[] {
    return [...this.objects.values()]
      .filter((s) => s.plural === plural && (s.object.metadata as Json).namespace === namespace)
      .map((s) => structuredClone(s.object));
  }

  /** The next `times` requests get 429 TooManyRequests with Retry-After. */
  throttle(times: number, retryAfterSeconds = 1): void {
    this.throttled = { times, retryAfterSeconds };
  }

  /**
   * Another writer (a controller, a person with kubectl) changes the object just before each of
   * the next `times` patches of it reaches the fake, so a patch based on what was read conflicts.
   */
  writeConcurrently(plural: "services" | "httproutes", namespace: string, name: string, times: number): void {
    this.concurrentWrites.set(key(plural, namespace, name), times);
  }

  /**
   * What kube-proxy does for a Service: an HTTP front that forwards each request (on a fresh
   * connection) to a ready endpoint of the Service's EndpointSlices, with `headers` added.
   */
  async serviceUrl(namespace: string, service: string, headers: Record<string, string> = {}): Promise<string> {
    const front = createServer((req, res) => {
      const endpoints = this.list("endpointslices", namespace)
        .filter((slice) => ((slice.metadata as Json).labels as Record<string, string>)[SERVICE_NAME_LABEL] === service)
        .flatMap((slice) =>
          (slice.endpoints as { addresses: string[]; conditions: { ready: boolean } }[])
            .filter((e) => e.conditions.ready)
            .map((e) => ({ host: e.addresses[0], port: (slice.ports as { port: number }[])[0]?.port })),
        );
      const endpoint = endpoints[Math.floor(Math.random() * endpoints.length)];
      if (!endpoint) {
        res.writeHead(503).end(`fake kube-proxy: Service ${namespace}/${service} has no ready endpoints`);
        return;
      }
      const upstream = request(
        {
          hostname: endpoint.host,
          port: endpoint.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, ...headers },
          agent: false,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end("fake kube-proxy: endpoint unreachable"));
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    this.fronts.push(front);
    return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    clearTimeout(this.controllerTimer);
    for (const server of [this.server, ...this.fronts]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private store(plural: string, group: string, namespace: string, object: Json): void {
    const metadata = object.metadata as Json;
    metadata.namespace = namespace;
    metadata.resourceVersion = String(++this.resourceVersion);
    metadata.uid ??= `uid-${plural}-${metadata.name as string}`;
    this.objects.set(key(plural, namespace, metadata.name as string), { plural, group, object });
  }

  /** The EndpointSlice controller: one slice per Service and port, endpoints from matching pods. */
  private reconcile(): void {
    const run = () => {
      for (const [id, stored] of this.objects) if (stored.plural === "endpointslices") this.objects.delete(id);
      for (const stored of [...this.objects.values()]) {
        if (stored.plural !== "services") continue;
        const service = stored.object;
        const { name, namespace } = service.metadata as { name: string; namespace: string };
        const selector = (service.spec as Json).selector as Record<string, string> | undefined;
        if (!selector || Object.keys(selector).length === 0) continue;
        const byPort = new Map<string, FakePod[]>();
        for (const pod of this.pods.values()) {
          if (pod.namespace !== namespace) continue;
          if (!Object.entries(selector).every(([k, v]) => pod.labels[k] === v)) continue;
          const port = pod.address.split(":")[1] ?? "80";
          byPort.set(port, [...(byPort.get(port) ?? []), pod]);
        }
        let index = 0;
        for (const [port, pods] of byPort) {
          const sliceName = `${name}-${(index++).toString(36).padStart(5, "x")}`;
          this.store("endpointslices", "discovery.k8s.io", namespace, {
            apiVersion: "discovery.k8s.io/v1",
            kind: "EndpointSlice",
            metadata: { name: sliceName, namespace, labels: { [SERVICE_NAME_LABEL]: name } },
            addressType: "IPv4",
            ports: [{ name: "http", port: Number(port), protocol: "TCP" }],
            endpoints: pods.map((pod) => ({
              addresses: [pod.address.split(":")[0]],
              conditions: { ready: pod.ready && !pod.terminating, serving: pod.ready, terminating: pod.terminating ?? false },
              targetRef: { kind: "Pod", name: pod.name, namespace },
            })),
          });
        }
      }
    };
    if (this.controllerDelayMs <= 0) {
      run();
      return;
    }
    clearTimeout(this.controllerTimer);
    this.controllerTimer = setTimeout(run, this.controllerDelayMs);
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const reply = (status: number, payload: Json, headers: Record<string, string> = {}) => {
        this.requests.push({
          method: req.method ?? "",
          path: url.pathname,
          query: url.search,
          contentType: req.headers["content-type"],
          status,
          body,
        });
        res.writeHead(status, { "content-type": CONTENT.json, ...headers });
        res.end(JSON.stringify(payload));
      };
      try {
        const answer = this.handle(req, url, body);
        reply(answer.status, answer.body, answer.headers);
      } catch (error) {
        reply(500, status(500, "InternalError", `fake: ${(error as Error).message}`));
      }
    });
  }

  private handle(req: IncomingMessage, url: URL, body: string): { status: number; body: Json; headers?: Record<string, string> } {
    const auth = req.headers.authorization ?? "";
    const user = auth.startsWith("Bearer ") ? this.tokens.get(auth.slice(7)) : undefined;
    if (!user) return { status: 401, body: status(401, "Unauthorized", "Unauthorized") };
    if (this.throttled.times > 0) {
      this.throttled.times--;
      const seconds = this.throttled.retryAfterSeconds;
      return {
        status: 429,
        body: status(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds: seconds }),
        headers: { "retry-after": String(seconds) },
      };
    }
    const route = parsePath(url.pathname);
    if (!route) return { status: 404, body: status(404, "NotFound", "the server could not find the requested resource") };
    const method = req.method ?? "GET";
    const verb: Verb | undefined =
      method === "GET" ? (route.name ? "get" : "list") : method === "PATCH" ? "patch" : method === "PUT" ? "update" : undefined;
    if (!verb || (verb !== "list" && !route.name)) {
      return { status: 405, body: status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`) };
    }
    const groupText = route.group === "" ? '""' : `"${route.group}"`;
    const resourceRef = route.name
      ? `${route.plural}${route.group ? `.${route.group}` : ""} "${route.name}"`
      : `${route.plural}${route.group ? `.${route.group}` : ""}`;
    if (this.denied.has(`${verb} ${route.plural}`)) {
      const message = `${resourceRef} is forbidden: User "${user}" cannot ${verb} resource "${route.plural}" in API group ${groupText} in the namespace "${route.namespace}"`;
      return { status: 403, body: status(403, "Forbidden", message, { name: route.name, group: route.group, kind: route.plural }) };
    }
    if (verb === "list") {
      const selector = parseLabelSelector(url.searchParams.get("labelSelector") ?? "");
      if (selector instanceof Error)
        return { status: 400, body: status(400, "BadRequest", `unable to parse requirement: ${selector.message}`) };
      const items = [...this.objects.values()]
        .filter((s) => s.plural === route.plural && s.group === route.group && (s.object.metadata as Json).namespace === route.namespace)
        .map((s) => s.object)
        .filter((o) => selector.every(([k, v]) => ((o.metadata as Json).labels as Record<string, string> | undefined)?.[k] === v));
      return {
        status: 200,
        body: {
          apiVersion: route.apiVersion,
          kind: `${route.kind}List`,
          metadata: { resourceVersion: String(this.resourceVersion) },
          items,
        },
      };
    }
    const id = key(route.plural, route.namespace, route.name as string);
    const stored = this.objects.get(id);
    const notFound = () => ({
      status: 404,
      body: status(404, "NotFound", `${resourceRef} not found`, { name: route.name, group: route.group, kind: route.plural }),
    });
    if (!stored || stored.group !== route.group) return notFound();
    if (verb === "get") return { status: 200, body: stored.object };

    // PATCH
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    const custom = route.group === "gateway.networking.k8s.io";
    const accepted: string[] = custom
      ? [CONTENT.jsonPatch, CONTENT.mergePatch, CONTENT.apply]
      : [CONTENT.jsonPatch, CONTENT.mergePatch, CONTENT.strategicMergePatch, CONTENT.apply];
    if (!accepted.includes(contentType)) {
      return {
        status: 415,
        body: status(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
        ),
      };
    }
    if (contentType === CONTENT.jsonPatch || contentType === CONTENT.apply) {
      return {
        status: 500,
        body: status(500, "InternalError", `fake: ${contentType} is accepted by the API but not implemented by this fake`),
      };
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (error) {
      return { status: 400, body: status(400, "BadRequest", `error decoding patch: ${(error as Error).message}`) };
    }
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
      return { status: 400, body: status(400, "BadRequest", "json: cannot unmarshal into Go value of type map[string]interface {}") };
    }
    const pendingWrites = this.concurrentWrites.get(id) ?? 0;
    if (pendingWrites > 0) {
      this.concurrentWrites.set(id, pendingWrites - 1);
      (stored.object.metadata as Json).resourceVersion = String(++this.resourceVersion);
    }
    const wanted = ((patch as Json).metadata as Json | undefined)?.resourceVersion;
    const current = (stored.object.metadata as Json).resourceVersion;
    if (wanted !== undefined && wanted !== current) {
      const kindName = custom ? `${route.plural}.${route.group}` : route.plural;
      return {
        status: 409,
        body: status(
          409,
          "Conflict",
          `Operation cannot be fulfilled on ${kindName} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name: route.name, group: route.group, kind: route.plural },
        ),
      };
    }
    // Strategic merge patch of the fields the router touches (maps) merges like a JSON merge patch.
    const next = mergePatch(structuredClone(stored.object), patch) as Json;
    (next.metadata as Json).resourceVersion = current;
    (next.metadata as Json).name = route.name;
    if (custom) {
      const invalid = validateHttpRoute(next);
      if (invalid.length > 0) {
        return {
          status: 422,
          body: status(422, "Invalid", `HTTPRoute.gateway.networking.k8s.io "${route.name}" is invalid: ${invalid.join(", ")}`, {
            name: route.name,
            group: route.group,
            kind: "HTTPRoute",
            causes: invalid.map((message) => ({ reason: "FieldValueInvalid", message })),
          }),
        };
      }
    } else {
      const invalid = validateService(next);
      if (invalid.length > 0) {
        return {
          status: 422,
          body: status(422, "Invalid", `Service "${route.name}" is invalid: ${invalid.join(", ")}`, { name: route.name, kind: "Service" }),
        };
      }
    }
    this.store(route.plural, route.group, route.namespace, next);
    if (route.plural === "services") this.reconcile();
    return { status: 200, body: next };
  }
}

interface ParsedPath {
  group: string;
  apiVersion: string;
  kind: string;
  plural: string;
  namespace: string;
  name?: string;
}

const RESOURCES: Record<string, { group: string; version: string; kind: string }> = {
  services: { group: "", version: "v1", kind: "Service" },
  endpointslices: { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice" },
  httproutes: { group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute" },
};

/** `/api/v1/namespaces/{ns}/{plural}[/{name}]` and `/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]`. */
function parsePath(path: string): ParsedPath | undefined {
  const core = /^\/api\/v1\/namespaces\/([a-z0-9-]+)\/([a-z]+)(?:\/([a-z0-9.-]+))?$/.exec(path);
  const grouped = /^\/apis\/([a-z0-9.-]+)\/(v1)\/namespaces\/([a-z0-9-]+)\/([a-z]+)(?:\/([a-z0-9.-]+))?$/.exec(path);
  const [group, namespace, plural, name] = core
    ? ["", core[1], core[2], core[3]]
    : grouped
      ? [grouped[1], grouped[3], grouped[4], grouped[5]]
      : [];
  const resource = plural ? RESOURCES[plural] : undefined;
  if (!resource || resource.group !== group || !namespace || !plural) return undefined;
  return {
    group,
    apiVersion: group ? `${group}/${resource.version}` : resource.version,
    kind: resource.kind,
    plural,
    namespace,
    ...(name ? { name } : {}),
  };
}

/** Equality-based selectors (`a=b,c==d`), the form the router sends. */
function parseLabelSelector(text: string): [string, string][] | Error {
  if (text.trim() === "") return [];
  const out: [string, string][] = [];
  for (const part of text.split(",")) {
    const match = /^\s*([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!match) return new Error(`unsupported selector term ${JSON.stringify(part)} (this fake knows only key=value)`);
    out.push([match[1] as string, match[2] as string]);
  }
  return out;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const result: Json = target !== null && typeof target === "object" && !Array.isArray(target) ? (target as Json) : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validateService(service: Json): string[] {
  const selector = ((service.spec as Json | undefined)?.selector ?? {}) as Record<string, unknown>;
  return Object.entries(selector)
    .filter(([, v]) => typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v))
    .map(
      ([k, v]) =>
        `spec.selector: Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters (label ${k})`,
    );
}

/** The HTTPRoute v1 CRD's OpenAPI and CEL rules for rules and backendRefs. */
function validateHttpRoute(route: Json): string[] {
  const errors: string[] = [];
  const rules = (route.spec as Json | undefined)?.rules;
  if (rules === undefined) return errors;
  if (!Array.isArray(rules)) return ["spec.rules: Invalid value: must be of type array"];
  if (rules.length > MAX_RULES) errors.push(`spec.rules: Too many: ${rules.length}: must have at most ${MAX_RULES} items`);
  rules.forEach((rule: Json, i) => {
    const refs = rule.backendRefs;
    if (refs === undefined) return;
    if (!Array.isArray(refs)) {
      errors.push(`spec.rules[${i}].backendRefs: Invalid value: must be of type array`);
      return;
    }
    if (refs.length > MAX_BACKEND_REFS)
      errors.push(`spec.rules[${i}].backendRefs: Too many: ${refs.length}: must have at most ${MAX_BACKEND_REFS} items`);
    refs.forEach((ref: Json, j) => {
      const at = `spec.rules[${i}].backendRefs[${j}]`;
      if (typeof ref.name !== "string" || ref.name.length < 1 || ref.name.length > 253) errors.push(`${at}.name: Required value`);
      const weight = ref.weight;
      if (weight !== undefined && (!Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > MAX_WEIGHT)) {
        errors.push(
          `${at}.weight: Invalid value: ${JSON.stringify(weight)}: ${at}.weight in body should be less than or equal to ${MAX_WEIGHT} and greater than or equal to 0`,
        );
      }
      const kind = ref.kind ?? "Service";
      const group = ref.group ?? "";
      if (kind === "Service" && group === "" && ref.port === undefined)
        errors.push(`${at}: Invalid value: "object": Must have port for Service reference`);
    });
  });
  return errors;
}

function status(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

function key(plural: string, namespace: string, name: string): string {
  return `${plural}/${namespace}/${name}`;
}
