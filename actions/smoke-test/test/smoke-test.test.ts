import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, startAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";

let server: TestServer;
const flakyCalls = new Map<string, number>();

beforeAll(async () => {
  server = await startTestServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    switch (url.pathname) {
      case "/":
      case "/health":
        res.setHeader("content-type", "application/json");
        res.setHeader("x-color", "green");
        res.end(JSON.stringify({ status: "ok", version: "2.4.1", items: [{ id: 42 }] }));
        return;
      case "/gzipped":
        res.setHeader("content-type", "application/json");
        res.setHeader("content-encoding", "gzip");
        res.end(gzipSync(JSON.stringify({ status: "ok", build: "gz-7" })));
        return;
      case "/flaky": {
        const key = url.searchParams.get("key") ?? "";
        const calls = (flakyCalls.get(key) ?? 0) + 1;
        flakyCalls.set(key, calls);
        res.statusCode = calls <= 2 ? 503 : 200;
        res.end(calls <= 2 ? "warming up" : "ready");
        return;
      }
      case "/slow":
        await new Promise((r) => setTimeout(r, Number(url.searchParams.get("ms") ?? 300)));
        res.end("slow ok");
        return;
      case "/secure":
        res.statusCode = req.headers.authorization === "Bearer s3cr3t-t0ken-value" ? 200 : 401;
        res.end(res.statusCode === 200 ? "welcome" : "who are you");
        return;
      default:
        res.statusCode = 404;
        res.end("not found");
    }
  });
});
afterAll(() => server.close());

const fast = { "retry-delay": "10ms" };

