import { abortReason, ConfigError, retry, sleep } from "@cutover/core";
import type {
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  V1EndpointSlice,
  V1Service,
} from "@kubernetes/client-node";
import { COLORS, type Color, isColor, otherColor } from "../color.js";
import { sharesOf } from "../relative-weights.js";
import type { Router, RouterCallOptions, SwitchResult, SwitchStep } from "../router.js";
import { RouterError } from "../router-error.js";
import {
  allTo,
  dominantColor,
  formatWeights,
  sameWeights,
  soleColor,
  type TrafficWeights,
  trafficWeightsSchema,
} from "../traffic-weights.js";
import { explainKubernetesError, type KubernetesOperation, retryAfterSecondsOf, statusCodeOf } from "./kubernetes-api-error.js";
import type { KubernetesRouterConfig } from "./kubernetes-schema.js";

/** The client-node APIs the router uses, made from one KubeConfig by the provider. */
export interface KubernetesClients {
  core: CoreV1Api;
  discovery: DiscoveryV1Api;
  custom: CustomObjectsApi;
  /** Per-call options (content type, abort signal) built with client-node's middleware helpers. */
  options(signal: AbortSignal, contentType?: string): ConfigurationOptions;
  /** The API server URL, for messages. */
  server: string;
  /** Where the credentials came from (`kubeconfig context ci`, `in-cluster service account`), for describe(). */
  source: string;
}

