import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../../test/fakes/slack-api.js";
import { type ActionRun, runAction, startAction, visibleText } from "../../../test/harness/run-action.js";

const TOKEN = "xoxb-fake-valid-token";
const GITHUB = {
  GITHUB_REPOSITORY: "acme/shop",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_ACTOR: "octocat",
  GITHUB_SERVER_URL: "https://github.example",
  GITHUB_RUN_ID: "4242",
};

let slack: FakeSlack;
beforeEach(async () => {
  slack = await FakeSlack.start();
});
afterEach(async () => {
  await slack.close();
});

function notify(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction("notify-slack", { "api-url": slack.apiUrl, "request-timeout": "2s", deadline: "10s", ...inputs }, { env: GITHUB });
}

const blocksText = (blocks: unknown[]) => JSON.stringify(blocks);
const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === "warning");
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === "error");

describe("notify-slack", () => {
  it("posts, updates in place and replies in the thread across three runs, fed by each other's outputs", async () => {
    const started = await notify({
      "slack-token": TOKEN,
      "slack-channel": "#deploys",
      status: "started",
      environment: "production",
      version: "v1.4.2",
    });
    expect(started.exitCode).toBe(0);
    expect(started.outputs).toMatchObject({ ok: "true", delivery: "api", "slack-channel": "C0DEPLOYS1" });
    expect(started.outputs["thread-ts"]).toBe(started.outputs["slack-ts"]);

    const finished = await notify({
      "slack-token": TOKEN,
      "slack-channel": started.outputs["slack-channel"] as string,
      "update-ts": started.outputs["slack-ts"] as string,
      status: "success",
      environment: "production",
      version: "v1.4.2",
      "previous-version": "v1.4.1",
      "previous-color": "blue",
      "active-color": "green",
      details: "migrations: 2 applied\nsmoke: 14/14 passed",
    });
    expect(finished.exitCode).toBe(0);
    expect(finished.outputs["slack-ts"]).toBe(started.outputs["slack-ts"]);

    const note = await notify({
      "slack-token": TOKEN,
      "slack-channel": finished.outputs["slack-channel"] as string,
      "thread-ts": finished.outputs["thread-ts"] as string,
      status: "info",
      text: "bake finished: error rate 0.1% (limit 1%)",
    });
    expect(note.exitCode).toBe(0);
    expect(note.outputs["thread-ts"]).toBe(started.outputs["slack-ts"]);

    // One parent, now a success, edited once; details and the note in its thread.
    const messages = slack.messages("C0DEPLOYS1");
    expect(messages).toHaveLength(1);
    const parent = messages[0]!;
    expect(parent.edited).toBe(1);
    expect(parent.text).toBe("✅ Deployed v1.4.2 to production");
    const text = blocksText(parent.blocks);
    expect(text).not.toContain("Deploying");
    expect(text).toContain("🔵 blue → 🟢 green");
    expect(text).toContain("|0123456>");
    expect(text).toMatch(/\*Duration\*\\n\d+(\.\d+)?(ms|s)/);
    expect(text).toContain("/compare/v1.4.1...v1.4.2");
    expect(parent.replies.map((r) => blocksText(r.blocks))).toEqual([
      expect.stringContaining("smoke: 14/14 passed"),
      expect.stringContaining("bake finished: error rate 0.1%"),
    ]);
  });

  it("waits out a 429 and then posts once", async () => {
    slack.rateLimit("chat.postMessage", 1, 1);
    const run = await notify({ "slack-token": TOKEN, "slack-channel": "deploys", status: "started" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe("true");
    expect(run.log).toMatch(/ratelimited on attempt 1; retrying in 1s/);
    expect(slack.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(slack.messages("C0DEPLOYS1")).toHaveLength(1);
  });

  it("with fail-on-error false, an invalid token leaves the step green with a warning naming Slack's error", async () => {
    const run = await notify({ "slack-token": "xoxb-revoked-or-wrong", "slack-channel": "deploys", status: "failure" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe("false");
    expect(warnings(run)).toHaveLength(1);
    expect(warnings(run)[0]?.message).toContain("invalid_auth");
    expect(warnings(run)[0]?.properties.title).toContain("Slack message not sent (invalid_auth)");
    expect(warnings(run)[0]?.message).toContain("Hint: Slack rejected the token");
    expect(run.summary).toContain("not sent: `invalid_auth`");
    expect(run.summary).toContain("Hint: Slack rejected the token");
    expect(JSON.parse(run.outputs.report as string).error.code).toBe("invalid_auth");
    expect(visibleText(run)).not.toContain("xoxb-revoked-or-wrong");
  });

  it("with fail-on-error true, an invalid token fails the step", async () => {
    const run = await notify({ "slack-token": "xoxb-revoked-or-wrong", "slack-channel": "deploys", "fail-on-error": "true" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]?.properties.title).toBe("notify-slack: Slack message not sent (invalid_auth)");
    expect(errors(run)[0]?.message).toContain("chat.postMessage: measured invalid_auth, expected ok — Slack rejected the token");
    expect(run.outputs.ok).toBe("false");
    expect(visibleText(run)).not.toContain("xoxb-revoked-or-wrong");
  });

  it("truncates over-long text visibly instead of having Slack reject the message", async () => {
    const run = await notify({ "slack-token": TOKEN, "slack-channel": "deploys", text: "z".repeat(5000), title: "T".repeat(400) });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ok).toBe("true");
    const [message] = slack.messages("C0DEPLOYS1");
    const [header, body] = message!.blocks as { text: { text: string } }[];
    expect(header!.text.text.length).toBeLessThanOrEqual(150);
    expect(body!.text.text.length).toBeLessThanOrEqual(3000);
    expect(body!.text.text).toMatch(/… \(truncated\)$/);
    expect(run.log).toContain("Cut to fit Slack's limits");
  });

  it("previews when no credentials are given: summary and log, green, nothing sent", async () => {
    const run = await notify({
      status: "failure",
      environment: "staging",
      version: "v9",
      reason: "smoke-test: 2 of 5 checks failed",
      "slack-mention": "S0ONCALL1",
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ ok: "true", delivery: "preview" });
    expect(run.summary).toContain("preview only");
    expect(run.summary).toContain("#### ❌ Deployment of v9 to staging failed");
    expect(run.summary).toContain(
      "[Roll back with the rollback workflow](https://github.example/acme/shop/actions/workflows/rollback.yml)",
    );
    expect(run.log).toContain("<!subteam^S0ONCALL1>");
    expect(JSON.parse(run.outputs.payload as string).blocks[0].type).toBe("header");
    expect(slack.calls).toHaveLength(0);
  });

  it("sends through an incoming webhook, and never shows its URL", async () => {
    const url = slack.webhookUrl();
    const run = await notify({ "slack-webhook-url": url, status: "success", version: "v2", details: "long log" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ ok: "true", delivery: "webhook" });
    expect(slack.messages("C0DEPLOYS1")[0]?.via).toBe("webhook");
    expect(warnings(run)[0]?.message).toContain("details were not sent");
    expect(run.masks).toContain(url);
    expect(visibleText(run)).not.toContain("fakewebhooksecret1234");
  });

  it("reports a webhook error code without the URL", async () => {
    const run = await notify({ "slack-webhook-url": `${slack.url}/services/T1/B1/revokedsecret999` });
    expect(run.exitCode).toBe(0);
    expect(warnings(run)[0]?.message).toContain("no_service");
    expect(visibleText(run)).not.toContain("revokedsecret999");
  });

  it("refuses update-ts with a webhook before sending anything", async () => {
    const run = await notify({ "slack-webhook-url": slack.webhookUrl(), "update-ts": "1732280000.000100" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("input 'update-ts'");
    expect(errors(run)[0]?.message).toContain("an incoming webhook can only post new messages");
    expect(slack.calls).toHaveLength(0);
  });

  it("asks for the channel ID when updating by channel name", async () => {
    const run = await notify({ "slack-token": TOKEN, "slack-channel": "#deploys", "update-ts": "1732280000.000100" });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.message).toContain("input 'slack-channel'");
    expect(errors(run)[0]?.message).toContain("slack-channel output");
    expect(slack.calls).toHaveLength(0);
  });

  it("names the input and path of a bad fields map and payload", async () => {
    const run = await notify({
      "slack-token": TOKEN,
      "slack-channel": "deploys",
      fields: "region: [a, b]",
      payload: "blocks: [{text: no type}]",
    });
    expect(run.exitCode).toBe(1);
    const message = errors(run)[0]?.message ?? "";
    expect(message).toContain("input 'fields' at region");
    expect(message).toContain("input 'payload' at blocks[0].type");
    expect(slack.calls).toHaveLength(0);
  });

  it("sends a user payload instead of the layout, still within Slack's limits", async () => {
    const payload = JSON.stringify({ blocks: [{ type: "section", text: { type: "mrkdwn", text: "custom ".repeat(1000) } }] });
    const run = await notify({
      "slack-token": TOKEN,
      "slack-channel": "deploys",
      payload,
      title: "Custom <deploy>",
      text: "unused",
      status: "success",
    });
    expect(run.exitCode).toBe(0);
    expect(warnings(run)[0]?.message).toContain("ignored: text");
    const [message] = slack.messages("C0DEPLOYS1");
    expect(message!.text).toBe("✅ Custom &lt;deploy&gt;");
    expect(blocksText(message!.blocks)).toContain("custom custom");
  });

  it("keeps the token out of everything a person or a later step can see", async () => {
    slack.rateLimit("chat.postMessage", 1, 1);
    const run = await notify({ "slack-token": TOKEN, "slack-channel": "nowhere", details: "d" });
    expect(run.exitCode).toBe(0);
    expect(warnings(run)[0]?.message).toContain("channel_not_found");
    expect(run.masks).toContain(TOKEN);
    expect(visibleText(run)).not.toContain(TOKEN);
    expect(run.stdout.replaceAll(`::add-mask::${TOKEN}`, "")).not.toContain(TOKEN);
  });

  it("stops at once on SIGTERM while waiting out a 429, posting nothing", async () => {
    slack.rateLimit("chat.postMessage", 1, 20);
    const running = startAction(
      "notify-slack",
      { "slack-token": TOKEN, "slack-channel": "deploys", "api-url": slack.apiUrl, deadline: "60s" },
      { env: GITHUB },
    );
    await running.waitForLog("retrying in 20s");
    const killedAt = Date.now();
    running.kill("SIGTERM");
    const run = await running.done;
    // The 429 asked for 20s; stopping well before that shows the wait was abandoned.
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]?.properties.title).toBe("notify-slack: cancelled");
    expect(slack.messages("C0DEPLOYS1")).toHaveLength(0);
  });
});
