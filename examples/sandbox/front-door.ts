import { readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type Color, PUBLIC_HEADER } from "./sample-fleet.js";

/**
 * A stand-in for the user's load balancer when nginx is not installed: forwards each request to
 * the color named in `stateFile`, which the `command` router provider writes and reads.
 */
export async function startFrontDoor(stateFile: string, servers: Record<Color, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const color = readFileSync(stateFile, "utf8").trim() as Color;
    const [hostname, port] = (servers[color] ?? "").split(":");
    const upstream = request(
      { hostname, port, path: req.url, method: req.method, headers: { ...req.headers, [PUBLIC_HEADER]: "1" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      res.statusCode = 502;
      res.end(`front door: ${color} unreachable (${error.message})`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
