import { HttpClient, HttpTransportError } from "@cutover/http-checks";
import type { ColorProbe } from "@cutover/ledger";
import type { RouterConfig } from "@cutover/traffic";

const PROBE_TIMEOUT_MS = 3_000;

/**
 * What a color serves, asked of the color itself: the public verify-url only ever shows the
 * live color. Possible only where the router block names the color's servers (nginx: the first
 * `host:port` of `colors.<color>`), and only with a verify-url, whose path and Host header are
 * sent there over plain HTTP (as nginx's `proxy_pass http://` does). The version is read from an
 * `x-version` header or a top-level JSON `version` field; when neither is there, only
 * reachability is known and the ledger decides. Anything else (command provider, no
 * verify-url, unix sockets): undefined, and the ledger alone decides.
 */
export async function probeColor(
  router: RouterConfig | undefined,
  verifyUrl: string | undefined,
  color: string,
  signal: AbortSignal,
): Promise<ColorProbe | undefined> {
  const address = colorAddress(router, color);
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

/** The first `host:port` server of `color` in an nginx router block. */
export function colorAddress(router: RouterConfig | undefined, color: string): string | undefined {
  if (router?.provider !== "nginx" || (color !== "blue" && color !== "green")) return undefined;
  const first = router.colors[color][0]?.split(/\s+/)[0];
  return first && /^(?:[\w.-]+|\[[0-9a-fA-F:]+\]):\d+$/.test(first) ? first : undefined;
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
