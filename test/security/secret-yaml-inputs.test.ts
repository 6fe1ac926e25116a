// Issue 12 #4: structured secret inputs refuse YAML anchors, aliases, tags and merge keys, and no
// error (annotation, log or stderr) quotes their text. Run against the bundles.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction, visibleText } from "../harness/run-action.js";

const SECRET = "secretValue-7Qx";
let dir: string;
let state: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-sec-yaml-"));
  state = join(dir, "active");
  writeFileSync(state, "blue");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const router = () =>
  JSON.stringify({ provider: "command", "switch-command": `printf %s "$CUTOVER_COLOR" > ${state}`, "status-command": `cat ${state}` });

describe("secret structured inputs (bundles)", () => {
  it.each([
    ["alias", `TOKEN: *${SECRET}`, "an alias (*) on line 1"],
    ["tag", `TOKEN: !${SECRET} x`, "a tag (!) on line 1"],
    ["anchor", `TOKEN: &${SECRET} x`, "an anchor (&) on line 1"],
  ])("blue-green-swap router-env with an %s: refused before switching, nothing quoted", async (_kind, routerEnv, given) => {
    const run = await runAction("blue-green-swap", { router: router(), "router-env": routerEnv });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain(`input 'router-env': got ${given}; expected plain YAML or JSON without anchors`);
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(visibleText(run)).not.toContain(SECRET);
    expect(run.stderr).not.toContain(SECRET);
  });

  it("smoke-test headers with an &-prefixed value is refused, not silently changed", async () => {
    const run = await runAction("smoke-test", { url: "http://127.0.0.1:9/", headers: `Authorization: &${SECRET} Bearer abc` });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain("input 'headers': got an anchor (&) on line 1");
    expect(visibleText(run)).not.toContain(SECRET);
  });

  it("health-gate headers that do not parse name the place, not the text", async () => {
    const run = await runAction("health-gate", { url: "http://127.0.0.1:9/", headers: `Authorization: "Bearer ${SECRET}\n  x: [` });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/input 'headers': got text that does not parse \([A-Z_]+ at line \d+, column \d+\)/);
    expect(visibleText(run)).not.toContain(SECRET);
  });
});
