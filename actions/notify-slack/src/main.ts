import { formatDuration, GateFailedError } from "@cutover/core";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import {
  type DeliveryResult,
  type DeliveryTarget,
  deliver,
  hintFor,
  type SendPolicy,
  SlackWebClient,
  SlackWebhookClient,
} from "@cutover/slack";
import { buildMessages } from "./build-message.js";
import { notifySlack } from "./inputs.js";
import { resolveMode } from "./resolve-target.js";
import { renderSummary } from "./summary.js";

await runAction(notifySlack, async (inputs, { signal, redactor, log, github }) => {
  const mode = resolveMode(inputs);
  const built = buildMessages(inputs, github);
  if (built.ignored.length > 0)
    log.warning(`payload replaces the built-in layout, so these inputs were ignored: ${built.ignored.join(", ")}`);
  for (const cut of built.truncations) log.info(`Cut to fit Slack's limits: ${cut}`);
  const payload = JSON.stringify(built.main);

  if (mode.kind === "preview") {
    log.info("No slack-token or slack-webhook-url given: preview only, nothing was sent.");
    log.info(`Message:\n${JSON.stringify(built.main, null, 2)}`);
    if (built.details) log.info(`Thread reply:\n${JSON.stringify(built.details, null, 2)}`);
    setOutputs({ ok: true, delivery: "preview", payload }, redactor);
    setReport({ delivery: "preview", ok: true, sends: [], truncations: built.truncations, payload: built.main }, redactor);
    await writeSummary(
      renderSummary({ mode: "preview", main: built.main, ...details(built.details), truncations: built.truncations }),
      redactor,
    );
    return;
  }

  const policy: SendPolicy = {
    timeoutMs: inputs["request-timeout"],
    deadlineMs: inputs.deadline,
    signal,
    onRetry: ({ method, attempt, delayMs, reason }) =>
      log.info(`↻ ${method}: ${reason} on attempt ${attempt}; retrying in ${formatDuration(delayMs)}`),
  };
  const target: DeliveryTarget =
    mode.kind === "api"
      ? { ...mode, client: new SlackWebClient(mode.token, inputs["api-url"], policy) }
      : { kind: "webhook", client: new SlackWebhookClient(mode.url, policy), ...(mode.threadTs ? { threadTs: mode.threadTs } : {}) };
  const verb = mode.kind === "api" ? (mode.updateTs ? `Updating message ${mode.updateTs} in` : "Posting to") : "Posting through";
  log.info(`${verb} ${mode.kind === "api" ? mode.channel : "the incoming webhook"}`);

  const result = await deliver(target, built.main, built.details);
  for (const send of result.sends)
    log.info(`${send.ok ? "✓" : "✗"} ${send.action}${send.ts ? ` ts=${send.ts}` : ""}${send.error ? `: ${send.error}` : ""}`);
  if (result.detailsSkipped) log.warning(`details were not sent: ${result.detailsSkipped}`);

  setOutputs(
    { ok: result.ok, delivery: mode.kind, "slack-ts": result.ts, "thread-ts": result.threadTs, "slack-channel": result.channelId, payload },
    redactor,
  );
  setReport(report(mode.kind, result, built.truncations), redactor);
  await writeSummary(
    renderSummary({ mode: mode.kind, main: built.main, ...details(built.details), result, truncations: built.truncations }),
    redactor,
  );

  if (result.error) {
    const { code, method } = result.error;
    const hint = hintFor(code);
    const message = `${result.error.message}${hint ? `\nHint: ${hint}` : ""}`;
    if (inputs["fail-on-error"]) {
      // The user asked for a delivered message as a condition of success: a gate that said no.
      throw new GateFailedError(`Slack message not sent (${code})`, [
        { subject: method, measured: code, expected: `ok${hint ? ` — ${hint}` : ""}` },
      ]);
    }
    // Never silent: the step stays green as asked, but the run page shows why nothing arrived.
    log.warning(`${message}\nThe step continues because fail-on-error is false.`, {
      title: `notify-slack: Slack message not sent (${code})`,
    });
  }
});

function details(message: ReturnType<typeof buildMessages>["details"]) {
  return message ? { details: message } : {};
}

function report(mode: string, result: DeliveryResult, truncations: string[]) {
  return {
    delivery: mode,
    ok: result.ok,
    "slack-ts": result.ts ?? null,
    "thread-ts": result.threadTs ?? null,
    "slack-channel": result.channelId ?? null,
    sends: result.sends,
    error: result.error ? { code: result.error.code, message: result.error.message } : null,
    truncations,
  };
}
