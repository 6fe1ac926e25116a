import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One color of the application: a real HTTP server on 127.0.0.1 that says who it is. */
export interface ColorApp {
  color: string;
  version: string;
  port: number;
  /** `127.0.0.1:<port>`, as a router block lists it. */
  address: string;
  url: string;
  /** Requests answered so far. */
  requests: number;
  /** Changes what the app reports from now on (e.g. a broken release). */
  setVersion(version: string): void;
  close(): Promise<void>;
}

/**
 * Answers every request with `{"color":…,"version":…}` and headers x-color / x-version.
 * Blue answers version 1 and green version 2 unless told otherwise. `?delay=<ms>` holds the
 * answer that long (a slow request in flight during a drain).
 */
export async function startColorApp(color: string, version: string): Promise<ColorApp> {
  const app: ColorApp = {
    color,
    version,
    port: 0,
    address: "",
    url: "",
    requests: 0,
    setVersion: (next) => {
      app.version = next;
    },
    close: () => close(server),
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    const delay = Number(new URL(req.url ?? "/", "http://app").searchParams.get("delay") ?? 0);
    req.on("end", async () => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      app.requests++;
      const body = JSON.stringify({ color, version: app.version });
      res.writeHead(200, {
        "content-type": "application/json",
        "x-color": color,
        "x-version": app.version,
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  app.port = (server.address() as AddressInfo).port;
  app.address = `127.0.0.1:${app.port}`;
  app.url = `http://${app.address}`;
  return app;
}

export interface TwoColorApps {
  blue: ColorApp;
  green: ColorApp;
  /** The `colors:` block of a router for these two apps. */
  colors: { blue: string[]; green: string[] };
  close(): Promise<void>;
}

/** Blue answering version 1 and green answering version 2 (or the versions given). */
export async function startTwoColorApps(versions: { blue?: string; green?: string } = {}): Promise<TwoColorApps> {
  const blue = await startColorApp("blue", versions.blue ?? "1");
  const green = await startColorApp("green", versions.green ?? "2");
  return {
    blue,
    green,
    colors: { blue: [blue.address], green: [green.address] },
    close: async () => {
      await Promise.all([blue.close(), green.close()]);
    },
  };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
