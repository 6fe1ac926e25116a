import { readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export type Color = "blue" | "green";
export const COLORS: readonly Color[] = ["blue", "green"];

/** Requests the router forwards carry this header, so an instance knows it is serving users. */
export const PUBLIC_HEADER = "x-cutover-public";

/** How many user requests a "leaky" release serves before it starts answering 500. */
const LEAK_AFTER_PUBLIC_REQUESTS = 4;

/** Where the service reports its health: the examples' checks use /api/health and /healthz. */
const HEALTH_PATHS = new Set(["/health", "/healthz", "/api/health"]);

/** What a "slow" release adds to every answer: it stays correct, only latency tells. */
export const SLOW_RELEASE_DELAY_MS = 150;

/** The sample service, two colors of it, as a deploy target: a release is a file the deploy command writes. */
export interface SampleFleet {
  /** host:port of each color, for the router. */
  servers: Record<Color, string>;
  /** One port serving both colors under /blue and /green, for the idle-url template. */
  directUrl: string;
  /** host:port of each color's `/metrics` (Prometheus text format), for a scrape config. */
  metricsTargets: Record<Color, string>;
  close(): Promise<void>;
}

interface Release {
  version: string;
  /** Set by a release that leaks under user traffic whatever its version says (a commit that breaks it). */
  leaky: boolean;
  loadedAtMs: number;
  publicRequests: number;
}

/**
 * Starts both colors. Each reads `releases/<color>.json` ({"version": "…", "leaky"?: true}) when it
 * changes, as a restarted process would. A version containing "leaky" (or a release marked leaky) passes its health checks at first and
 * fails under user traffic: the kind of release only a bake on live traffic catches. A version
 * containing "slow" answers every request correctly, SLOW_RELEASE_DELAY_MS late: only a latency
 * metric catches it. Each color serves `/metrics` (Prometheus text format): requests and their
 * total duration per color, version, code and whether they came through the router.
 */
export async function startSampleFleet(releasesDir: string): Promise<SampleFleet> {
  const releases = new Map<Color, Release & { mtimeMs: number }>();
  const metrics = new RequestMetrics();

  const currentRelease = (color: Color): Release | undefined => {
    const file = join(releasesDir, `${color}.json`);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const known = releases.get(color);
    if (known && known.mtimeMs === mtimeMs) return known;
    const { version, leaky } = JSON.parse(readFileSync(file, "utf8")) as { version: string; leaky?: boolean };
    const fresh = { version, leaky: leaky === true || version.includes("leaky"), loadedAtMs: Date.now(), publicRequests: 0, mtimeMs };
    releases.set(color, fresh);
    metrics.initialize(color, version);
    return fresh;
  };

  const handle = (color: Color, path: string, req: IncomingMessage, res: ServerResponse) => {
    if (path === "/metrics") {
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(metrics.render());
      return;
    }
    const release = currentRelease(color);
    if (release) {
      const started = performance.now();
      const labels: RequestLabels = { color, version: release.version, public: req.headers[PUBLIC_HEADER] ? "true" : "false" };
      res.once("finish", () => metrics.observe(labels, res.statusCode, (performance.now() - started) / 1000));
    }
    if (release?.version.includes("slow")) setTimeout(() => answer(color, path, req, res, release), SLOW_RELEASE_DELAY_MS);
    else answer(color, path, req, res, release);
  };

  const answer = (color: Color, path: string, req: IncomingMessage, res: ServerResponse, release: Release | undefined) => {
    res.setHeader("x-color", color);
    res.setHeader("content-type", "application/json");
    if (!release) {
      res.statusCode = 503;
      res.end(JSON.stringify({ status: "not deployed", color }));
      return;
    }
    res.setHeader("x-version", release.version);
    if (req.headers[PUBLIC_HEADER]) release.publicRequests++;
    const leaking = release.leaky && release.publicRequests > LEAK_AFTER_PUBLIC_REQUESTS;
    if (leaking) {
      res.statusCode = 500;
      res.end(JSON.stringify({ status: "error", error: "out of memory", version: release.version, color }));
      return;
    }
    if (HEALTH_PATHS.has(path)) res.end(JSON.stringify({ status: "ok", version: release.version, color }));
    else if (path === "/") res.end(JSON.stringify({ service: "sample", version: release.version, color }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ status: "not found" }));
    }
  };

  const servers: Server[] = [];
  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const hosts = {} as Record<Color, string>;
  for (const color of COLORS) hosts[color] = await listen(createServer((req, res) => handle(color, req.url ?? "/", req, res)));
  const direct = await listen(
    createServer((req, res) => {
      const match = /^\/(blue|green)(\/.*)?$/.exec(req.url ?? "");
      if (!match) {
        res.statusCode = 404;
        res.end("use /blue/… or /green/…");
        return;
      }
      handle(match[1] as Color, match[2] ?? "/", req, res);
    }),
  );
  return {
    servers: hosts,
    directUrl: `http://${direct}`,
    metricsTargets: hosts,
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

interface RequestLabels {
  color: Color;
  version: string;
  /** "true" when the request came through the router (users), "false" for direct checks. */
  public: "true" | "false";
}

/** Counters in Prometheus text format: what a real service would export for the bake to watch. */
class RequestMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number }>();

  /** A fresh release exports its series at zero, so rate() has a starting point the moment it serves. */
  initialize(color: Color, version: string): void {
    for (const visibility of ["true", "false"] as const) {
      const labels = labelText({ color, version, public: visibility });
      if (!this.durations.has(labels)) this.durations.set(labels, { sum: 0, count: 0 });
      const ok = `${labels},code="200"`;
      if (!this.requests.has(ok)) this.requests.set(ok, 0);
    }
  }

  observe(labels: RequestLabels, status: number, seconds: number): void {
    const key = labelText(labels);
    const requestKey = `${key},code="${status}"`;
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const duration = this.durations.get(key) ?? { sum: 0, count: 0 };
    duration.sum += seconds;
    duration.count++;
    this.durations.set(key, duration);
  }

  render(): string {
    const lines = [
      "# HELP sample_requests_total Requests answered, by color, version, status code and whether they came through the router.",
      "# TYPE sample_requests_total counter",
      ...[...this.requests].map(([labels, value]) => `sample_requests_total{${labels}} ${value}`),
      "# HELP sample_request_duration_seconds Time to answer a request, by color, version and whether it came through the router.",
      "# TYPE sample_request_duration_seconds summary",
      ...[...this.durations].flatMap(([labels, { sum, count }]) => [
        `sample_request_duration_seconds_sum{${labels}} ${sum}`,
        `sample_request_duration_seconds_count{${labels}} ${count}`,
      ]),
    ];
    return `${lines.join("\n")}\n`;
  }
}

function labelText(labels: RequestLabels): string {
  // Versions come from a release file: escape them as the text format requires.
  const escaped = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `color="${labels.color}",version="${escaped(labels.version)}",public="${labels.public}"`;
}
