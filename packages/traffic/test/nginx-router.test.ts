import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRouter, type Router, RouterError, renderUpstreamFile, routerSchema } from "../src/index.js";

let dir: string;
let file: string;
let log: string;
let routers: Router[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-nginx-unit-"));
  file = join(dir, "app-upstream.conf");
  log = join(dir, "commands.log");
  writeFileSync(log, "");
});
afterEach(async () => {
  for (const router of routers) await router.close();
  routers = [];
  rmSync(dir, { recursive: true, force: true });
});

const colors = { blue: ["127.0.0.1:8001"], green: ["127.0.0.1:8002"] };

/** A router whose test and reload commands are shell snippets that log what they saw. */
async function router(commands: { test?: string; reload?: string } = {}): Promise<Router> {
  const config = routerSchema.parse({
    provider: "nginx",
    "upstream-file": file,
    colors,
    // The fake test records which color the file held when it ran: proof the write came first.
    "test-command": commands.test ?? `echo "test $(grep -o 'active-color=[a-z]*' ${file})" >> ${log}`,
    "reload-command": commands.reload ?? `echo "reload $(grep -o 'active-color=[a-z]*' ${file})" >> ${log}`,
    "command-timeout": "5s",
  });
  const created = await createRouter(config);
  routers.push(created);
  return created;
}

const commandsRun = () => readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
const strayFiles = () => readdirSync(dir).filter((name) => name !== "app-upstream.conf" && name !== "commands.log");

describe("nginx router, file handling (no nginx needed)", () => {
  it("has no active color before the first switch, then writes the file, tests it and reloads", async () => {
    const r = await router();
    expect(await r.status()).toBeUndefined();
    const result = await r.switchTo("blue");
    expect(result).toMatchObject({ previous: undefined, active: "blue", changed: true });
    expect(result.steps.map((s) => s.name)).toEqual(["write", "test", "reload"]);
    expect(readFileSync(file, "utf8")).toBe(renderUpstreamFile({ "upstream-name": "app", colors }, "blue"));
    expect(commandsRun()).toEqual(["test active-color=blue", "reload active-color=blue"]);
    expect(await r.status()).toBe("blue");
    expect(strayFiles()).toEqual([]);
  });

  it("switches from one color to the other and back", async () => {
    const r = await router();
    await r.switchTo("blue");
    expect(await r.switchTo("green")).toMatchObject({ previous: "blue", active: "green", changed: true });
    expect(readFileSync(file, "utf8")).toContain("server 127.0.0.1:8002;");
    expect(await r.switchTo("blue")).toMatchObject({ previous: "green", active: "blue", changed: true });
    expect(await r.status()).toBe("blue");
  });

  it("does nothing when the file already sends traffic to that color", async () => {
    const r = await router();
    await r.switchTo("green");
    writeFileSync(log, "");
    const result = await r.switchTo("green");
    expect(result).toMatchObject({ previous: "green", active: "green", changed: false, steps: [] });
    expect(commandsRun()).toEqual([]);
  });

  it("restores the previous file and does not reload when the test command fails", async () => {
    const r = await router();
    await r.switchTo("blue");
    const before = readFileSync(file, "utf8");
    writeFileSync(log, "");
    const failing = await router({
      test: `echo "test saw $(grep -o 'active-color=[a-z]*' ${file})" >> ${log}; echo 'emerg: bad upstream' >&2; exit 1`,
    });
    const error = await failing.switchTo("green").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).details).toMatchObject({ step: "test", exitCode: 1, unchanged: true });
    expect((error as Error).message).toContain("emerg: bad upstream");
    expect((error as Error).message).toContain("nothing was reloaded");
    expect(commandsRun()).toEqual(["test saw active-color=green"]);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(await failing.status()).toBe("blue");
    expect(strayFiles()).toEqual([]);
  });

  it("removes the file again when the very first switch fails its test", async () => {
    const r = await router({ test: "false" });
    await expect(r.switchTo("blue")).rejects.toThrow(/removed .* again/);
    expect(readdirSync(dir)).toEqual(["commands.log"]);
  });

  it("restores the previous file when the reload fails", async () => {
    await (await router()).switchTo("blue");
    const failing = await router({ reload: `echo reload >> ${log}; echo 'nginx: no pid file' >&2; exit 1` });
    const error = (await failing.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error.details).toMatchObject({ step: "reload", unchanged: true });
    expect(error.message).toContain("no pid file");
    expect(await failing.status()).toBe("blue");
  });

  it("treats a test command that overruns command-timeout as a failure and kills it", async () => {
    await (await router()).switchTo("blue");
    const config = routerSchema.parse({
      provider: "nginx",
      "upstream-file": file,
      colors,
      "test-command": "sleep 20",
      "command-timeout": "300ms",
    });
    const slow = await createRouter(config);
    routers.push(slow);
    const started = performance.now();
    await expect(slow.switchTo("green")).rejects.toThrow(/no result within 300ms/);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await slow.status()).toBe("blue");
  });

  it("refuses to overwrite a file cutover did not write", async () => {
    writeFileSync(file, "upstream app { server 10.1.1.1:80; }\n");
    const r = await router();
    await expect(r.status()).rejects.toThrow(/was not written by cutover/);
    await expect(r.switchTo("green")).rejects.toThrow(/was not written by cutover/);
    expect(readFileSync(file, "utf8")).toBe("upstream app { server 10.1.1.1:80; }\n");
    expect(commandsRun()).toEqual([]);
  });

  it("touches nothing when cancelled before the switch starts", async () => {
    const r = await router();
    await r.switchTo("blue");
    writeFileSync(log, "");
    const controller = new AbortController();
    controller.abort(new CancelledError("cancelled by SIGTERM"));
    await expect(r.switchTo("green", { signal: controller.signal })).rejects.toThrow(/SIGTERM/);
    expect(await r.status()).toBe("blue");
    expect(commandsRun()).toEqual([]);
  });

  it("undoes a written, tested file when cancelled before the reload", async () => {
    await (await router()).switchTo("blue");
    writeFileSync(log, "");
    const controller = new AbortController();
    // The test command is where the cancellation lands: the write is done, the reload not yet.
    const marker = join(dir, "testing");
    const r = await router({ test: `touch ${marker}; sleep 0.3; echo test >> ${log}` });
    const pending = r.switchTo("green", { signal: controller.signal }).catch((e: unknown) => e);
    while (!readdirSync(dir).includes("testing")) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new CancelledError("cancelled by SIGINT"));
    const error = await pending;
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toMatch(/before the reload; restored the previous .*nothing was reloaded/);
    // The test ran to completion (it was not killed half way), then nothing was reloaded.
    expect(commandsRun()).toEqual(["test"]);
    expect(await r.status()).toBe("blue");
  });

  it("finishes a switch whose reload is already running when cancelled", async () => {
    await (await router()).switchTo("blue");
    const controller = new AbortController();
    const marker = join(dir, "reloading");
    const r = await router({ reload: `touch ${marker}; sleep 0.3; echo reloaded >> ${log}` });
    const pending = r.switchTo("green", { signal: controller.signal });
    while (!readdirSync(dir).includes("reloading")) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new CancelledError("cancelled by SIGINT"));
    await expect(pending).resolves.toMatchObject({ active: "green", changed: true });
    expect(commandsRun().at(-1)).toBe("reloaded");
    expect(await r.status()).toBe("green");
  });
});
