import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import { HttpClient, HttpTransportError } from "../src/http-client.js";

let server: TestServer;
const client = new HttpClient();

beforeAll(async () => {
  server = await startTestServer(async (req, res, body) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "/target" }).end();
    } else if (req.url === "/loop") {
      res.writeHead(302, { location: "/loop" }).end();
    } else if (req.url === "/see-other") {
      res.writeHead(303, { location: "/target" }).end();
    } else if (req.url === "/slow") {
      await new Promise((r) => setTimeout(r, 500));
      res.end("late");
    } else {
      res.setHeader("x-method", req.method ?? "");
      res.end(`${req.url} ${body}`);
    }
  });
});
afterAll(async () => {
  client.close();
  await server.close();
});

const base = { method: "GET", timeoutMs: 2_000, followRedirects: true };

describe("HttpClient", () => {
  it("sends the body and measures latency", async () => {
    const response = await client.request({ ...base, url: `${server.url}/echo`, method: "POST", body: "hello" });
    expect(response.status).toBe(200);
    expect(response.body).toBe("/echo hello");
    expect(response.latencyMs).toBeGreaterThan(0);
  });

  it("follows redirects when asked, and turns 303 into a GET", async () => {
    expect((await client.request({ ...base, url: `${server.url}/redirect` })).body).toBe("/target ");
    expect((await client.request({ ...base, url: `${server.url}/redirect`, followRedirects: false })).status).toBe(302);
    const seeOther = await client.request({ ...base, url: `${server.url}/see-other`, method: "POST", body: "x" });
    expect(seeOther.headers["x-method"]).toBe("GET");
  });

  it("gives up on a redirect loop", async () => {
    await expect(client.request({ ...base, url: `${server.url}/loop` })).rejects.toThrow(/more than 5 redirects/);
  });

  it("times out a slow response", async () => {
    const error = await client.request({ ...base, url: `${server.url}/slow`, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTransportError);
    expect((error as HttpTransportError).code).toBe("ETIMEDOUT");
  });

  it("reports a refused connection by host", async () => {
    const port = await closedPort();
    await expect(client.request({ ...base, url: `http://127.0.0.1:${port}/` })).rejects.toThrow(`connection refused by 127.0.0.1:${port}`);
  });

  it("reuses connections (keep-alive)", async () => {
    const before = server.requests.length;
    for (let i = 0; i < 5; i++) {
      expect((await client.request({ ...base, url: `${server.url}/echo` })).status).toBe(200);
    }
    const sockets = new Set(server.requests.slice(before).map((r) => r.remotePort));
    expect(server.requests.length - before).toBe(5);
    expect(sockets.size).toBe(1);
  });

  it("stops at once when cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(client.request({ ...base, url: `${server.url}/slow`, signal: controller.signal })).rejects.toThrow("request cancelled");
    expect(performance.now() - started).toBeLessThan(400);
  });
});
