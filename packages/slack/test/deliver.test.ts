import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../../test/fakes/slack-api.js";
import { deliver, type SendPolicy, SlackWebClient, SlackWebhookClient } from "../src/index.js";

const policy: SendPolicy = { timeoutMs: 2_000, deadlineMs: 3_000, initialDelayMs: 50 };
let slack: FakeSlack;

beforeEach(async () => {
  slack = await FakeSlack.start();
});
afterEach(async () => {
  await slack.close();
});

describe("deliver", () => {
  it("posts, then puts details in the new message's thread", async () => {
    const client = new SlackWebClient("xoxb-fake-valid-token", slack.apiUrl, policy);
    const result = await deliver({ kind: "api", client, channel: "deploys" }, { text: "main" }, { text: "details" });
    expect(result).toMatchObject({ ok: true, channelId: "C0DEPLOYS1" });
    expect(result.threadTs).toBe(result.ts);
    const [parent] = slack.messages("C0DEPLOYS1");
    expect(parent?.replies.map((r) => r.text)).toEqual(["details"]);
  });

  it("keeps the main message's ts when only the reply fails", async () => {
    const client = new SlackWebClient("xoxb-fake-valid-token", slack.apiUrl, policy);
    const result = await deliver(
      { kind: "api", client, channel: "deploys" },
      { text: "main" },
      { text: "details", blocks: [{ type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) }] },
    );
    expect(result.ok).toBe(false);
    expect(result.ts).toBeDefined();
    expect(result.error?.code).toBe("invalid_blocks");
    expect(result.sends.map((s) => [s.action, s.ok])).toEqual([
      ["post", true],
      ["reply", false],
    ]);
  });

  it("sends through a webhook and reports its plain-text error codes", async () => {
    const ok = await deliver(
      { kind: "webhook", client: new SlackWebhookClient(slack.webhookUrl(), policy) },
      { text: "hi" },
      { text: "d" },
    );
    expect(ok.ok).toBe(true);
    expect(ok.detailsSkipped).toContain("no ts");
    expect(slack.messages("C0DEPLOYS1").map((m) => [m.text, m.via])).toEqual([["hi", "webhook"]]);
    const bad = await deliver(
      { kind: "webhook", client: new SlackWebhookClient(`${slack.url}/services/T1/B1/nope`, policy) },
      { text: "hi" },
    );
    expect(bad.error?.code).toBe("no_service");
    expect(bad.error?.message).not.toContain("nope");
  });

  it("honours a webhook's 429 Retry-After", async () => {
    slack.rateLimit("webhook", 1, 1);
    const started = Date.now();
    const result = await deliver({ kind: "webhook", client: new SlackWebhookClient(slack.webhookUrl(), policy) }, { text: "hi" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});