const GATEWAY = { group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes" } as const;
const HTTPROUTES = `${GATEWAY.plural}.${GATEWAY.group}`;
const MERGE_PATCH = "application/merge-patch+json";
const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
/** Annotation recording which color had all traffic before a split, so a 50/50 status is not a guess. */
const BEFORE_SPLIT_ANNOTATION = "cutover.dev/before-split";
const POLL_MS = 1_000;
const TRANSIENT_RETRIES = 4;

interface BackendRef {
  name?: string;
  kind?: string;
  group?: string;
  namespace?: string;
  port?: number;
  weight?: number;
}
interface HttpRoute {
  metadata: { resourceVersion?: string; annotations?: Record<string, string> };
  spec?: { rules?: { backendRefs?: BackendRef[] }[] };
}

/**
 * Moves traffic between two colors on Kubernetes: a Service's selector (all at once) or a Gateway
 * API HTTPRoute's backendRefs weights (steps). Before traffic moves to a color, that color's own
 * Service must have ready endpoints; after a selector switch, the Service's endpoints must be the
 * new color's. Writes carry the resourceVersion they were based on and are retried on 409.
 */
export class KubernetesRouter implements Router {
  readonly provider = "kubernetes";

  constructor(
    private readonly config: KubernetesRouterConfig,
    private readonly namespace: string,
    private readonly clients: KubernetesClients,
  ) {}

  /** Pods answer inside the cluster; a runner outside it has no address to ask. */
  colorAddress(): string | undefined {
    return undefined;
  }

  describe(): string {
    const target = this.config.route
      ? `HTTPRoute ${this.namespace}/${this.config.route}`
      : `Service ${this.namespace}/${this.config.service} selector ${this.config["color-label"]}`;
    return `kubernetes ${target} (blue: Service ${this.config.colors.blue}, green: Service ${this.config.colors.green}) at ${this.clients.server} via ${this.clients.source}`;
  }

  async status(options: RouterCallOptions = {}): Promise<Color | undefined> {
    if (this.config.route) {
      const route = await this.readRoute(options.signal);
      const weights = this.routeWeights(route);
      return weights ? dominantColor(weights, beforeSplitOf(route)) : undefined;
    }
    return this.selectedColor(await this.readService(options.signal));
  }

  async weights(options: RouterCallOptions = {}): Promise<TrafficWeights | undefined> {
    if (this.config.route) return this.routeWeights(await this.readRoute(options.signal));
    const color = this.selectedColor(await this.readService(options.signal));
    return color ? allTo(color) : undefined;
  }

  switchTo(color: Color, options: RouterCallOptions = {}): Promise<SwitchResult> {
    return this.setWeights(allTo(color), options);
  }

  async setWeights(requested: TrafficWeights, options: RouterCallOptions = {}): Promise<SwitchResult> {
    const weights = trafficWeightsSchema.parse(requested);
    const started = performance.now();
    const steps: SwitchStep[] = [];
    if (this.config.route) return this.setRouteWeights(weights, started, steps, options.signal);

    const color = soleColor(weights);
    if (!color) {
      throw ConfigError.single({
        input: "router",
        path: "route",
        expected: `an HTTPRoute for weights (${formatWeights(weights)}): a Service selector sends all traffic to one color`,
      });
    }
    const before = await this.readService(options.signal);
    const previous = this.selectedColor(before);
    if (previous === color) {
      return { previous, active: color, changed: false, durationMs: performance.now() - started, steps, weights: allTo(color) };
    }
    steps.push(await this.waitUntilReady(color, options.signal));
    if (options.signal?.aborted) throw abortReason(options.signal);

    // From here on the switch runs to completion: each call is bounded by request-timeout only.
    const patchStarted = performance.now();
    await this.patchSelector(color, before);
    steps.push({
      name: "patch-selector",
      durationMs: performance.now() - patchStarted,
      ok: true,
      output: `${this.config["color-label"]}=${color}`,
    });
    const settle = await this.waitForServiceEndpoints(color);
    steps.push(settle);
    if (!settle.ok) {
      // The Service does not reach the new color's pods: put the selector back rather than leave it half done.
      const restored = previous
        ? await this.patchSelector(previous).then(
            () => true,
            () => false,
          )
        : false;
      throw new RouterError(
        `kubernetes: Service ${this.namespace}/${this.config.service} did not reach ${color}'s endpoints within settle-timeout (${settle.output}); ${restored ? `selector restored to ${previous}` : "selector left on the new color"}`,
        { step: "settle", output: settle.output ?? "", unchanged: restored },
      );
    }
    return { previous, active: color, changed: true, durationMs: performance.now() - started, steps, weights: allTo(color) };
  }

  async close(): Promise<void> {}

  private async setRouteWeights(
    weights: TrafficWeights,
    started: number,
    steps: SwitchStep[],
    signal?: AbortSignal,
  ): Promise<SwitchResult> {
    const before = await this.readRoute(signal);
    const previousWeights = this.routeWeights(before);
    const previous = previousWeights ? dominantColor(previousWeights, beforeSplitOf(before)) : undefined;
    const unchanged = sameWeights(previousWeights, weights);
    const active = dominantColor(weights, previous ?? undefined) ?? COLORS.find((c) => weights[c] > 0) ?? "blue";
    if (unchanged) return { previous, active, changed: false, durationMs: performance.now() - started, steps, weights };
    for (const color of COLORS) {
      if (weights[color] > (previousWeights?.[color] ?? 0)) steps.push(await this.waitUntilReady(color, signal));
    }
    if (signal?.aborted) throw abortReason(signal);
    const patchStarted = performance.now();
    await this.writeWithConflictRetries(
      { step: "patch-route", verb: "patch", resource: HTTPROUTES, name: this.config.route, namespace: this.namespace, unchanged: true },
      async (attempt) => {
        const current = attempt === 1 ? before : await this.readRoute();
        const fullBefore = COLORS.find((c) => this.routeWeights(current)?.[c] === 100);
        const annotations = fullBefore && weights[fullBefore] < 100 ? { [BEFORE_SPLIT_ANNOTATION]: fullBefore } : {};
        const body = {
          metadata: { resourceVersion: current.metadata.resourceVersion, ...(Object.keys(annotations).length ? { annotations } : {}) },
          spec: { rules: this.reweighRules(current, weights) },
        };
        await this.clients.custom.patchNamespacedCustomObject(
          { ...GATEWAY, namespace: this.namespace, name: this.config.route as string, body },
          this.clients.options(this.requestSignal(), MERGE_PATCH),
        );
      },
    );
    steps.push({ name: "patch-route", durationMs: performance.now() - patchStarted, ok: true, output: formatWeights(weights) });
    return { previous, active, changed: true, durationMs: performance.now() - started, steps, weights };
  }

  /** The route's rules with the two colors' backendRefs weighted; a missing color's ref is added beside its sibling. */
  private reweighRules(route: HttpRoute, weights: TrafficWeights): unknown[] {
    const names = this.config.colors;
    return (route.spec?.rules ?? []).map((rule) => {
      const refs = rule.backendRefs ?? [];
      const present = COLORS.filter((c) => refs.some((r) => isServiceRef(r, names[c])));
      if (present.length === 0) return rule;
      const out = refs.map((ref) => {
        const color = COLORS.find((c) => isServiceRef(ref, names[c]));
        return color ? { ...ref, weight: weights[color] } : ref;
      });
      for (const color of COLORS) {
        if (present.includes(color)) continue;
        const sibling = refs.find((r) => isServiceRef(r, names[otherColor(color)])) as BackendRef;
        out.push({ ...sibling, name: names[color], weight: weights[color] });
      }
      return { ...rule, backendRefs: out };
    });
  }

  /** Shares from the first rule that names a color's Service; undefined when none does. */
  private routeWeights(route: HttpRoute): TrafficWeights | undefined {
    for (const rule of route.spec?.rules ?? []) {
      const refs = rule.backendRefs ?? [];
      const weightOf = (color: Color) =>
        refs.filter((r) => isServiceRef(r, this.config.colors[color])).reduce((sum, r) => sum + (r.weight ?? 1), 0);
      if (COLORS.some((c) => refs.some((r) => isServiceRef(r, this.config.colors[c])))) {
        return sharesOf({ blue: weightOf("blue"), green: weightOf("green") });
      }
    }
    return undefined;
  }

  private selectedColor(service: V1Service): Color | undefined {
    const value = service.spec?.selector?.[this.config["color-label"]];
    return value && isColor(value) ? value : undefined;
  }

  /** Patches the selector's color label, based on `basis` (the Service as read) or a fresh read. */
  private async patchSelector(color: Color, basis?: V1Service): Promise<void> {
    const operation: KubernetesOperation = {
      step: "patch-selector",
      verb: "patch",
      resource: "services",
      name: this.config.service,
      namespace: this.namespace,
      unchanged: true,
    };
    await this.writeWithConflictRetries(operation, async (attempt) => {
      const current = attempt === 1 && basis ? basis : await this.readService();
      const body = {
        metadata: { resourceVersion: current.metadata?.resourceVersion },
        spec: { selector: { [this.config["color-label"]]: color } },
      };
      await this.clients.core.patchNamespacedService(
        { name: this.config.service as string, namespace: this.namespace, body },
        this.clients.options(this.requestSignal(), STRATEGIC_MERGE_PATCH),
      );
    });
  }

  /** Waits (bounded by ready-timeout) until `color`'s own Service has at least one ready endpoint. */
  private async waitUntilReady(color: Color, signal?: AbortSignal): Promise<SwitchStep> {
    const started = performance.now();
    const service = this.config.colors[color];
    const deadline = started + this.config["ready-timeout"];
    for (;;) {
      const slices = await this.listSlices(service, signal);
      const endpoints = slices.flatMap((s) => s.endpoints ?? []);
      // The API reference: a nil `ready` is an unknown state that consumers should treat as ready.
      const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
      if (ready > 0) {
        return {
          name: `ready-${color}`,
          durationMs: performance.now() - started,
          ok: true,
          output: `${ready} of ${endpoints.length} endpoints ready`,
        };
      }
      if (performance.now() + POLL_MS > deadline) {
        throw new RouterError(
          `kubernetes: refusing to send traffic to ${color}: Service ${this.namespace}/${service} has ${ready} ready of ${endpoints.length} endpoints (EndpointSlices) after ready-timeout; traffic not moved`,
          { step: `ready-${color}`, output: `${ready} of ${endpoints.length} endpoints ready`, unchanged: true },
        );
      }
      await sleep(POLL_MS, signal);
    }
  }

  /** After a selector switch: waits until the Service's ready endpoints are all `color`'s pods. */
  private async waitForServiceEndpoints(color: Color): Promise<SwitchStep> {
    const started = performance.now();
    const deadline = started + this.config["settle-timeout"];
    let output = "";
    for (;;) {
      const [live, wanted] = await Promise.all([
        this.listSlices(this.config.service as string),
        this.listSlices(this.config.colors[color]),
      ]);
      const wantedIds = new Set(wanted.flatMap(endpointIds));
      const liveIds = live.flatMap(endpointIds);
      const foreign = liveIds.filter((id) => !wantedIds.has(id));
      output = `${liveIds.length - foreign.length} of ${liveIds.length} endpoints are ${color}'s`;
      if (liveIds.length > 0 && foreign.length === 0) return { name: "settle", durationMs: performance.now() - started, ok: true, output };
      if (performance.now() + POLL_MS > deadline) return { name: "settle", durationMs: performance.now() - started, ok: false, output };
      await sleep(POLL_MS);
    }
  }

  private readService(signal?: AbortSignal): Promise<V1Service> {
    const name = this.config.service as string;
    return this.call({ step: "status", verb: "get", resource: "services", name, namespace: this.namespace, unchanged: true }, signal, () =>
      this.clients.core.readNamespacedService({ name, namespace: this.namespace }, this.clients.options(this.requestSignal(signal))),
    );
  }

  private readRoute(signal?: AbortSignal): Promise<HttpRoute> {
    const name = this.config.route as string;
    return this.call({ step: "status", verb: "get", resource: HTTPROUTES, name, namespace: this.namespace, unchanged: true }, signal, () =>
      this.clients.custom.getNamespacedCustomObject(
        { ...GATEWAY, namespace: this.namespace, name },
        this.clients.options(this.requestSignal(signal)),
      ),
    );
  }

  private async listSlices(service: string, signal?: AbortSignal): Promise<V1EndpointSlice[]> {
    const list = await this.call(
      { step: "endpoints", verb: "list", resource: "endpointslices.discovery.k8s.io", namespace: this.namespace, unchanged: true },
      signal,
      () =>
        this.clients.discovery.listNamespacedEndpointSlice(
          { namespace: this.namespace, labelSelector: `kubernetes.io/service-name=${service}` },
          this.clients.options(this.requestSignal(signal)),
        ),
    );
    return list.items;
  }

  /** One API call, retried on 429 (after Retry-After) and on 5xx or transport errors for reads. */
  private call<T>(operation: KubernetesOperation, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    return retry(task, {
      retries: TRANSIENT_RETRIES,
      initialDelayMs: 250,
      maxDelayMs: 5_000,
      ...(signal ? { signal } : {}),
      shouldRetry: (error) => isTransient(error, operation.verb),
      delayFor: (error, backoff) => {
        const seconds = retryAfterSecondsOf(error);
        return seconds === undefined ? backoff : Math.min(seconds * 1000, 30_000);
      },
    }).catch((error: unknown) => {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof RouterError) throw error;
      throw explainKubernetesError(error, operation, this.clients.server);
    });
  }

  /** A write based on a read: on 409 Conflict, `write` runs again (and reads again), `conflict-retries` times. */
  private writeWithConflictRetries(operation: KubernetesOperation, write: (attempt: number) => Promise<void>): Promise<void> {
    return this.call(operation, undefined, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await write(attempt);
        } catch (error) {
          if (statusCodeOf(error) !== 409 || attempt > this.config["conflict-retries"]) throw error;
        }
      }
    });
  }

  private requestSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.config["request-timeout"]);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}

/** 429 always (the server refused before doing anything); 5xx and transport errors only for reads. */
function isTransient(error: unknown, verb: string): boolean {
  const code = statusCodeOf(error);
  if (code === 429) return true;
  if (verb === "patch") return false;
  return code === undefined || code >= 500;
}

function isServiceRef(ref: BackendRef, name: string): boolean {
  return ref.name === name && (ref.kind ?? "Service") === "Service" && (ref.group ?? "") === "" && ref.namespace === undefined;
}

function beforeSplitOf(route: HttpRoute): Color | undefined {
  const value = route.metadata.annotations?.[BEFORE_SPLIT_ANNOTATION];
  return value && isColor(value) ? value : undefined;
}

/** Ready endpoints of slices, identified by the pod they point at (or their address). */
function endpointIds(slice: V1EndpointSlice): string[] {
  return (slice.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .map((e) => (e.targetRef?.name ? `${e.targetRef.kind ?? "Pod"}/${e.targetRef.name}` : (e.addresses[0] ?? "")));
}
