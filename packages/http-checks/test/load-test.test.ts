import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import { judgeSaturation } from "../src/client-saturation.js";
import { loadSchema } from "../src/load-schema.js";
import { runLoad } from "../src/load-test.js";

let server: TestServer;
let served = 0;

beforeAll(async () => {
  server = await startTestServer(async (req, res) => {
    served++;
    if (req.url === "/flaky") {
      // Every third request fails, so counts and reasons can be checked exactly.
      res.statusCode = served % 3 === 0 ? 503 : 200;
      res.end("flaky");
    } else if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.setHeader("content-encoding", "gzip");
      res.setHeader("x-version", "v2");
      res.end(gzipSync(JSON.stringify({ version: "v2" })));
    } else if (req.url === "/slow") {
      await new Promise((r) => setTimeout(r, 200));
      res.end("slow");
    } else if (req.url === "/blocking") {
      // Holds the event loop the load client shares with this server: the client, not the
      // server, is what delays every response.
      const until = performance.now() + 60;
      while (performance.now() < until) {}
      res.end("blocked");
    } else {
      res.end("ok");
    }
  });
});
afterAll(() => server.close());

const spec = (load: Record<string, unknown>) => loadSchema.parse(load);
const options = { timeoutMs: 5_000, headers: {} };

describe("runLoad", () => {
  it("sends exactly the requests asked for, with the given headers, and gates on the success rate", async () => {
    const before = server.requests.length;
    served = 0;
    const result = await runLoad(`${server.url}/flaky`, spec({ requests: 30, concurrency: 3 }), {
      ...options,
      headers: { "x-run": "load" },
    });
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(30);
    expect(sent.every((r) => r.headers["x-run"] === "load" && r.headers["user-agent"] === "cutover")).toBe(true);
    expect(result.succeeded).toBe(20);
    expect(result.failed).toBe(10);
    expect(result.errors).toEqual({ "status 503": 10 });
    expect(result.successRate).toBeCloseTo(20 / 30);
    expect(result.findings).toEqual([{ subject: "load success rate", measured: "66.67% (10 of 30 failed)", expected: "at least 100.00%" }]);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p95Ms);
  });

  it("reuses one keep-alive connection per request in flight", async () => {
    const before = server.requests.length;
    await runLoad(`${server.url}/`, spec({ requests: 40, concurrency: 4 }), options);
    const ports = new Set(server.requests.slice(before).map((r) => r.remotePort));
    expect(ports.size).toBe(4);
  });

  it("decodes the body and reads headers when the expect block asserts on them", async () => {
    const result = await runLoad(
      `${server.url}/json`,
      spec({ requests: 10, concurrency: 2, expect: { json: { "$.version": "v2" }, headers: { "x-version": "v2" } } }),
      options,
    );
    expect(result.succeeded).toBe(10);
    const wrong = await runLoad(`${server.url}/json`, spec({ requests: 4, concurrency: 2, expect: { "body-contains": "v3" } }), options);
    expect(wrong.failed).toBe(4);
  });

  it("counts a refused connection with its reason", async () => {
    const port = await closedPort();
    const result = await runLoad(`http://127.0.0.1:${port}/`, spec({ requests: 5, concurrency: 2 }), options);
    expect(result.failed).toBe(5);
    expect(result.errors).toEqual({ [`connection refused by 127.0.0.1:${port}`]: 5 });
  });

  it("fails a p95 limit missed by a slow server while the client was idle", async () => {
    const result = await runLoad(`${server.url}/slow`, spec({ requests: 4, concurrency: 2, "max-p95": "10ms" }), options);
    expect(result.client.saturated).toBe(false);
    expect(result.findings.map((f) => f.subject)).toEqual(["load p95 latency"]);
    expect(result.inconclusive).toEqual([]);
  });

  it("reports a p95 limit missed while the client's own event loop was held as inconclusive, not failed", async () => {
    const result = await runLoad(`${server.url}/blocking`, spec({ requests: 6, concurrency: 2, "max-p95": "10ms" }), options);
    expect(result.client.saturated).toBe(true);
    expect(result.client.eventLoopDelayP99Ms).toBeGreaterThan(10);
    expect(result.findings).toEqual([]);
    expect(result.inconclusive).toHaveLength(1);
    expect(result.inconclusive[0]?.subject).toBe("load p95 latency");
    expect(result.inconclusive[0]?.measured).toContain("while the load client itself was saturated");
  });

  it("stops at once when cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled by the runner")), 150);
    await expect(
      runLoad(`${server.url}/slow`, spec({ requests: 1_000, concurrency: 2 }), { ...options, signal: controller.signal }),
    ).rejects.toThrow("cancelled by the runner");
  });
});

describe("judgeSaturation", () => {
  it("calls the client saturated when its delay is over a tenth of the p95 and over timer jitter", () => {
    expect(judgeSaturation(3, 5, 20).saturated).toBe(true);
    expect(judgeSaturation(1.9, 5, 20).saturated).toBe(false);
    expect(judgeSaturation(0.9, 2, 2).saturated).toBe(false);
    expect(judgeSaturation(3, 5, Number.NaN).saturated).toBe(false);
  });
});
