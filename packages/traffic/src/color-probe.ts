import { HttpClient, HttpTransportError } from "@cutover/http-checks";
import type { Color } from "./color.js";
import type { Router } from "./router.js";

const PROBE_TIMEOUT_MS = 3_000;

/** What a probe of one color found. */
export interface ColorProbe {
  color: string;
  reachable: boolean;
  /** The version the color reports, when it could be read. */
  version?: string;
}

/**
 * What a color serves, asked of the color itself: the public verify URL only ever shows the
 * live color. Possible only where the router knows the color's address (Router.colorAddress),
 * and only with a verify URL, whose path and Host header are sent there over plain HTTP (as
 * nginx's `proxy_pass http://` does). The version is read from an `x-version` header or a
 * top-level JSON `version` field; when neither is there, only reachability is known.
 * Undefined when the color cannot be probed: the caller decides without it.
 */
export async function probeColor(
  router: Router,
  verifyUrl: string | undefined,
  color: Color,
  signal: AbortSignal,
): Promise<ColorProbe | undefined> {
  const address = router.colorAddress(color);
  if (!address || !verifyUrl) return undefined;
  const publicUrl = new URL(verifyUrl);
  const url = `http://${address}${publicUrl.pathname}${publicUrl.search}`;
  const client = new HttpClient({ maxSockets: 1 });
  try {
    const response = await client.request({
      url,
      method: "GET",
      headers: { host: publicUrl.host, "cache-control": "no-cache" },
      timeoutMs: PROBE_TIMEOUT_MS,
      followRedirects: false,
      signal,
    });
    if (response.status >= 500) return { color, reachable: false };
    const version = response.headers["x-version"] ?? jsonVersion(response.body);
    return { color, reachable: true, ...(version ? { version } : {}) };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof HttpTransportError) return { color, reachable: false };
    throw error;
  } finally {
    client.close();
  }
}

function jsonVersion(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "version" in parsed) {
      const version = (parsed as { version: unknown }).version;
      if (typeof version === "string" || typeof version === "number") return String(version);
    }
  } catch {
    // Not JSON: no version to read.
  }
  return undefined;
}
