import { CancelledError } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../../test/fakes/slack-api.js";
import { closedPort } from "../../../test/harness/test-server.js";
import { type SendPolicy, SlackError, SlackWebClient } from "../src/index.js";

const TOKEN = "xoxb-fake-valid-token";
const policy: SendPolicy = { timeoutMs: 2_000, deadlineMs: 5_000, initialDelayMs: 50 };
let slack: FakeSlack;

beforeEach(async () => {
  slack = await FakeSlack.start();
});
afterEach(async () => {
  await slack.close();
});

async function failure(promise: Promise<unknown>): Promise<SlackError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackError);
  return error as SlackError;
}

describe("SlackWebClient", () => {
  it("posts by channel name, answers with the channel ID, and updates in place", async () => {
    const client = new SlackWebClient(TOKEN, slack.apiUrl, policy);
    const posted = await client.postMessage("#deploys", { text: "started" });
    expect(posted.channel).toBe("C0DEPLOYS1");
    await client.update(posted.channel, posted.ts, { text: "done" });
    const [message] = slack.messages("C0DEPLOYS1");
    expect(message).toMatchObject({ ts: posted.ts, text: "done", edited: 1 });
    expect(slack.calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("raises Slack's own error code, with the block problems Slack lists", async () => {
    const client = new SlackWebClient("xoxb-wrong", slack.apiUrl, policy);
    expect((await failure(client.postMessage("deploys", { text: "x" }))).code).toBe("invalid_auth");
    const good = new SlackWebClient(TOKEN, slack.apiUrl, policy);
    expect((await failure(good.postMessage("nowhere", { text: "x" }))).code).toBe("channel_not_found");
    expect((await failure(good.update("C0DEPLOYS1", "1.000001", { text: "x" }))).code).toBe("message_not_found");
    const blocks = await failure(
      good.postMessage("deploys", { text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] }),
    );
    expect(blocks.code).toBe("invalid_blocks");
    expect(blocks.message).toContain("must be less than 151 characters [json-pointer:/blocks/0/text/text]");
    // Errors are final: not retried.
    expect(slack.calls.filter((c) => c.error === "invalid_blocks")).toHaveLength(1);
  });

  it("waits Retry-After on 429 and then succeeds", async () => {
    slack.rateLimit("chat.postMessage", 1, 1);
    const retries: number[] = [];
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, onRetry: (r) => retries.push(r.delayMs) });
    const started = Date.now();
    await client.postMessage("deploys", { text: "x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([1000]);
    expect(slack.messages("C0DEPLOYS1")).toHaveLength(1);
  });

  it("gives up at once when Retry-After lies past the deadline", async () => {
    slack.rateLimit("chat.postMessage", 1, 30);
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, deadlineMs: 2_000 });
    const started = Date.now();
    const error = await failure(client.postMessage("deploys", { text: "x" }));
    // Far less than the 30s Slack asked for: it did not wait.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.code).toBe("ratelimited");
    expect(error.message).toContain("retry after 30s, past the 2s deadline");
  });

  it("retries 5xx and timeouts with backoff", async () => {
    slack.failNext("chat.postMessage", 2, 503);
    slack.failNext("chat.update", 1, 200, 400);
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, timeoutMs: 200 });
    const posted = await client.postMessage("deploys", { text: "x" });
    expect(slack.calls.filter((c) => c.target === "chat.postMessage").map((c) => c.status)).toEqual([503, 503, 200]);
    await client.update(posted.channel, posted.ts, { text: "y" });
    expect(slack.messages("C0DEPLOYS1")[0]?.text).toBe("y");
  });

  it("bounds the total time when Slack keeps failing", async () => {
    slack.failNext("chat.postMessage", 100, 500);
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, deadlineMs: 600, initialDelayMs: 100 });
    const started = Date.now();
    const error = await failure(client.postMessage("deploys", { text: "x" }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe("service_unavailable");
    expect(error.details.attempts).toBeGreaterThan(1);
  });

  it("reports what Slack answered, not the deadline, when the deadline cuts the last attempt short", async () => {
    slack.failNext("chat.postMessage", 1, 500);
    // Then Slack stops answering for longer than the whole deadline.
    slack.failNext("chat.postMessage", 10, 500, 10_000);
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, deadlineMs: 600, initialDelayMs: 100 });
    const error = await failure(client.postMessage("deploys", { text: "x" }));
    expect(error.code).toBe("service_unavailable");
    expect(error.details.attempts).toBe(2);
    expect(error.message).toContain("deadline of 1s reached");
  });

  it("names a connection failure without the URL", async () => {
    const port = await closedPort();
    const client = new SlackWebClient(TOKEN, `http://127.0.0.1:${port}/api/`, { ...policy, deadlineMs: 300 });
    const error = await failure(client.postMessage("deploys", { text: "x" }));
    expect(error.code).toBe("connection_failed");
    expect(error.message).not.toContain(String(port));
  });

  it("stops waiting when cancelled", async () => {
    slack.rateLimit("chat.postMessage", 1, 5);
    const controller = new AbortController();
    const client = new SlackWebClient(TOKEN, slack.apiUrl, { ...policy, deadlineMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(new CancelledError("cancelled by SIGTERM")), 100);
    await expect(client.postMessage("deploys", { text: "x" })).rejects.toBeInstanceOf(CancelledError);
    expect(slack.messages("C0DEPLOYS1")).toHaveLength(0);
  });
});
