import { RouterError } from "../router-error.js";

/** The API call that failed: enough to say which permission it needed. */
export interface KubernetesOperation {
  step: string;
  verb: "get" | "list" | "patch";
  /** Plural resource with its API group, e.g. `services`, `httproutes.gateway.networking.k8s.io`. */
  resource: string;
  name?: string;
  namespace: string;
  /** Whether the router is exactly as it was when this call failed. */
  unchanged: boolean;
}

/** A Kubernetes `Status` object (what the API server answers with on errors). */
interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

/** The HTTP status of a client-node ApiException, or undefined for transport errors. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** Seconds the API server asked to wait (429 Retry-After), if it said. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  const headers = (error as { headers?: Record<string, string> } | null)?.headers;
  const value = Number(headers?.["retry-after"]);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function statusBodyOf(error: unknown): StatusBody {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return body !== null && typeof body === "object" ? (body as StatusBody) : {};
}

/**
 * Turns a client-node error into a RouterError a person can act on: for 403 the verb and resource
 * the credentials lack (what a Role must grant), for 401 the credentials, for 404 what is missing.
 */
export function explainKubernetesError(error: unknown, operation: KubernetesOperation, server: string): RouterError {
  const code = statusCodeOf(error);
  const status = statusBodyOf(error);
  const target = `${operation.resource}${operation.name ? `/${operation.name}` : ""} in namespace ${operation.namespace}`;
  const said = status.message ? `: ${status.message}` : "";
  let message: string;
  if (code === 403) {
    const group = operation.resource.includes(".") ? operation.resource.slice(operation.resource.indexOf(".") + 1) : "";
    const plural = operation.resource.split(".")[0];
    message =
      `kubernetes RBAC: the credentials may not ${operation.verb} ${target} (403 Forbidden${said}). ` +
      `Grant verb "${operation.verb}" on resource "${plural}" (apiGroups: ["${group}"]) in namespace ${operation.namespace} with a Role and RoleBinding.`;
  } else if (code === 401) {
    message = `kubernetes API at ${server} did not accept the credentials (401 Unauthorized) when trying to ${operation.verb} ${target}; check router.auth and the kubeconfig or service-account token`;
  } else if (code === 404) {
    const missingApi = operation.resource.includes(".") && status.message === "the server could not find the requested resource";
    message = missingApi
      ? `kubernetes: ${operation.resource} is not served by ${server} (404); is the Gateway API (gateway.networking.k8s.io/v1) installed?`
      : `kubernetes: ${target} not found (404${said})`;
  } else if (code === 409) {
    message = `kubernetes: ${target} kept changing under us (409 Conflict${said}); gave up after the configured conflict-retries`;
  } else if (code !== undefined) {
    message = `kubernetes: ${operation.verb} ${target} failed (${code}${status.reason ? ` ${status.reason}` : ""}${said})`;
  } else {
    message = `kubernetes API at ${server} unreachable while trying to ${operation.verb} ${target}: ${(error as Error)?.message ?? String(error)}`;
  }
  return new RouterError(message, {
    step: operation.step,
    unchanged: operation.unchanged,
    ...(status.message ? { output: status.message } : {}),
  });
}
