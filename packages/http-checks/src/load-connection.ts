import type { Socket } from "node:net";
import { ACCEPTED_ENCODINGS, BodyDecodeError, decodeBody } from "./decode-body.js";
import { HttpTransportError } from "./http-client.js";
import type { HttpResponse } from "./http-response.js";
import { ResponseParseError, ResponseParser, type ResponseSink } from "./response-parser.js";

export interface LoadConnectionOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Keep the response headers (an expect block asserts on them). */
  readHeaders: boolean;
  /** Keep and decode the body (an expect block asserts on it). */
  readBody: boolean;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * One keep-alive HTTP/1.1 connection of the load burst, sending its requests one after another (a
 * closed loop, as autocannon and wrk do). It writes the request bytes serialised once, straight to
 * a node:net (or node:tls) socket, and parses answers with a parser that reads only the framing
 * headers unless an expect block needs more: the load client's CPU per request is what decides
 * whether it or the server sets the pace (issue 19; undici's dispatch cost 1.6× autocannon's CPU).
 * A connection the server closed, or left out of step, is replaced on the next request.
 */
export class LoadConnection implements ResponseSink {
  private readonly request: Buffer;
  private readonly headRequest: boolean;
  private readonly parser: ResponseParser;
  private readonly url: string;
  private readonly host: string;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private closeAfter = false;
  private started = 0;
  private status = 0;
  private headers: Record<string, string> | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private resolve: (response: HttpResponse) => void = () => {};
  private reject: (error: Error) => void = () => {};
  /** Why no request can be sent (a header value with a line break), reported per request as before. */
  private readonly invalid: HttpTransportError | undefined;

  constructor(private readonly options: LoadConnectionOptions) {
    const { url, method } = options;
    this.url = url.toString();
    this.host = url.host;
    this.headRequest = method === "HEAD";
    // Defaults the user's headers may replace, whatever their case (one Host only, or servers answer 400).
    const given = new Set(Object.keys(options.headers).map((name) => name.toLowerCase()));
    const headers: Record<string, string> = {};
    if (!given.has("host")) headers.host = url.host;
    if (!given.has("user-agent")) headers["user-agent"] = "cutover";
    Object.assign(headers, options.headers);
    // Ask for what browsers ask for, so the server does the work it does for them.
    if (!given.has("accept-encoding")) headers["accept-encoding"] = ACCEPTED_ENCODINGS;
    // A POST without a body says so: some servers refuse a POST without a length (411).
    if (method === "POST" && !given.has("content-length")) headers["content-length"] = "0";
    const broken = Object.entries(headers).find(([name, value]) => /[\r\n]/.test(name) || /[\r\n]/.test(value));
    this.invalid = broken && new HttpTransportError(`header ${broken[0]} contains a line break`, "EINVALIDHEADER");
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    this.request = Buffer.from(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${lines.join("")}\r\n`, "latin1");
    this.parser = new ResponseParser(this, options.readHeaders || options.readBody);
  }

  /** Sends one request; resolves with the response, rejects with the transport failure. */
  send(): Promise<HttpResponse> {
    if (this.invalid) return Promise.reject(this.invalid);
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.status = 0;
      this.headers = undefined;
      this.size = 0;
      if (this.chunks.length > 0) this.chunks = [];
      this.inFlight = true;
      this.parser.expect(this.headRequest);
      // One timer per connection, re-armed per request (cheaper than a new one each time).
      if (this.timer === undefined) this.timer = setTimeout(() => this.onTimeout(), this.options.timeoutMs).unref();
      else this.timer.refresh();
      this.started = performance.now();
      (this.socket ?? this.connect()).write(this.request);
    });
  }

  onHead(status: number, headers: Record<string, string> | undefined): void {
    this.status = status;
    this.headers = headers;
  }

  onBody(chunk: Buffer): void {
    if (this.options.readBody && this.size < MAX_BODY_BYTES) this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onComplete(keepAlive: boolean): void {
    const latencyMs = performance.now() - this.started;
    this.inFlight = false;
    this.closeAfter = !keepAlive;
    const headers = this.headers ?? {};
    let body = "";
    if (this.options.readBody) {
      try {
        body = decodeBody(Buffer.concat(this.chunks), headers["content-encoding"], MAX_BODY_BYTES).toString("utf8");
      } catch (error) {
        if (!(error instanceof BodyDecodeError)) throw error;
        this.reject(new HttpTransportError(`${error.message} from ${this.host}`, "EBODYDECODE"));
        return;
      }
    }
    this.resolve({ status: this.status, headers, body, latencyMs, url: this.url });
  }

  /** Closes the connection at once; a request in flight fails. */
  destroy(): Promise<void> {
    clearTimeout(this.timer);
    this.fail(new HttpTransportError(`connection to ${this.host} closed by the load client`, "ECANCELLED"));
    return Promise.resolve();
  }

  private connect(): Socket {
    const { url } = this.options;
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const isHttps = url.protocol === "https:";
    const port = Number(url.port || (isHttps ? 443 : 80));
    // node:tls (certificates verified as for any https client) or node:net, loaded on first use.
    const socket: Socket = isHttps
      ? process
          .getBuiltinModule("node:tls")
          .connect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, ALPNProtocols: ["http/1.1"] })
      : process.getBuiltinModule("node:net").connect({ host, port });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
    socket.on("error", (error) => this.onGone(socket, error));
    socket.on("close", () => this.onGone(socket, undefined));
    this.socket = socket;
    return socket;
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    let extra: number;
    try {
      // Bytes with no request in flight belong to no request: the connection is out of step.
      extra = this.inFlight ? this.parser.execute(chunk) : chunk.length;
    } catch (error) {
      if (!(error instanceof ResponseParseError)) throw error;
      this.fail(new HttpTransportError(`malformed response from ${this.host}: ${error.message}`, "EMALFORMED"));
      return;
    }
    if (extra > 0 || (extra === 0 && this.closeAfter)) this.drop();
  }

  /** The socket failed or closed: a response delimited by the close completes, one cut short fails. */
  private onGone(socket: Socket, error: Error | undefined): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (!this.inFlight) return;
    if (error === undefined && this.parser.end()) return;
    this.fail(error ?? new HttpTransportError(`connection closed by ${this.host} before the response was complete`, "ECONNCLOSED"));
  }

  private onTimeout(): void {
    if (!this.inFlight) return;
    this.fail(new HttpTransportError(`no complete response from ${this.host} within ${this.options.timeoutMs}ms`, "ETIMEDOUT"));
  }

  /** Fails the request in flight (if any) and drops the connection; the next request reconnects. */
  private fail(error: Error): void {
    this.drop();
    if (!this.inFlight) return;
    this.inFlight = false;
    this.reject(error);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.closeAfter = false;
    socket?.destroy();
  }
}