describe("smoke-test bundle", () => {
  it("runs the default check (GET / expecting 2xx) when no checks are given", async () => {
    const run = await runAction("smoke-test", { url: server.url });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ passed: "1", failed: "0", total: "1" });
    expect(JSON.parse(run.outputs.report as string).checks[0]).toMatchObject({ name: "GET /", status: 200, ok: true, attempts: 1 });
  });

  it("decodes a gzipped JSON body before the body and JSON assertions, as clients do", async () => {
    const checks = `
- path: /gzipped
  expect: { json: { $.status: ok }, body-contains: gz-7 }
`;
    const run = await runAction("smoke-test", { url: server.url, checks });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ passed: "1", failed: "0" });
  });

  it("passes every kind of assertion and writes report, outputs and summary", async () => {
    const checks = `
- name: health
  path: /health
  expect:
    status: [200, 204]
    max-latency: 2s
    body-contains: ok
    body-not-contains: error
    body-matches: '"version":\\s*"2\\.'
    json:
      $.status: ok
      $.items[0].id: 42
      $.version: "/^2\\\\./"
    headers: { X-Color: green, content-type: /json/ }
- name: missing page is a 404
  path: /nope
  expect: { status: 4xx }
`;
    const run = await runAction("smoke-test", { url: server.url, checks, ...fast });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ passed: "2", failed: "0", total: "2" });
    const report = JSON.parse(run.outputs.report as string);
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["health", true],
      ["missing page is a 404", true],
    ]);
    expect(run.summary).toContain("all 2 checks passed");
    expect(run.summary).toMatch(/\| health \| ✅ pass \| 200 \|/);
    expect(run.annotations).toEqual([]);
  });

  it("lists every failed assertion of every check, measured against expected, after all checks ran", async () => {
    const checks = JSON.stringify([
      { name: "wrong status", path: "/health", retries: 0, expect: { status: 201 } },
      { name: "wrong body", path: "/health", retries: 0, expect: { "body-contains": "banana", json: { "$.version": "3.0.0" } } },
      { name: "wrong header", path: "/health", retries: 0, expect: { headers: { "x-color": "blue" } } },
      { name: "fine", path: "/health" },
    ]);
    const run = await runAction("smoke-test", { url: server.url, checks, ...fast });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ passed: "1", failed: "3", total: "4" });
    expect(run.annotations).toHaveLength(1);
    const [annotation] = run.annotations;
    expect(annotation?.properties.title).toBe("smoke-test: 3 of 4 checks failed");
    expect(annotation?.message).toContain("wrong status status (after 1 attempt): measured 200, expected 201");
    expect(annotation?.message).toContain('wrong body body-contains (after 1 attempt): measured body "{\\"status\\"');
    expect(annotation?.message).toContain('wrong body json $.version (after 1 attempt): measured "2.4.1", expected 3.0.0');
    expect(annotation?.message).toContain('wrong header header x-color (after 1 attempt): measured "green", expected blue');
    expect(run.summary).toContain("3 of 4 checks failed");
  });

  it("retries a flaky endpoint: fails twice, then passes with attempts = 3", async () => {
    const run = await runAction("smoke-test", { url: server.url, checks: "- path: /flaky?key=a", retries: "2", ...fast });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.report as string).checks[0]).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(run.log).toMatch(/attempt 1 failed \(status: 503, expected 2xx\); retrying/);
    expect(run.log).toMatch(/attempt 2 failed/);
  });

  it("fails a flaky endpoint when the retries run out first", async () => {
    const run = await runAction("smoke-test", { url: server.url, checks: "- path: /flaky?key=b", retries: "1", ...fast });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.report as string).checks[0]).toMatchObject({ ok: false, attempts: 2, status: 503 });
  });

  it("retries a refused connection, then reports it", async () => {
    const port = await closedPort();
    const run = await runAction("smoke-test", { url: `http://127.0.0.1:${port}`, retries: "2", ...fast });
    expect(run.exitCode).toBe(1);
    const check = JSON.parse(run.outputs.report as string).checks[0];
    expect(check).toMatchObject({ ok: false, attempts: 3, status: null });
    expect(run.annotations[0]?.message).toContain(`measured connection refused by 127.0.0.1:${port}, expected an HTTP response`);
  });

  it("trips max-latency on a slow endpoint, and the timeout on a slower one", async () => {
    const checks = `
- { name: over latency, path: "/slow?ms=300", retries: 0, expect: { max-latency: 100ms } }
- { name: over timeout, path: "/slow?ms=2000", retries: 0, request-timeout: 200ms }
`;
    const run = await runAction("smoke-test", { url: server.url, checks, ...fast });
    expect(run.exitCode).toBe(1);
    const [latency, timeout] = JSON.parse(run.outputs.report as string).checks;
    expect(latency.failures[0]).toMatchObject({ assertion: "max-latency", expected: "at most 100ms" });
    expect(latency.status).toBe(200);
    expect(timeout.failures[0]).toMatchObject({ assertion: "response", measured: "no complete response within 200ms" });
  });

  it("reads checks from checks-file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "checks-"));
    writeFileSync(join(dir, "checks.yml"), "- name: from file\n  path: /health\n  expect: { json: { $.status: ok } }\n");
    const run = await runAction("smoke-test", { url: server.url, "checks-file": "checks.yml" }, { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.report as string).checks[0].name).toBe("from file");
  });

  it("runs a load burst and gates on p95 and success rate", async () => {
    const run = await runAction("smoke-test", {
      url: server.url,
      load: "{ path: /health, requests: 300, concurrency: 10, max-p95: 1s, min-success-rate: 99% }",
    });
    expect(run.exitCode).toBe(0);
    expect(Number(run.outputs["p50-ms"])).toBeGreaterThan(0);
    expect(Number(run.outputs["p95-ms"])).toBeGreaterThanOrEqual(Number(run.outputs["p50-ms"]));
    expect(Number(run.outputs["p99-ms"])).toBeGreaterThanOrEqual(Number(run.outputs["p95-ms"]));
    expect(run.outputs["success-rate"]).toBe("1");
    expect(run.summary).toContain("Load burst: ✅ within limits");
    const load = JSON.parse(run.outputs.report as string).load;
    expect(load.client).toEqual({
      "event-loop-delay-p99-ms": expect.any(Number),
      "event-loop-delay-max-ms": expect.any(Number),
      saturated: expect.any(Boolean),
    });
    expect(run.summary).toContain("Client event-loop delay p99");

    const failing = await runAction("smoke-test", { url: server.url, load: "{ path: /nope, requests: 20, concurrency: 4 }" });
    expect(failing.exitCode).toBe(1);
    expect(failing.outputs["success-rate"]).toBe("0");
    // A saturation warning may come first on a busy machine: the failure is the error annotation.
    expect(failing.annotations.find((a) => a.level === "error")?.message).toContain(
      "load success rate: measured 0.00% (20 of 20 failed), expected at least 100.00%",
    );
  });

  it("never shows a secret header value in log, outputs, summary or report", async () => {
    const secret = "s3cr3t-t0ken-value";
    const run = await runAction("smoke-test", {
      url: server.url,
      headers: `Authorization: Bearer ${secret}`,
      checks: "[{ path: /secure, expect: { body-contains: welcome } }, { path: /secure, retries: 0, expect: { body-contains: nope } }]",
      ...fast,
    });
    expect(run.exitCode).toBe(1);
    expect(server.requests.some((r) => r.headers.authorization === `Bearer ${secret}`)).toBe(true);
    expect(run.masks).toContain(secret);
    expect(visibleText(run)).not.toContain(secret);
  });

  it("masks credentials given in a check's own headers", async () => {
    const run = await runAction("smoke-test", {
      url: server.url,
      checks:
        "[{ path: /secure, headers: { Authorization: Bearer s3cr3t-t0ken-value }, retries: 0, expect: { body-contains: s3cr3t-t0ken-value } }]",
    });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toContain("s3cr3t-t0ken-value");
  });

  it("stops at once on SIGTERM and says it was cancelled", async () => {
    const running = startAction("smoke-test", { url: server.url, checks: '[{ path: "/slow?ms=10000", request-timeout: 30s }]' });
    await running.waitForLog("Running 1 check(s)");
    await new Promise((r) => setTimeout(r, 100));
    running.kill("SIGTERM");
    const run = await running.done;
    expect(run.exitCode).toBe(1);
    expect(run.durationMs).toBeLessThan(5_000);
    expect(run.log).toContain("received SIGTERM");
    expect(run.annotations[0]?.properties.title).toBe("smoke-test: cancelled");
  });
});

