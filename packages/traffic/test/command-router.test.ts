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

  it("kills a switch command that overruns its timeout", async () => {
    writeFileSync(state, "blue");
    const r = await router({ "switch-command": "sleep 30", "command-timeout": "200ms" });
    const started = performance.now();
    await expect(r.switchTo("green")).rejects.toThrow(/no result within 200ms/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
