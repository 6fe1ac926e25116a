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

/** The sample service, two colors of it, as a deploy target: a release is a file the deploy command writes. */
export interface SampleFleet {
  /** host:port of each color, for the router. */
  servers: Record<Color, string>;
  /** One port serving both colors under /blue and /green, for the idle-url template. */
  directUrl: string;
  close(): Promise<void>;
}

interface Release {
  version: string;
  loadedAtMs: number;
  publicRequests: number;
}

/**
 * Starts both colors. Each reads `releases/<color>.json` ({"version": "…"}) when it changes, as a
 * restarted process would. A version containing "leaky" passes its health checks at first and
 * fails under user traffic: the kind of release only a bake on live traffic catches.
 */
export async function startSampleFleet(releasesDir: string): Promise<SampleFleet> {
  const releases = new Map<Color, Release & { mtimeMs: number }>();

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
    const { version } = JSON.parse(readFileSync(file, "utf8")) as { version: string };
    const fresh = { version, loadedAtMs: Date.now(), publicRequests: 0, mtimeMs };
    releases.set(color, fresh);
    return fresh;
  };

  const handle = (color: Color, path: string, req: IncomingMessage, res: ServerResponse) => {
    const release = currentRelease(color);
    res.setHeader("x-color", color);
    res.setHeader("content-type", "application/json");
    if (!release) {
      res.statusCode = 503;
      res.end(JSON.stringify({ status: "not deployed", color }));
      return;
    }
    res.setHeader("x-version", release.version);
    if (req.headers[PUBLIC_HEADER]) release.publicRequests++;
    const leaking = release.version.includes("leaky") && release.publicRequests > LEAK_AFTER_PUBLIC_REQUESTS;
    if (leaking) {
      res.statusCode = 500;
      res.end(JSON.stringify({ status: "error", error: "out of memory", version: release.version, color }));
      return;
    }
    if (path === "/health") res.end(JSON.stringify({ status: "ok", version: release.version, color }));
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
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
