import { createServer, type Server } from "node:http";
import { CancelledError } from "@cutover/core";
import { HttpClient } from "@cutover/http-checks";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import { pollReadiness, type ReadinessOptions } from "../src/index.js";

const client = new HttpClient();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(handler);
  cleanups.push(() => s.close());
  return s;
}

const defaults = (url: string): ReadinessOptions => ({
  url,
  client,
  intervalMs: 50,
  timeoutMs: 3_000,
  requestTimeoutMs: 500,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
});

/** Listens on `port` only after `delayMs`, like a service that boots slowly. */
function listenLater(port: number, delayMs: number, handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const s = createServer(handler);
      s.listen(port, "127.0.0.1", () => resolve(s));
      cleanups.push(
        () =>
          new Promise<void>((done) => {
            s.closeAllConnections();
            s.close(() => done());
          }),
      );
    }, delayMs);
  });
}

describe("pollReadiness", () => {
  it("passes a service that boots slowly: refused connections spend only the deadline", async () => {
    const port = await closedPort();
    // Refuses for 400ms, answers 503 while warming up for 2 probes, then 200.
    let answers = 0;
    const booting = listenLater(port, 400, (_req, res) => {
      answers++;
      res.statusCode = answers <= 2 ? 503 : 200;
      res.end(answers <= 2 ? "warming" : '{"status":"ok"}');
    });
    const result = await pollReadiness({
      ...defaults(`http://127.0.0.1:${port}/healthz`),
      expect: { json: { "$.status": "ok" } },
    });
    await booting;
    expect(result.outcome).toBe("healthy");
    expect(result.healthy).toBe(true);
    const refused = result.probes.filter((p) => !p.answered);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]?.error).toBe(`connection refused by 127.0.0.1:${port}`);
    expect(result.firstAnswerMs).toBeGreaterThanOrEqual(350);
    expect(result.firstPassMs).toBeGreaterThan(result.firstAnswerMs as number);
    expect(result.probes.slice(-3).every((p) => p.ok && p.status === 200)).toBe(true);
    expect(result.timeToHealthyMs).toBeGreaterThanOrEqual(result.firstPassMs as number);
  });

  it("fails a flapping service on the unhealthy threshold, at once", async () => {
    // pass, pass, fail, fail, fail, pass ...: never 3 passes in a row, then 3 failures in a row.
    let n = 0;
    const flapping = await server((_req, res) => {
      n++;
      res.statusCode = [1, 2].includes(n % 5 || 5) ? 200 : 500;
      res.end();
    });
    const started = performance.now();
    const result = await pollReadiness(defaults(`${flapping.url}/ready`));
    expect(result.outcome).toBe("unhealthy");
    expect(result.healthy).toBe(false);
    expect(result.probes.map((p) => p.status)).toEqual([200, 200, 500, 500, 500]);
    expect(result.message).toBe(
      "3 probes in a row failed after the endpoint had answered; last: 500 in " +
        `${result.probes[4]?.latencyMs}ms (status: 500, expected 2xx)`,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("counts a refused connection after the first answer as a failure", async () => {
    const s = await server((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const result = await pollReadiness({
      ...defaults(s.url),
      onProbe: (probe) => {
        if (probe.n === 1) void s.close();
      },
    });
    expect(result.outcome).toBe("unhealthy");
    expect(result.probes).toHaveLength(3);
    expect(result.probes[2]?.error).toMatch(/connection refused/);
  });

  it("fails a service that never answers at the deadline with a clear message", async () => {
    const port = await closedPort();
    const started = performance.now();
    const result = await pollReadiness({ ...defaults(`http://127.0.0.1:${port}/healthz`), timeoutMs: 400 });
    const took = performance.now() - started;
    expect(result.outcome).toBe("deadline");
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(900);
    expect(result.firstAnswerMs).toBeUndefined();
    expect(result.message).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:${port}/healthz never answered within the 400ms timeout \\(\\d+ probe\\(s\\); last: connection refused by 127\\.0\\.0\\.1:${port}\\)$`,
      ),
    );
  });

  it("holds a hanging endpoint to the request timeout and the deadline", async () => {
    const hanging = await server(() => {
      /* never answers */
    });
    const started = performance.now();
    const result = await pollReadiness({ ...defaults(hanging.url), requestTimeoutMs: 150, timeoutMs: 500 });
    expect(result.outcome).toBe("deadline");
    expect(result.probes[0]?.error).toBe("no complete response within 150ms");
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("sends the headers it was given and applies the expect block", async () => {
    const s = await server((req, res) => {
      res.statusCode = req.headers.authorization === "Bearer t0ken" ? 200 : 401;
      res.setHeader("x-version", "1.4.2");
      res.end("ready");
    });
    const result = await pollReadiness({
      ...defaults(s.url),
      headers: { authorization: "Bearer t0ken" },
      expect: { "body-contains": "ready", headers: { "x-version": "/^1\\.4\\./" } },
      healthyThreshold: 2,
    });
    expect(result.outcome).toBe("healthy");
    expect(result.probes).toHaveLength(2);
  });

  it("reports a service answering with the wrong body, not healthy by the deadline", async () => {
    const s = await server((_req, res) => res.end('{"status":"starting"}'));
    const result = await pollReadiness({
      ...defaults(s.url),
      expect: { json: { "$.status": "ok" } },
      unhealthyThreshold: 100,
      timeoutMs: 300,
    });
    expect(result.outcome).toBe("deadline");
    expect(result.message).toContain("not healthy within the 300ms timeout: 0 of 3 passes in a row");
    expect(result.message).toContain('json $.status: "starting", expected ok');
  });

  it("probes back to back with a zero interval", async () => {
    const s = await server((_req, res) => res.end());
    const result = await pollReadiness({ ...defaults(s.url), intervalMs: 0, healthyThreshold: 20 });
    expect(result.outcome).toBe("healthy");
    expect(result.probes).toHaveLength(20);
  });

  it("stops at once when cancelled", async () => {
    const port = await closedPort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError("cancelled by SIGTERM")), 120);
    const started = performance.now();
    await expect(
      pollReadiness({ ...defaults(`http://127.0.0.1:${port}`), intervalMs: 5_000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(600);
  });
});
