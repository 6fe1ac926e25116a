import type { CheckSpec } from "./check-schema.js";
import type { Expect } from "./expect-schema.js";

/** A check with every default applied and its URL made absolute. */
export interface ResolvedCheck {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  retries: number;
  followRedirects: boolean;
  expect?: Expect;
}

export interface CheckDefaults {
  timeoutMs: number;
  retries: number;
  headers: Record<string, string>;
  followRedirects: boolean;
}

/** Joins a check's path onto the base URL, keeping the base's own path prefix (`/api` + `/health`). */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  const [pathname, query] = path.split("?", 2) as [string, string | undefined];
  url.pathname = `${url.pathname.replace(/\/$/, "")}/${pathname.replace(/^\//, "")}`;
  if (query !== undefined) url.search = query;
  return url.toString();
}

export function resolveCheck(spec: CheckSpec, base: string, defaults: CheckDefaults): ResolvedCheck {
  const url = spec.url ?? joinUrl(base, spec.path ?? "/");
  const headers = { ...defaults.headers, ...spec.headers };
  let body: string | undefined;
  if (typeof spec.body === "string") body = spec.body;
  else if (spec.body !== undefined) {
    body = JSON.stringify(spec.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  return {
    name: spec.name ?? `${spec.method} ${new URL(url).pathname}${new URL(url).search}`,
    url,
    method: spec.method,
    headers,
    ...(body === undefined ? {} : { body }),
    timeoutMs: spec["request-timeout"] ?? defaults.timeoutMs,
    retries: spec.retries ?? defaults.retries,
    followRedirects: spec["follow-redirects"] ?? defaults.followRedirects,
    ...(spec.expect === undefined ? {} : { expect: spec.expect }),
  };
}