describe("smoke-test bad inputs fail before any request, with one clear annotation", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["invalid YAML", { checks: "- path: /a\n  expect: { status: [200" }, "input 'checks': got text that does not parse ("],
    [
      "an unknown key",
      { checks: "- path: /a\n  expect: { stauts: 200 }" },
      "input 'checks' at [0].expect.stauts: got unknown key 'stauts'",
    ],
    [
      "a bad duration",
      { "request-timeout": "ten seconds" },
      "input 'request-timeout': got \"ten seconds\"; expected a duration such as 250ms, 5s, 2m or 1h30m",
    ],
    [
      "a relative check url",
      { checks: "- url: /health" },
      "input 'checks' at [0].url: got \"/health\"; expected an absolute http:// or https:// URL",
    ],
    [
      "a regex that does not compile",
      { checks: "- path: /a\n  expect: { body-matches: '(unclosed' }" },
      "input 'checks' at [0].expect.body-matches",
    ],
    [
      "a JSON path that does not start with $",
      { checks: "- { path: /a, expect: { json: { version: 1 } } }" },
      "input 'checks' at [0].expect.json.version: got key \"version\"; expected a path starting with $",
    ],
    ["a bad status class", { checks: "- { path: /a, expect: { status: 6xx } }" }, "input 'checks' at [0].expect.status"],
    ["both checks and checks-file", { checks: "- path: /a", "checks-file": "x.yml" }, "either checks or checks-file, not both"],
    ["a missing checks-file", { "checks-file": "does-not-exist.yml" }, "input 'checks-file': got \"does-not-exist.yml\" (no such file)"],
  ];

  it.each(cases)("%s", async (_label, inputs, message) => {
    const before = server.requests.length;
    const run = await runAction("smoke-test", { url: server.url, ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]?.properties.title).toMatch(/^smoke-test: invalid input/);
    expect(run.annotations[0]?.message).toContain(message);
    expect(run.annotations[0]?.message).toContain("nothing was changed");
    expect(server.requests.length).toBe(before);
  });

  it("reports every bad input at once", async () => {
    const run = await runAction("smoke-test", { url: "not-a-url", "request-timeout": "soon", retries: "-1" });
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]?.properties.title).toBe("smoke-test: 3 invalid inputs");
  });
});
