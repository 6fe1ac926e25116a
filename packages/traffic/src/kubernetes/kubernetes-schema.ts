import { durationValue } from "@cutover/core";
import { z } from "zod";

/** A DNS-1123 name, as Kubernetes requires for Services, HTTPRoutes and namespaces. */
const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: "a Kubernetes name: lowercase letters, digits and '-', starting and ending alphanumeric",
  })
  .max(63);

/** A label key such as `color` or `app.kubernetes.io/color`. */
const labelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    message: "a label key such as color or app.kubernetes.io/color",
  })
  .max(316);

/**
 * The `router` block for `provider: kubernetes`. Exactly one of `service` (switch a Service's
 * selector: all traffic at once) or `route` (set an HTTPRoute's backendRefs weights: steps).
 */
export const kubernetesRouterSchema = z
  .strictObject({
    provider: z.literal("kubernetes"),
    /** Defaults to the kubeconfig context's namespace, else `default`. */
    namespace: objectName.optional(),
    /** Per color, a Service that selects only that color's pods: its EndpointSlices say whether the color is ready. */
    colors: z.strictObject({ blue: objectName, green: objectName }),
    /** The Service users reach, whose selector's `color-label` is switched between `blue` and `green`. */
    service: objectName.optional(),
    "color-label": labelKey.default("color"),
    /** A Gateway API HTTPRoute whose rules' backendRefs name the `colors` Services: traffic moves by weights. */
    route: objectName.optional(),
    /** Where credentials come from: the runner's kubeconfig, the pod's service account, or router-env's KUBECONFIG_DATA. */
    auth: z.enum(["current-context", "in-cluster", "kubeconfig"]).default("current-context"),
    /** The kubeconfig context to use (current-context and kubeconfig auth); default: its current-context. */
    context: z.string().min(1).optional(),
    /** How long the new color may take to have ready endpoints before a switch is refused. */
    "ready-timeout": durationValue.default(120_000),
    /** How long the Service's endpoints may take to become the new color's after a selector switch. */
    "settle-timeout": durationValue.default(60_000),
    /** Times a write is re-read and retried after a 409 Conflict (someone else changed the object). */
    "conflict-retries": z.number().int().min(0).max(20).default(5),
    /** Upper bound for each API request. */
    "request-timeout": durationValue.default(30_000),
  })
  .superRefine((block, ctx) => {
    if ((block.service === undefined) === (block.route === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: block.service === undefined ? ["service"] : ["route"],
        message: "exactly one of service (switch a Service's selector) or route (weights on an HTTPRoute)",
      });
    }
  });

export type KubernetesRouterConfig = z.output<typeof kubernetesRouterSchema>;
