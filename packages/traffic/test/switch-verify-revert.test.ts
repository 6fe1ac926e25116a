import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError, GateFailedError } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../test/harness/test-server.js";
import {
  type Color,
  createRouter,
  newSwitchRecord,
  probeColor,
  type Router,
  routerSchema,
  type SwitchVerifyRevertOptions,
  switchVerifyRevert,
} from "../src/index.js";

let dir: string;
let state: string;
let server: TestServer;
/** What the public URL answers: by default the color the platform (the state file) sends traffic to. */
let answer: () => { color: string; version?: string; status?: number };
const routers: Router[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cutover-svr-"));
  state = join(dir, "active");
  writeFileSync(state, "blue");
  answer = () => ({ color: readFileSync(state, "utf8") });
  server = await startTestServer((_req, res) => {
    const a = answer();
    res.writeHead(a.status ?? 200, { "content-type": "application/json", "x-color": a.color });
    res.end(JSON.stringify({ version: a.version ?? "v1" }));
  });
});
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A real command router over a state file: the switch command writes the color, status reads it. */
async function router(
  switchCommand = `echo "$CUTOVER_COLOR" >> ${join(dir, "calls")}; printf %s "$CUTOVER_COLOR" > ${state}`,
): Promise<Router> {
  const created = await createRouter(
    routerSchema.parse({ provider: "command", "switch-command": switchCommand, "status-command": `cat ${state}`, "command-timeout": "5s" }),
  );
  routers.push(created);
  return created;
}

function options(overrides: Partial<SwitchVerifyRevertOptions> = {}): SwitchVerifyRevertOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    target: "green",
    verify: { url: `${server.url}/health`, expect: { headers: { "x-color": "{color}" } }, timeoutMs: 5_000 },
    revertOnFailure: true,
    onCancel: "revert",
    whenActive: "skip",
    signal: new AbortController().signal,
    log: (line) => lines.push(line),
    lines,
    ...overrides,
  };
}

const calls = () => readFileSync(join(dir, "calls"), "utf8").trim().split("\n");

