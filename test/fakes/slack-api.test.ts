import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "./slack-api.js";

// The fake must reject what Slack rejects, or the tests built on it prove nothing.
let slack: FakeSlack;
beforeEach(async () => {
  slack = await FakeSlack.start();
});
afterEach(async () => {
  await slack.close();
});

async function api(method: string, body: unknown, token?: string) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const TOKEN = "xoxb-fake-valid-token";

describe("fake Slack Web API", () => {
  it("answers API errors with HTTP 200 and ok:false", async () => {
    expect(await api("chat.postMessage", { channel: "deploys", text: "x" })).toEqual({
      status: 200,
      json: { ok: false, error: "not_authed" },
    });
    expect((await api("chat.postMessage", { channel: "deploys", text: "x" }, "xoxb-other")).json.error).toBe("invalid_auth");
    expect((await api("chat.postMessage", { channel: "nope", text: "x" }, TOKEN)).json.error).toBe("channel_not_found");
    expect((await api("chat.postMessage", { channel: "deploys" }, TOKEN)).json.error).toBe("no_text");
  });

  it("enforces Block Kit limits", async () => {
    const post = async (blocks: unknown[]) => (await api("chat.postMessage", { channel: "deploys", text: "x", blocks }, TOKEN)).json;
    const section = (n: number) => ({ type: "section", text: { type: "mrkdwn", text: "s".repeat(n) } });
    expect((await post([section(3000)])).ok).toBe(true);
    expect((await post([section(3001)])).error).toBe("invalid_blocks");
    expect((await post([{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }])).error).toBe("invalid_blocks");
    expect((await post([{ type: "header", text: { type: "mrkdwn", text: "h" } }])).error).toBe("invalid_blocks");
    expect((await post(Array.from({ length: 51 }, () => ({ type: "divider" })))).error).toBe("invalid_blocks");
    expect((await post([{ type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) }])).error).toBe(
      "invalid_blocks",
    );
    expect((await post([{ type: "bogus" }])).error).toBe("invalid_blocks");
  });

  it("updates only by channel ID and existing ts; threads only under existing parents", async () => {
    const posted = (await api("chat.postMessage", { channel: "#deploys", text: "a" }, TOKEN)).json;
    expect(posted.channel).toBe("C0DEPLOYS1");
    expect((await api("chat.update", { channel: "deploys", ts: posted.ts, text: "b" }, TOKEN)).json.error).toBe("channel_not_found");
    expect((await api("chat.update", { channel: "C0DEPLOYS1", ts: "1.2", text: "b" }, TOKEN)).json.error).toBe("message_not_found");
    expect((await api("chat.update", { channel: "C0DEPLOYS1", ts: posted.ts, text: "b" }, TOKEN)).json.ok).toBe(true);
    expect((await api("chat.postMessage", { channel: "C0DEPLOYS1", thread_ts: "9.9", text: "r" }, TOKEN)).json.error).toBe(
      "thread_not_found",
    );
    await api("chat.postMessage", { channel: "C0DEPLOYS1", thread_ts: posted.ts, text: "r" }, TOKEN);
    expect(slack.messages("C0DEPLOYS1")).toMatchObject([{ text: "b", edited: 1, replies: [{ text: "r" }] }]);
  });

  it("rate limits on demand with Retry-After", async () => {
    slack.rateLimit("chat.postMessage", 1, 3);
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, { method: "POST", body: "{}" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
  });
});

describe("fake incoming webhook", () => {
  it("answers in plain text like Slack", async () => {
    const send = async (url: string, body: string) => {
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      return [r.status, await r.text()];
    };
    expect(await send(slack.webhookUrl(), JSON.stringify({ text: "hi" }))).toEqual([200, "ok"]);
    expect(await send(slack.webhookUrl(), "not json")).toEqual([400, "invalid_payload"]);
    expect(await send(slack.webhookUrl(), JSON.stringify({}))).toEqual([400, "no_text"]);
    expect(await send(`${slack.url}/services/T9/B9/unknown`, JSON.stringify({ text: "hi" }))).toEqual([404, "no_service"]);
  });
});
