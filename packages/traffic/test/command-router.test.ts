import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRouter, type Router, RouterError, routerSchema } from "../src/index.js";

let dir: string;
let state: string;
const routers: Router[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-command-unit-"));
  state = join(dir, "active");
});
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A "platform" whose state is a file: the switch command writes the color, status reads it. */
async function router(overrides: Record<string, unknown> = {}): Promise<Router> {
  const config = routerSchema.parse({
    provider: "command",
    "switch-command": `echo "from=$CUTOVER_PREVIOUS_COLOR to=$CUTOVER_COLOR" >> ${join(dir, "calls")}; printf %s "$CUTOVER_COLOR" > ${state}`,
    "status-command": `echo "checking platform"; cat ${state} 2>/dev/null || echo none`,
    "command-timeout": "5s",
    ...overrides,
  });
  const created = await createRouter(config);
  routers.push(created);
  return created;
}

describe("command router", () => {
  it("reads the active color from the last line the status command prints", async () => {
    writeFileSync(state, "Green\n");
    expect(await (await router()).status()).toBe("green");
  });

  it("reports no active color when the status command prints none", async () => {
    expect(await (await router()).status()).toBeUndefined();
  });

  it("passes CUTOVER_COLOR and CUTOVER_PREVIOUS_COLOR to the switch command, then confirms with status", async () => {
    writeFileSync(state, "blue");
    const r = await router();
    const result = await r.switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true });
    expect(result.steps.map((s) => s.name)).toEqual(["switch-command"]);
    expect(readFileSync(join(dir, "calls"), "utf8")).toBe("from=blue to=green\n");
    expect(await r.status()).toBe("green");
  });

  it("does not run the switch command for the color already active", async () => {
    writeFileSync(state, "blue");
    const result = await (await router()).switchTo("blue");
    expect(result).toMatchObject({ changed: false, previous: "blue" });
    expect(() => readFileSync(join(dir, "calls"))).toThrow();
  });

  it("fails with the command's output when the switch command fails", async () => {
    writeFileSync(state, "blue");
    const r = await router({ "switch-command": "echo 'error: forbidden' >&2; exit 3" });
    const error = (await r.switchTo("green").catch((e: unknown) => e)) as RouterError;
    expect(error).toBeInstanceOf(RouterError);
    expect(error.message).toContain("exit 3");
    expect(error.message).toContain("error: forbidden");
    expect(error.details).toMatchObject({ step: "switch-command", exitCode: 3, unchanged: true });
  });

  it("fails when the switch command exits 0 but the status does not follow", async () => {
    writeFileSync(state, "blue");
    const r = await router({ "switch-command": "true" });
    await expect(r.switchTo("green")).rejects.toThrow(/exited 0 but status-command reports blue, not green/);
  });

  it("rejects status output that is not a color", async () => {
    const r = await router({ "status-command": "echo purple" });
    await expect(r.status()).rejects.toThrow(/printed "purple"; expected blue, green or none/);
  });

  it("passes shares as CUTOVER_WEIGHTS and reads a split back from the status command", async () => {
    writeFileSync(state, "blue");
    // A platform that records the shares and prints them while split, the color when not.
    const r = await router({
      "switch-command": `case "$CUTOVER_WEIGHTS" in *=100*) printf %s "$CUTOVER_COLOR";; *) printf %s "$CUTOVER_WEIGHTS";; esac > ${state}`,
    });
    const split = await r.setWeights({ blue: 90, green: 10 });
    expect(split).toMatchObject({ previous: "blue", active: "blue", changed: true, weights: { blue: 90, green: 10 } });
    expect(readFileSync(state, "utf8")).toBe("blue=90,green=10");
    expect(await r.weights()).toEqual({ blue: 90, green: 10 });
    expect(await r.status()).toBe("blue");
    expect(await r.setWeights({ blue: 90, green: 10 })).toMatchObject({ changed: false });
    await r.setWeights({ blue: 0, green: 100 });
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(await r.weights()).toEqual({ blue: 0, green: 100 });
  });

  it("moves a split back to one color even when the status prints only the larger color", async () => {
    writeFileSync(state, "blue");
    const calls = join(dir, "calls");
    // The platform applies shares; its status command only knows the color with the larger share.
    const r = await router({ "switch-command": `echo "$CUTOVER_WEIGHTS" >> ${calls}; printf %s "$CUTOVER_COLOR" > ${state}` });
    await r.setWeights({ blue: 90, green: 10 });
    expect(await r.status()).toBe("blue");
    // All traffic back to blue: the status already says blue, but 10 % still goes to green.
    expect(await r.switchTo("blue")).toMatchObject({ changed: true });
    expect(readFileSync(calls, "utf8").trim().split("\n")).toEqual(["blue=90,green=10", "blue=100,green=0"]);
    expect(await r.switchTo("blue")).toMatchObject({ changed: false });
  });

  it("refuses a split the status command does not show", async () => {
    writeFileSync(state, "blue");
    const r = await router({ "switch-command": `printf %s blue=50,green=50 > ${state}` });
    await expect(r.setWeights({ blue: 20, green: 80 })).rejects.toThrow(/status-command reports blue=50,green=50, not blue=20,green=80/);
  });

  it("kills a switch command that overruns its timeout", async () => {
    writeFileSync(state, "blue");
    const r = await router({ "switch-command": "sleep 30", "command-timeout": "200ms" });
    const started = performance.now();
    await expect(r.switchTo("green")).rejects.toThrow(/no result within 200ms/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