describe("switch, verify, revert", () => {
  it("splits traffic for a canary share, verifying what does not name a color", async () => {
    const r = await router(`echo "$CUTOVER_WEIGHTS" >> ${join(dir, "calls")}; printf %s "$CUTOVER_WEIGHTS" > ${state}`);
    const record = newSwitchRecord(await r.status());
    record.previousWeights = await r.weights();
    const run = options({
      target: "blue",
      weights: { blue: 90, green: 10 },
      verify: { url: `${server.url}/health`, expect: { status: 200, headers: { "x-color": "{color}" } }, timeoutMs: 5_000 },
    });
    await switchVerifyRevert(r, record, run);
    expect(record).toMatchObject({ previous: "blue", active: "blue", switched: true, weights: { blue: 90, green: 10 } });
    expect(record.verification?.expect).toEqual({ status: 200 });
    expect(readFileSync(state, "utf8")).toBe("blue=90,green=10");
    expect(run.lines[0]).toContain("blue → blue=90,green=10");
  });

  it("puts the shares that were there back when a split fails verification", async () => {
    answer = () => ({ color: "blue", status: 503 });
    writeFileSync(state, "blue=90,green=10");
    const r = await router(`echo "$CUTOVER_WEIGHTS" >> ${join(dir, "calls")}; printf %s "$CUTOVER_WEIGHTS" > ${state}`);
    const record = newSwitchRecord(await r.status());
    record.previousWeights = await r.weights();
    const run = options({
      target: "green",
      weights: { blue: 50, green: 50 },
      verify: { url: server.url, expect: undefined, timeoutMs: 500 },
    });
    const error = await switchVerifyRevert(r, record, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateFailedError);
    expect(calls()).toEqual(["blue=50,green=50", "blue=90,green=10"]);
    expect(record).toMatchObject({ reverted: true, weights: { blue: 90, green: 10 } });
  });

  it("switches, then proves the public URL shows the target three times in a row", async () => {
    const r = await router();
    const record = newSwitchRecord(await r.status());
    await switchVerifyRevert(r, record, options());
    expect(record).toMatchObject({ previous: "blue", target: "green", active: "green", switched: true, reverted: false });
    expect(record.verification).toMatchObject({ ok: true, attempts: 3, expect: { headers: { "x-color": "green" } } });
    expect(readFileSync(state, "utf8")).toBe("green");
  });

  it("reverts when the target fails verification and says so as a gate, with what was seen", async () => {
    answer = () => ({ color: "blue" });
    const r = await router();
    const record = newSwitchRecord("blue");
    const run = options({ verify: { url: `${server.url}/health`, expect: { headers: { "x-color": "{color}" } }, timeoutMs: 600 } });
    const error = await switchVerifyRevert(r, record, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateFailedError);
    expect((error as GateFailedError).summary).toBe(
      `green failed verification at ${server.url}/health (HTTP 200: header x-color "blue" (expected green)); traffic was reverted to blue`,
    );
    expect((error as GateFailedError).findings[0]).toMatchObject({ measured: '"blue"', expected: "green" });
    expect(record).toMatchObject({ active: "blue", switched: false, reverted: true, revert: { ok: true } });
    expect(calls()).toEqual(["green", "blue"]);
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  it("leaves traffic on the target when revertOnFailure is false", async () => {
    answer = () => ({ color: "blue", status: 503 });
    const record = newSwitchRecord("blue");
    const run = options({ revertOnFailure: false, verify: { url: server.url, expect: undefined, timeoutMs: 500 } });
    const error = await switchVerifyRevert(await router(), record, run).catch((e: unknown) => e);
    expect((error as GateFailedError).summary).toContain("traffic was left on green because revert-on-failure is false");
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(record.reverted).toBe(false);
  });

  it("checks {version} and names the version when one is given", async () => {
    answer = () => ({ color: readFileSync(state, "utf8"), version: "v1" });
    const record = newSwitchRecord("blue");
    const run = options({ version: "v2", verify: { url: server.url, expect: { json: { "$.version": "{version}" } }, timeoutMs: 500 } });
    const error = await switchVerifyRevert(await router(), record, run).catch((e: unknown) => e);
    expect((error as GateFailedError).summary).toMatch(/^green \(v2\) failed verification/);
    expect(record.verification?.expect).toEqual({ json: { "$.version": "v2" } });
  });

  it("a cancel during verification reverts a swap (onCancel revert)", async () => {
    const controller = new AbortController();
    answer = () => {
      controller.abort(new CancelledError("cancelled by test"));
      return { color: "blue", status: 503 };
    };
    const record = newSwitchRecord("blue");
    const error = await switchVerifyRevert(await router(), record, options({ signal: controller.signal })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe("cancelled by test while verifying green; traffic was reverted to blue");
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  it("a cancel during verification keeps a rollback's target (onCancel finish) and says what was cut short", async () => {
    const controller = new AbortController();
    answer = () => {
      controller.abort(new CancelledError("cancelled by test"));
      return { color: "blue", status: 503 };
    };
    const record = newSwitchRecord("blue");
    await switchVerifyRevert(await router(), record, options({ signal: controller.signal, onCancel: "finish" }));
    expect(record.cancelled).toBe("cancelled by test while verifying green: traffic stays on green, verification was cut short");
    expect(record).toMatchObject({ active: "green", switched: true, reverted: false });
    expect(readFileSync(state, "utf8")).toBe("green");
  });

  it("whenActive skip does nothing for the active color; apply still switches and verifies", async () => {
    writeFileSync(state, "green");
    const skipped = newSwitchRecord("green");
    await switchVerifyRevert(await router(), skipped, options());
    expect(skipped).toMatchObject({ noop: true, switched: false });
    expect(skipped.verification).toBeUndefined();
    const applied = newSwitchRecord("green");
    await switchVerifyRevert(await router(), applied, options({ whenActive: "apply" }));
    expect(applied).toMatchObject({ noop: false, switched: true, switch: { changed: false } });
    expect(applied.verification?.ok).toBe(true);
  });

  it("a refused switch is a gate saying no; traffic stays where it was", async () => {
    const record = newSwitchRecord("blue");
    const error = await switchVerifyRevert(await router("echo no capacity >&2; exit 3"), record, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateFailedError);
    expect((error as GateFailedError).summary).toMatch(/^switch to green failed: .*\(traffic stays on blue\)$/);
    expect(record).toMatchObject({ active: "blue", switched: false });
    expect(readFileSync(state, "utf8")).toBe("blue");
  });
});

describe("probing a color through the router", () => {
  async function nginx(blue: string): Promise<Router> {
    const created = await createRouter(
      routerSchema.parse({
        provider: "nginx",
        "upstream-file": join(dir, "upstream.conf"),
        colors: { blue: [blue], green: ["127.0.0.1:1 weight=2"] },
      }),
    );
    routers.push(created);
    return created;
  }

  it("nginx knows a color's address; the command router does not", async () => {
    const r = await nginx("10.0.0.5:8080 weight=3");
    expect(r.colorAddress("blue")).toBe("10.0.0.5:8080");
    expect(r.colorAddress("green")).toBe("127.0.0.1:1");
    expect((await nginx("unix:/run/app.sock")).colorAddress("blue")).toBeUndefined();
    expect((await router()).colorAddress("blue")).toBeUndefined();
  });

  it("asks the color itself, with the public URL's path and Host, and reads the version", async () => {
    answer = () => ({ color: "blue", version: "1.4.2" });
    const r = await nginx(`127.0.0.1:${server.port}`);
    const signal = new AbortController().signal;
    const probe = await probeColor(r, "https://shop.example.com/version?x=1", "blue" satisfies Color, signal);
    expect(probe).toEqual({ color: "blue", reachable: true, version: "1.4.2" });
    expect(server.requests.at(-1)).toMatchObject({ url: "/version?x=1", headers: { host: "shop.example.com" } });
    expect(await probeColor(r, "https://shop.example.com/", "green", signal)).toEqual({ color: "green", reachable: false });
    expect(await probeColor(r, undefined, "blue", signal)).toBeUndefined();
  });
});
