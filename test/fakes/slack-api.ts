import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake of the Slack Web API (chat.postMessage, chat.update) and of incoming webhooks: a real
 * HTTP server on 127.0.0.1 that enforces what Slack enforces — auth, channel lookup, Block Kit
 * limits, message and thread existence, 429 with Retry-After — with Slack's response shapes
 * (HTTP 200 + `{ok:false,error}` for API errors; plain-text codes with 4xx for webhooks).
 * Its limits are written out here independently of @cutover/slack, so a bug there shows.
 */

export interface FakeMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[];
  attachments: unknown[];
  threadTs?: string;
  edited: number;
  replies: FakeMessage[];
  via: "api" | "webhook";
}

export interface FakeSlackOptions {
  /** Valid bot tokens. */
  tokens?: string[];
  /** Channel ID → name. */
  channels?: Record<string, string>;
  /** Webhook path (after /services/) → channel ID. */
  webhooks?: Record<string, string>;
}

interface Injected {
  target: string;
  times: number;
  status: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

type ApiReply = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> };

export class FakeSlack {
  readonly tokens: Set<string>;
  readonly channels: Map<string, string>;
  readonly webhooks: Map<string, string>;
  /** Top-level messages per channel ID, oldest first. */
  readonly history = new Map<string, FakeMessage[]>();
  /** Every request, with the method or webhook path and Slack's answer code. */
  readonly calls: { target: string; status: number; error?: string; authorization?: string }[] = [];
  private readonly injected: Injected[] = [];
  private counter = 0;
  private server = createServer((req, res) => this.handle(req, res));
  url = "";

