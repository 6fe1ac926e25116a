// Issue 12 #9: only the `slack-mention` input pings; reason and details (step outputs, reports) can
// neither ping nor plant a disguised link; the user's text and fields keep links but never ping. Run against the bundle (preview).
import { describe, expect, it } from "vitest";
import { runAction } from "../harness/run-action.js";

const PINGS = "<!channel> <!here> <@U0ATTACK> <!subteam^SEVIL> @everyone";
const LINK = "see <https://evil.example|Click>";
const PING = /<!channel>|<!here>|<!everyone>|<@U0ATTACK>|<!subteam\^SEVIL>|(?<![\w\u2060])@everyone/;
const DISGUISED_LINK = /<https:\/\/evil\.example\|Click>/;

describe("notify-slack: mention and link injection (bundle)", () => {
  it("escapes attacks in reason, text and fields; the slack-mention input alone pings", async () => {
    const run = await runAction("notify-slack", {
      status: "failure",
      environment: "production",
      version: "v2",
      // The reason carries step outputs (reports): neither pings nor links survive.
      reason: `${PINGS} ${LINK}`,
      // text and fields are the user's mrkdwn: links stay, pings do not.
      text: PINGS,
      fields: JSON.stringify({ Detail: PINGS }),
      "slack-mention": "S0ONCALL1",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const payload = run.outputs.payload ?? "";
    expect(payload).toContain("<!subteam^S0ONCALL1>");
    expect(payload).toContain("&lt;!channel&gt;");
    expect(payload).not.toMatch(PING);
    expect(payload).not.toMatch(DISGUISED_LINK);
    expect(payload).toContain("&lt;https://evil.example|Click&gt;");
  });

  it("escapes attacks in the details reply", async () => {
    const run = await runAction("notify-slack", { status: "failure", details: `smoke report:\n${PINGS} ${LINK}` });
    expect(run.exitCode, run.stdout).toBe(0);
    const reply = run.log.slice(run.log.indexOf("Thread reply:"));
    expect(reply).toContain("&lt;https://evil.example|Click&gt;");
    expect(reply).not.toMatch(PING);
    expect(reply).not.toMatch(DISGUISED_LINK);
  });
});
