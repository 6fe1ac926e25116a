// Issue 12 #9: text that comes from servers or reports (reason, details, fields, text) can neither
// ping nor plant a disguised link; only the `mention` input pings. Run against the bundle (preview).
import { describe, expect, it } from "vitest";
import { runAction } from "../harness/run-action.js";

const ATTACK = "<!channel> <!here> <@U0ATTACK> <!subteam^SEVIL> see <https://evil.example|Click> @everyone";
const PING = /<!channel>|<!here>|<!everyone>|<@U0ATTACK>|<!subteam\^SEVIL>|<https:\/\/evil\.example\|Click>|(?<![\w\u2060])@everyone/;

describe("notify-slack: mention and link injection (bundle)", () => {
  it("escapes attacks in reason, text and fields; the mention input alone pings", async () => {
    const run = await runAction("notify-slack", {
      status: "failure",
      environment: "production",
      version: "v2",
      reason: ATTACK,
      text: ATTACK,
      fields: JSON.stringify({ Detail: ATTACK }),
      mention: "S0ONCALL1",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const payload = run.outputs.payload ?? "";
    expect(payload).toContain("<!subteam^S0ONCALL1>");
    expect(payload).toContain("&lt;!channel&gt;");
    expect(payload).not.toMatch(PING);
  });

  it("escapes attacks in the details reply", async () => {
    const run = await runAction("notify-slack", { status: "failure", details: `smoke report:\n${ATTACK}` });
    expect(run.exitCode, run.stdout).toBe(0);
    const reply = run.log.slice(run.log.indexOf("Thread reply:"));
    expect(reply).toContain("&lt;https://evil.example|Click&gt;");
    expect(reply).not.toMatch(PING);
  });
});