  constructor(options: FakeSlackOptions = {}) {
    this.tokens = new Set(options.tokens ?? ["xoxb-fake-valid-token"]);
    this.channels = new Map(Object.entries(options.channels ?? { C0DEPLOYS1: "deploys", C0RANDOM01: "random" }));
    this.webhooks = new Map(Object.entries(options.webhooks ?? { "T0000/B0000/fakewebhooksecret1234": "C0DEPLOYS1" }));
    for (const id of this.channels.keys()) this.history.set(id, []);
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  webhookUrl(path = [...this.webhooks.keys()][0] as string): string {
    return `${this.url}/services/${path}`;
  }

  /** The next `times` requests to `target` (a method, or `webhook`) get 429 with Retry-After. */
  rateLimit(target: string, times: number, retryAfterSeconds: number): void {
    this.injected.push({ target, times, status: 429, retryAfterSeconds });
  }

  /** The next `times` requests to `target` fail with `status` (e.g. 503), or stall for `delayMs` first. */
  failNext(target: string, times: number, status: number, delayMs?: number): void {
    this.injected.push({ target, times, status, ...(delayMs === undefined ? {} : { delayMs }) });
  }

  messages(channelId: string): FakeMessage[] {
    return this.history.get(channelId) ?? [];
  }

  find(channelId: string, ts: string): FakeMessage | undefined {
    for (const message of this.messages(channelId)) {
      if (message.ts === ts) return message;
      const reply = message.replies.find((r) => r.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    // Like Slack: seconds and microseconds of the post time, unique within the channel.
    this.counter += 1;
    const now = Date.now();
    const micros = (now % 1000) * 1000 + (this.counter % 1000);
    return `${Math.floor(now / 1000)}.${String(micros).padStart(6, "0")}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const isWebhook = path.startsWith("/services/");
      const target = isWebhook ? "webhook" : path.replace(/^\/api\//, "");
      const injected = this.injected.find((i) => i.target === target && i.times > 0);
      const respond = () => {
        if (injected) {
          injected.times -= 1;
          const headers: Record<string, string> = { "content-type": isWebhook ? "text/plain" : "application/json" };
          if (injected.retryAfterSeconds !== undefined) headers["retry-after"] = String(injected.retryAfterSeconds);
          const error = injected.status === 429 ? (isWebhook ? "rate_limited" : "ratelimited") : "service_unavailable";
          this.calls.push({ target, status: injected.status, error });
          res.writeHead(injected.status, headers);
          res.end(isWebhook ? error : JSON.stringify({ ok: false, error }));
          return;
        }
        if (isWebhook) this.webhook(path.slice("/services/".length), raw, res);
        else this.api(target, req, raw, res);
      };
      if (injected?.delayMs) setTimeout(respond, injected.delayMs);
      else respond();
    });
  }

  private api(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const reply = this.apiReply(method, req, raw);
    const error = reply.body.ok === false ? String(reply.body.error) : undefined;
    this.calls.push({ target: method, status: reply.status ?? 200, ...(error ? { error } : {}), ...authOf(req) });
    res.writeHead(reply.status ?? 200, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  private apiReply(method: string, req: IncomingMessage, raw: string): ApiReply {
    if (req.method !== "POST" && req.method !== "GET") return { status: 405, body: { ok: false, error: "method_not_supported" } };
    if (method !== "chat.postMessage" && method !== "chat.update") return { status: 404, body: { ok: false, error: "unknown_method" } };
    const contentType = req.headers["content-type"] ?? "";
    let args: Record<string, unknown>;
    let token: string | undefined;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (contentType.startsWith("application/json")) {
      try {
        args = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return { body: { ok: false, error: "invalid_json" } };
      }
      // Slack ignores a token in a JSON body: JSON callers must send it in the header.
      token = bearer;
    } else {
      const form = new URLSearchParams(raw);
      args = Object.fromEntries(form);
      for (const key of ["blocks", "attachments"]) {
        if (typeof args[key] === "string") {
          try {
            args[key] = JSON.parse(args[key] as string);
          } catch {
            return { body: { ok: false, error: key === "blocks" ? "invalid_blocks_format" : "invalid_attachments" } };
          }
        }
      }
      token = bearer ?? form.get("token") ?? undefined;
    }
    if (!token) return { body: { ok: false, error: "not_authed" } };
    if (!this.tokens.has(token)) return { body: { ok: false, error: "invalid_auth" } };
    const warning = contentType.startsWith("application/json") && !/charset=utf-8/i.test(contentType) ? { warning: "missing_charset" } : {};

    const content = this.validateContent(args);
    if ("error" in content) return { body: { ok: false, ...content, ...warning } };

    const channelArg = typeof args.channel === "string" ? args.channel : "";
    if (method === "chat.update") {
      // chat.update takes only the channel ID; a name is not found.
      if (!this.channels.has(channelArg)) return { body: { ok: false, error: "channel_not_found", ...warning } };
      const message = typeof args.ts === "string" ? this.find(channelArg, args.ts) : undefined;
      if (!message) return { body: { ok: false, error: "message_not_found", ...warning } };
      message.text = content.text;
      message.blocks = content.blocks;
      if (Array.isArray(args.attachments)) message.attachments = args.attachments;
      message.edited += 1;
      return { body: { ok: true, channel: channelArg, ts: message.ts, text: message.text, message: view(message), ...warning } };
    }

    const channelId = this.resolveChannel(channelArg);
    if (!channelId) return { body: { ok: false, error: "channel_not_found", ...warning } };
    const threadTs = typeof args.thread_ts === "string" && args.thread_ts !== "" ? args.thread_ts : undefined;
    const message = this.store(channelId, content, "api", threadTs);
    if (!message) return { body: { ok: false, error: "thread_not_found", ...warning } };
    return { body: { ok: true, channel: channelId, ts: message.ts, message: view(message), ...warning } };
  }

  private webhook(path: string, raw: string, res: ServerResponse): void {
    const [status, body] = this.webhookReply(path, raw);
    this.calls.push({ target: "webhook", status, ...(status === 200 ? {} : { error: body }) });
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(body);
  }

  private webhookReply(path: string, raw: string): [number, string] {
    const channelId = this.webhooks.get(path);
    if (!channelId) return [404, "no_service"];
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(raw) as Record<string, unknown>;
      if (args === null || typeof args !== "object" || Array.isArray(args)) throw new Error("not an object");
    } catch {
      return [400, "invalid_payload"];
    }
    const content = this.validateContent(args);
    if ("error" in content) return [400, content.error];
    const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
    if (!this.store(channelId, content, "webhook", threadTs)) return [404, "thread_not_found"];
    return [200, "ok"];
  }

  private resolveChannel(value: string): string | undefined {
    if (this.channels.has(value)) return value;
    const name = value.replace(/^#/, "");
    for (const [id, channelName] of this.channels) if (channelName === name) return id;
    return undefined;
  }

  private store(
    channelId: string,
    content: { text: string; blocks: unknown[]; attachments: unknown[] },
    via: FakeMessage["via"],
    threadTs?: string,
  ): FakeMessage | undefined {
    const message: FakeMessage = { ts: this.nextTs(), channel: channelId, ...content, edited: 0, replies: [], via };
    if (threadTs) {
      const parent = this.messages(channelId).find((m) => m.ts === threadTs);
      if (!parent) return undefined;
      message.threadTs = threadTs;
      parent.replies.push(message);
    } else {
      this.history.get(channelId)?.push(message);
    }
    return message;
  }

  /** Slack's content rules: text or blocks present, message length, and Block Kit limits. */
  private validateContent(
    args: Record<string, unknown>,
  ): { text: string; blocks: unknown[]; attachments: unknown[] } | { error: string; response_metadata?: { messages: string[] } } {
    const text = typeof args.text === "string" ? args.text : "";
    const blocks = args.blocks === undefined ? [] : args.blocks;
    const attachments = Array.isArray(args.attachments) ? args.attachments : [];
    if (!Array.isArray(blocks)) return { error: "invalid_blocks_format" };
    if (!text && blocks.length === 0 && attachments.length === 0) return { error: "no_text" };
    if (text.length > 40_000) return { error: "msg_too_long" };
    const problems = blockProblems(blocks, "/blocks");
    attachments.forEach((a, i) => {
      const nested = (a as { blocks?: unknown }).blocks;
      if (Array.isArray(nested)) problems.push(...blockProblems(nested, `/attachments/${i}/blocks`));
    });
    if (problems.length > 0) return { error: "invalid_blocks", response_metadata: { messages: problems } };
    return { text, blocks, attachments };
  }
}

function authOf(req: IncomingMessage): { authorization?: string } {
  return req.headers.authorization ? { authorization: req.headers.authorization } : {};
}

function view(message: FakeMessage) {
  return {
    type: "message",
    text: message.text,
    blocks: message.blocks,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  };
}

const BLOCK_TYPES = new Set([
  "section",
  "header",
  "context",
  "divider",
  "actions",
  "image",
  "rich_text",
  "input",
  "file",
  "video",
  "markdown",
]);

/** The checks Slack makes on blocks, worded as Slack words them in response_metadata.messages. */
function blockProblems(blocks: unknown[], pointer: string): string[] {
  const problems: string[] = [];
  const err = (what: string, at: string): void => {
    problems.push(`[ERROR] ${what} [json-pointer:${at}]`);
  };
  if (blocks.length > 50) err("no more than 50 items allowed", pointer);
  for (const [i, raw] of blocks.entries()) {
    const at = `${pointer}/${i}`;
    if (raw === null || typeof raw !== "object") {
      err("must be an object", at);
      continue;
    }
    const block = raw as Record<string, unknown>;
    if (typeof block.type !== "string" || !BLOCK_TYPES.has(block.type)) {
      err(`unsupported type: ${String(block.type)}`, `${at}/type`);
      continue;
    }
    if (typeof block.block_id === "string" && block.block_id.length > 255) err("must be less than 256 characters", `${at}/block_id`);
    const textObject = (value: unknown, max: number, where: string, plainOnly = false): void => {
      const t = value as { type?: unknown; text?: unknown } | undefined;
      if (!t || typeof t !== "object") err("must provide an object", where);
      else if (t.type !== "plain_text" && (plainOnly || t.type !== "mrkdwn"))
        err(`must be ${plainOnly ? "plain_text" : "a valid text type"}`, `${where}/type`);
      else if (typeof t.text !== "string" || t.text.length === 0) err("must be more than 0 characters", `${where}/text`);
      else if (t.text.length > max) err(`must be less than ${max + 1} characters`, `${where}/text`);
    };
    switch (block.type) {
      case "header":
        textObject(block.text, 150, `${at}/text`, true);
        break;
      case "section": {
        if (block.text === undefined && block.fields === undefined) err("must provide either text or fields", at);
        if (block.text !== undefined) textObject(block.text, 3000, `${at}/text`);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) err("must be an array", `${at}/fields`);
          else {
            if (block.fields.length > 10) err("no more than 10 items allowed", `${at}/fields`);
            block.fields.forEach((f, j) => {
              textObject(f, 2000, `${at}/fields/${j}`);
            });
          }
        }
        break;
      }
      case "context": {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0) err("must provide at least 1 item", `${at}/elements`);
        else {
          if (elements.length > 10) err("no more than 10 items allowed", `${at}/elements`);
          elements.forEach((e, j) => {
            if ((e as { type?: string }).type !== "image") textObject(e, 3000, `${at}/elements/${j}`);
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return problems;
}
